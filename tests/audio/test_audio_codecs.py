"""Audio in every format people's libraries hold (M4A/AAC, Opus, WMA, the sound of MP4/MKV/WebM
videos) played in place: the files are written here from a known tone with PyAV, scanned as
UltraStar songs and MP3+G zips (the probe passes them), decoded through the transcode path into
the cache, and heard as the tone at 48 kHz: its frequency, level and length."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from appliance.audio.dsp.meter import measure_loudness_lufs
from appliance.audio.sources.avdecode import open_av
from appliance.audio.sources.decode import transcode
from appliance.audio.sources.locate import SourceRef
from appliance.audio.sources.playable import Transcoder, playable_from_cache, transcode_song
from appliance.audio.sources.transcode_cache import TranscodeCache
from appliance.cli import main
from appliance.core.errors import SongLoadError
from appliance.core.models import Song
from appliance.library.scanning.scanner import scan_library
from tests.support.codec_audio import AMPLITUDE, dominant_hz, rms, write_signal, write_tone
from tests.support.memory_catalog import MemoryCatalog
from tests.support.mp3g_audio import cdg
from tests.support.waiting import eventually

SECONDS = 3.0
SINE_RMS = AMPLITUDE / np.sqrt(2)
FORMATS = [".m4a", ".aac", ".opus", ".wma", ".mp3", ".ogg", ".flac"]
VIDEOS = [".mp4", ".mkv", ".webm"]


def write_ultrastar(folder: Path, audio: str = "", video: str = "", title: str = "Tone") -> Path:
    """An UltraStar song naming ``audio`` (#MP3) and/or ``video`` (#VIDEO)."""
    folder.mkdir(parents=True, exist_ok=True)
    head = f"#TITLE:{title}\n#ARTIST:Codec Tests\n#BPM:120\n#GAP:0\n"
    head += f"#MP3:{audio}\n" if audio else ""
    head += f"#VIDEO:{video}\n" if video else ""
    path = folder / f"{title}.txt"
    path.write_text(head + ": 0 8 0 la\n- 10\n: 12 8 2 la\nE\n", encoding="utf-8")
    return path


def scanned(root: Path) -> tuple[dict[str, Song], dict[str, str]]:
    """(songs by title, failure reasons by path) of a scan of ``root``."""
    catalog = MemoryCatalog()
    report = scan_library(str(root), catalog)
    failures = {failure.path: failure.reason for failure in report.failures}
    return {song.title: song for song in catalog.songs.values()}, failures


def decoded_tone(song: Song, cache: TranscodeCache) -> np.ndarray:
    """The song decoded through the transcode path, read back from the cache."""
    transcode_song(song, cache, measure_loudness_lufs)
    playable = playable_from_cache(song, cache)
    assert playable is not None
    audio, rate = sf.read(playable.stems[0].file, dtype="float32", always_2d=True)
    assert rate == 48_000
    return audio


def assert_is_the_tone(audio: np.ndarray, hz: float, seconds: float = SECONDS) -> None:
    """The tone at ``hz``: within 0.5 Hz, its level within 0.5 dB (LAME's MP3 is 0.45 dB
    down, by both decoders), its length within 60 ms."""
    middle = audio[len(audio) // 4 : 3 * len(audio) // 4]
    assert abs(dominant_hz(middle, 48_000) - hz) < 0.5
    assert abs(20 * np.log10(rms(middle) / SINE_RMS)) < 0.5
    assert abs(len(audio) / 48_000 - seconds) < 0.06, len(audio) / 48_000


@pytest.mark.parametrize("extension", FORMATS + VIDEOS)
def test_each_format_is_scanned_and_plays_through_the_transcode_cache(tmp_path, extension):
    hz = 440.0 + 10 * (FORMATS + VIDEOS).index(extension)
    folder = tmp_path / "lib" / "song"
    folder.mkdir(parents=True)
    video = extension in VIDEOS
    write_tone(folder / f"audio{extension}", seconds=SECONDS, hz=hz, video=video)
    write_ultrastar(
        folder, **({"video": f"audio{extension}"} if video else {"audio": f"audio{extension}"})
    )
    songs, failures = scanned(tmp_path / "lib")
    assert not failures and list(songs) == ["Tone"]
    assert abs(songs["Tone"].duration_s - SECONDS) < 0.1
    assert_is_the_tone(decoded_tone(songs["Tone"], TranscodeCache(tmp_path / "cache", 1 << 30)), hz)


def test_mono_and_5_1_sources_come_out_mono_and_stereo(tmp_path):
    mono = write_tone(tmp_path / "mono.m4a", hz=330.0, channels=1)
    rate = 48_000
    t = np.arange(int(SECONDS * rate)) / rate
    six = np.zeros((len(t), 6), dtype=np.float32)
    six[:, 2] = AMPLITUDE * np.sin(2 * np.pi * 550.0 * t)  # the centre channel only
    surround = write_signal(tmp_path / "six.m4a", six, rate)
    with open_av(SourceRef(str(mono)), "s") as audio:
        assert (audio.channels, audio.rate) == (1, 44_100)
    transcode(SourceRef(str(surround)), str(tmp_path / "six.flac"), "s")
    audio, _ = sf.read(tmp_path / "six.flac", always_2d=True)
    assert audio.shape[1] == 2  # ffmpeg's downmix: the centre heard on both sides
    assert abs(dominant_hz(audio[48_000:96_000, 1:], 48_000) - 550.0) < 0.5
    assert rms(audio[48_000:96_000, 1]) > 0.2 * SINE_RMS
    assert np.allclose(audio[:, 0], audio[:, 1], atol=1e-3)


def test_an_m4a_in_an_mp3g_zip_plays_from_the_zip(tmp_path):
    source = write_tone(tmp_path / "x.m4a", seconds=SECONDS, hz=392.0)
    (tmp_path / "lib").mkdir()
    with zipfile.ZipFile(tmp_path / "lib" / "SC01-01 - Zip Artist - Zip Tone.zip", "w") as archive:
        archive.write(source, "Zip Tone.m4a", compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("Zip Tone.cdg", cdg(SECONDS))
    songs, failures = scanned(tmp_path / "lib")
    assert not failures and list(songs) == ["Zip Artist - Zip Tone"]
    assert_is_the_tone(
        decoded_tone(songs["Zip Artist - Zip Tone"], TranscodeCache(tmp_path / "c", 1 << 30)), 392.0
    )


def test_an_opus_song_plays_through_the_spawned_transcoder(tmp_path):
    folder = tmp_path / "lib" / "song"
    folder.mkdir(parents=True)
    write_tone(folder / "audio.opus", seconds=SECONDS, hz=523.0)
    write_ultrastar(folder, audio="audio.opus")
    songs, _ = scanned(tmp_path / "lib")
    cache = TranscodeCache(tmp_path / "cache", 1 << 30)
    transcoder = Transcoder(cache, measure_loudness_lufs)
    outcome: list[tuple[Song | None, str]] = []
    transcoder.request(songs["Tone"], lambda song, reason: outcome.append((song, reason)))
    assert eventually(lambda: bool(outcome), 60)
    playable, reason = outcome[0]
    assert playable is not None, reason
    audio, _ = sf.read(playable.stems[0].file, dtype="float32", always_2d=True)
    assert_is_the_tone(audio, 523.0)
    assert transcoder.playable(songs["Tone"]) == playable  # the cache is hit now


def test_export_of_an_ultrastar_song_with_m4a_audio_is_the_tone(tmp_path, monkeypatch):
    monkeypatch.delenv("KARAOKE_STATE_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("KARAOKE_CONFIG", str(tmp_path / "none.toml"))
    folder = tmp_path / "lib" / "song"
    folder.mkdir(parents=True)
    write_tone(folder / "audio.m4a", seconds=SECONDS, hz=440.0)
    txt = write_ultrastar(folder, audio="audio.m4a")
    out = tmp_path / "out.wav"
    assert main(["export", str(txt), "--out", str(out)]) == 0
    written, rate = sf.read(out, dtype="float32", always_2d=True)
    assert rate == 48_000
    middle = written[len(written) // 4 : 3 * len(written) // 4]
    assert abs(dominant_hz(middle, rate) - 440.0) < 0.5
    assert abs(len(written) / rate - SECONDS) < 0.06
    assert rms(middle) > 0.01  # loudness-normalised, not silent


def truncated(path: Path, keep: float) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def test_damaged_files_are_reported_by_the_scan_with_their_name_and_why(tmp_path):
    lib = tmp_path / "lib"
    cases = {
        "midi": ("song.mid", b"MThd\0\0\0\6\0\1\0\1\0\x60MTrk\0\0\0\4\0\xff\x2f\0"),
        "noise": ("audio.wma", bytes(np.random.default_rng(3).integers(0, 256, 8000, np.uint8))),
        "empty": ("audio.m4a", b""),
    }
    for title, (name, data) in cases.items():
        (lib / title).mkdir(parents=True)
        (lib / title / name).write_bytes(data)
        write_ultrastar(lib / title, audio=name, title=title)
    (lib / "cut").mkdir()
    write_tone(lib / "cut" / "audio.m4a", seconds=SECONDS, hz=440.0)
    truncated(lib / "cut" / "audio.m4a", 0.5)  # the index (moov) is at the end: gone
    write_ultrastar(lib / "cut", audio="audio.m4a", title="cut")
    (lib / "silent film").mkdir()
    write_tone(lib / "silent film" / "clip.mp4", video=True)
    _video_only(lib / "silent film" / "clip.mp4")
    write_ultrastar(lib / "silent film", video="clip.mp4", title="silent film")
    songs, failures = scanned(lib)
    assert songs == {}
    reasons = {Path(path).parent.name: reason for path, reason in failures.items()}
    assert "song.mid: this is MIDI, not audio: import it as a KAR/MIDI song" in reasons["midi"]
    assert "audio.wma: cannot be opened as audio: damaged, truncated" in reasons["noise"]
    assert "audio.m4a: the file is empty" in reasons["empty"]
    assert "audio.m4a: cannot be opened as audio: damaged, truncated" in reasons["cut"]
    assert "clip.mp4: no audio stream (a video without an audio track)" in reasons["silent film"]


def _video_only(path: Path) -> None:
    """Rewrite ``path`` keeping its picture and dropping its sound (stream copy with PyAV)."""
    import av

    data = io.BytesIO(path.read_bytes())
    with av.open(data) as source, av.open(str(path), "w", format="mp4") as out:
        picture = out.add_stream_from_template(source.streams.video[0])
        for packet in source.demux(source.streams.video[0]):
            if packet.dts is not None:
                packet.stream = picture
                out.mux(packet)


def test_a_file_cut_short_after_its_index_ends_early_at_play_time(tmp_path):
    """The probe reads only the start; a file cut in its middle is caught while decoding."""
    source = tmp_path / "song.m4a"
    write_signal(source, _tone_48k(10.0), 48_000, faststart=True)
    truncated(source, 0.6)
    with pytest.raises(SongLoadError, match=r"song\.m4a: the audio ends early"):
        transcode(SourceRef(str(source)), str(tmp_path / "out.flac"), "s")


def test_a_midi_file_named_as_audio_is_refused_by_name_at_play_time(tmp_path):
    mid = tmp_path / "song.mid"
    mid.write_bytes(b"MThd\0\0\0\6\0\1\0\1\0\x60")
    with pytest.raises(SongLoadError, match=r"song\.mid: this is MIDI, not audio"):
        transcode(SourceRef(str(mid)), str(tmp_path / "out.flac"), "s")


def _tone_48k(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * 48_000)) / 48_000
    wave = (AMPLITUDE * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)
    return np.stack([wave, wave], axis=1)


def test_a_song_whose_mp3_is_missing_takes_the_sound_of_its_video(tmp_path):
    folder = tmp_path / "lib" / "song"
    folder.mkdir(parents=True)
    write_tone(folder / "clip.mp4", seconds=SECONDS, hz=494.0, video=True)
    write_ultrastar(folder, audio="song.mp3", video="clip.mp4")  # shared without its MP3
    songs, failures = scanned(tmp_path / "lib")
    assert not failures and songs["Tone"].stems[0].file == "clip.mp4"
    cache = TranscodeCache(tmp_path / "cache", 1 << 30)
    assert_is_the_tone(decoded_tone(songs["Tone"], cache), 494.0)


def test_memory_stays_flat_whatever_the_length(tmp_path):
    """Python-side allocations while a 2-minute M4A is transcoded stay a few blocks' worth
    (the song decoded whole would be 40 MB of float32)."""
    source = write_tone(tmp_path / "long.m4a", seconds=120.0, hz=440.0)
    tracemalloc.start()
    try:
        frames = transcode(SourceRef(str(source)), str(tmp_path / "long.flac"), "s")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert abs(frames / 48_000 - 120.0) < 0.06
    assert peak < 16 << 20, f"{peak / 2**20:.1f} MB"
