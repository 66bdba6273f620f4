"""``karaoke score``: the demo songs' guide vocals sung back at the box, as they are and changed
(an octave down, a semitone off, late, at key +2, at tempo 0.8), silence and noise.

The changed voices are rendered offline by Rubber Band's command line (the engine's stretcher;
``-p`` semitones, ``-T`` tempo), as a singer would sing along a song played at that key or tempo
(sox's WSOLA ``pitch`` smears the 150 ms notes of Oh! Susanna: an octave down scored 89.7%
there, 97.4% through Rubber Band). Figures: docs/engine.md, "Scoring"."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import tomli_w

from appliance.cli import main
from appliance.config import load_config

SONGS = ("demo-amazing-grace", "demo-oh-susanna")

pytestmark = [
    pytest.mark.skipif(
        shutil.which("rubberband") is None, reason="rubberband (rubberband-cli) is not installed"
    ),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def voices(demo_library, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Each song's guide vocal (mono WAV) and its renders, by (song, what)."""
    folder = tmp_path_factory.mktemp("voices")
    out: dict[tuple[str, str], Path] = {}
    for song in SONGS:
        audio, rate = sf.read(demo_library / song / "lead_vocal.flac", dtype="float32")
        guide = folder / f"{song}.wav"
        sf.write(guide, audio.mean(axis=1), rate)
        out[song, "guide"] = guide
        late = np.concatenate([np.zeros(int(0.2 * rate), np.float32), audio.mean(axis=1)])
        out[song, "late"] = folder / f"{song}-late.wav"
        sf.write(out[song, "late"], late, rate)
        for what, effect in {
            "octave_down": ["-p", "-12"],
            "semitone_up": ["-p", "1"],
            "key_2": ["-p", "2"],
            "tempo_0.8": ["-T", "0.8"],
        }.items():
            out[song, what] = folder / f"{song}-{what}.wav"
            command = ["rubberband", "-q", *effect, str(guide), str(out[song, what])]
            subprocess.run(command, check=True, capture_output=True)
    return out


def score(capsys, song_folder: Path, voice: Path, *options: str) -> dict:
    capsys.readouterr()
    assert main(["score", str(song_folder), "--voice", str(voice), "--json", *options]) == 0
    return json.loads(capsys.readouterr().out)


def percent(result: dict) -> float:
    return result["score"] / result["max_score"]


@pytest.mark.parametrize("song", SONGS)
def test_the_guide_vocal_as_the_singer(capsys, demo_library, voices, song):
    on_time = score(capsys, demo_library / song, voices[song, "guide"])
    assert on_time["max_score"] == 10000
    assert percent(on_time) >= 0.95
    assert all(line["rating"] in {"Perfect!", "Great!"} for line in on_time["lines"])
    assert sum(line["max_points"] for line in on_time["lines"]) == pytest.approx(10000, abs=1)

    octave = score(capsys, demo_library / song, voices[song, "octave_down"])
    assert percent(octave) >= 0.90

    off = score(capsys, demo_library / song, voices[song, "semitone_up"])
    assert percent(off) <= 0.30

    late = score(capsys, demo_library / song, voices[song, "late"], "--offset-ms", "200")
    assert abs(late["score"] - on_time["score"]) <= 0.05 * on_time["score"]
    unshifted = score(capsys, demo_library / song, voices[song, "late"])
    assert unshifted["score"] < late["score"]


@pytest.mark.parametrize("song", SONGS)
def test_key_and_tempo_follow_the_singer(capsys, demo_library, voices, song):
    on_time = score(capsys, demo_library / song, voices[song, "guide"])
    key = score(capsys, demo_library / song, voices[song, "key_2"], "--key", "2")
    assert key["score"] >= 0.98 * on_time["score"]
    assert percent(score(capsys, demo_library / song, voices[song, "key_2"])) <= 0.30
    tempo = score(capsys, demo_library / song, voices[song, "tempo_0.8"], "--tempo", "0.8")
    assert tempo["score"] >= 0.98 * on_time["score"]


def test_silence_and_noise(capsys, demo_library, tmp_path):
    song = demo_library / "demo-twinkle-twinkle"
    silence = tmp_path / "silence.wav"
    sf.write(silence, np.zeros(48000 * 90, np.float32), 48000)
    assert score(capsys, song, silence)["score"] == 0
    noise = tmp_path / "noise.flac"
    rng = np.random.default_rng(5)
    sf.write(noise, rng.normal(0, 0.1, 48000 * 90).astype(np.float32), 48000)
    assert percent(score(capsys, song, noise)) <= 0.05


def test_the_human_summary_and_difficulty(capsys, demo_library, voices):
    song = demo_library / "demo-oh-susanna"
    assert main(["score", str(song), "--voice", str(voices[song.name, "guide"])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Oh! Susanna")
    assert "/ 10000" in out
    assert "Perfect!" in out
    easy = score(capsys, song, voices[song.name, "semitone_up"], "--difficulty", "easy")
    assert percent(easy) > 0.5


def without_notes(source: Path, folder: Path, *, keep_guide: bool) -> Path:
    """A copy of a demo song without its notes (and without its guide vocal unless kept)."""
    shutil.copytree(source, folder)
    manifest = tomllib.loads((folder / "song.toml").read_text())
    del manifest["notes"]
    (folder / "notes.txt").unlink()
    if not keep_guide:
        manifest["stems"] = [s for s in manifest["stems"] if s["role"] != "lead_vocal"]
    (folder / "song.toml").write_text(tomli_w.dumps(manifest))
    return folder


def test_a_song_without_notes_or_guide_says_so(capsys, demo_library, tmp_path):
    folder = without_notes(demo_library / "demo-twinkle-twinkle", tmp_path / "x", keep_guide=False)
    voice = tmp_path / "voice.wav"
    sf.write(voice, np.zeros(48000, np.float32), 48000)
    capsys.readouterr()
    assert main(["score", str(folder), "--voice", str(voice)]) == 2
    assert "no notes to score against" in capsys.readouterr().out


def test_a_song_with_a_guide_but_no_notes_scores_against_its_melody(
    capsys, demo_library, voices, tmp_path
):
    song = "demo-oh-susanna"
    folder = without_notes(demo_library / song, tmp_path / "y", keep_guide=True)
    result = score(capsys, folder, voices[song, "guide"])
    assert result["sheet"] == "melody"
    assert percent(result) >= 0.95
    assert len(result["lines"]) == 12  # the LRC's lines
    assert percent(score(capsys, folder, voices[song, "semitone_up"])) <= 0.30
    assert percent(score(capsys, folder, voices[song, "octave_down"])) >= 0.90
    cached = load_config(None).state_dir() / "melodies" / f"{song}.json"
    assert json.loads(cached.read_text())["line_count"] == 12


def test_bad_options_exit_2_with_one_line(capsys, demo_library, tmp_path):
    voice = tmp_path / "voice.wav"
    sf.write(voice, np.zeros(4800, np.float32), 48000)
    song = str(demo_library / "demo-twinkle-twinkle")
    assert main(["score", song, "--voice", str(voice), "--tempo", "3"]) == 2
    assert "tempo" in capsys.readouterr().err
    assert main(["score", song, "--voice", str(tmp_path / "missing.wav")]) == 2
    assert "missing.wav" in capsys.readouterr().err
