"""Importing songs people really have: two songs of one name, audio named as Windows or macOS
matched it, audio elsewhere in the library, and the same song imported twice."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from appliance.importers import Status, import_paths
from appliance.library.songfolder.manifest import read_manifest
from tests.support.importer_songs import build_ultrastar


def _two_versions(root: Path) -> tuple[Path, Path]:
    first = build_ultrastar(root / "Version A")
    second = build_ultrastar(root / "Version B")
    second.write_text(second.read_text().replace(": 10 4 4 Three", ": 10 4 7 Three"))
    return first, second


def test_two_different_songs_of_the_same_artist_and_title_both_land(tmp_path):
    _two_versions(tmp_path / "in")
    dest = tmp_path / "songs"
    report = import_paths([tmp_path / "in"], dest)
    assert [o.status for o in report.outcomes] == [Status.IMPORTED, Status.IMPORTED]
    names = sorted(p.name for p in dest.iterdir())
    assert names == ["Test Band - Tone Song", "Test Band - Tone Song (2)"]
    pitches = {name: read_manifest(dest / name).title for name in names}
    assert set(pitches.values()) == {"Tone Song"}


def test_the_same_sources_again_are_already_imported(tmp_path):
    _two_versions(tmp_path / "in")
    dest = tmp_path / "songs"
    import_paths([tmp_path / "in"], dest)
    again = import_paths([tmp_path / "in"], dest)
    assert [o.status for o in again.outcomes] == [Status.EXISTS, Status.EXISTS]
    assert len(list(dest.iterdir())) == 2


def test_audio_named_in_another_case_and_unicode_form_is_found(tmp_path):
    txt = build_ultrastar(tmp_path / "in" / "Björk")
    os.rename(txt.parent / "tone.wav", txt.parent / unicodedata.normalize("NFD", "TÖNE.wav"))
    txt.write_text(txt.read_text().replace("#MP3:tone.wav", "#MP3:töne.WAV"))
    report = import_paths([tmp_path / "in"], tmp_path / "songs")
    assert [o.status for o in report.outcomes] == [Status.IMPORTED], report.lines()


def test_audio_outside_the_imported_folder_is_refused_with_the_reason(tmp_path):
    txt = build_ultrastar(tmp_path / "in" / "Song")
    os.rename(txt.parent / "tone.wav", tmp_path / "tone.wav")
    txt.write_text(txt.read_text().replace("#MP3:tone.wav", "#MP3:../../tone.wav"))
    report = import_paths([tmp_path / "in"], tmp_path / "songs")
    [outcome] = report.outcomes
    assert outcome.status is Status.SKIPPED
    assert "'../../tone.wav' is outside the library folder" in outcome.reason


def test_audio_elsewhere_inside_the_imported_folder_is_used(tmp_path):
    txt = build_ultrastar(tmp_path / "in" / "Songs" / "Song")
    (tmp_path / "in" / "sounds").mkdir()
    os.rename(txt.parent / "tone.wav", tmp_path / "in" / "sounds" / "x.wav")
    txt.write_text(txt.read_text().replace("#MP3:tone.wav", "#MP3:../../sounds/x.wav"))
    report = import_paths([tmp_path / "in"], tmp_path / "songs")
    assert [o.status for o in report.outcomes] == [Status.IMPORTED], report.lines()


def test_lyrics_without_audio_and_missing_audio_are_reported_not_dropped(tmp_path):
    txt = build_ultrastar(tmp_path / "in" / "Song")
    (txt.parent / "tone.wav").unlink()
    (tmp_path / "in" / "Lonely.lrc").write_text("[00:01.00]la\n", encoding="utf-8")
    report = import_paths([tmp_path / "in"], tmp_path / "songs")
    reasons = {Path(o.source).name: o.reason for o in report.outcomes}
    assert reasons == {
        "Lonely.lrc": "lyrics (.lrc) with no audio file of the same name beside them",
        "Tone Song.txt": "audio file (#MP3/#AUDIO) not found: 'tone.wav'",
    }
