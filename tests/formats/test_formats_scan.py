"""The foreign readers inside scan_library: every format indexed in place, bad files reported."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import mido
import pytest

from appliance.core.catalog import Catalog
from appliance.core.models import SongKind, StemRole
from appliance.core.store import Store
from appliance.library.scanning.scanner import scan_library
from tests.support.mp3g_songs import cdg_bytes, mp3_bytes, wav_bytes, zip_bytes

ULTRASTAR = (
    "#TITLE:Duet Song\n#ARTIST:Pair\n#AUDIO:song.ogg\n#VOCALS:vocals.ogg\n"
    "#INSTRUMENTAL:inst.ogg\n#BPM:200\n#GAP:0\n#LANGUAGE:English\n"
    "P1\n: 0 4 0 Hi\n- 6\nP2\n: 8 4 2 Yo\nE\n"
)


def kar_bytes() -> bytes:
    midi = mido.MidiFile(ticks_per_beat=96)
    midi.tracks.append(mido.MidiTrack([
        mido.MetaMessage("lyrics", text="Sing ", time=0),
        mido.MetaMessage("lyrics", text="along", time=96),
        mido.Message("note_on", note=60, time=0),
        mido.Message("note_off", note=60, time=960),
    ]))  # fmt: skip
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "usb"
    star = root / "UltraStar" / "Pair - Duet Song"
    star.mkdir(parents=True)
    (star / "Pair - Duet Song.txt").write_text(ULTRASTAR, encoding="utf-8")
    for name in ("song.ogg", "vocals.ogg", "inst.ogg"):
        (star / name).write_bytes(wav_bytes(2.0))  # any audio; the reader only checks it exists
    loose = root / "MP3G"
    loose.mkdir()
    (loose / "Abba - Waterloo.mp3").write_bytes(mp3_bytes(2.0))
    (loose / "ABBA - WATERLOO.cdg").write_bytes(cdg_bytes(2.0))
    (loose / "readme.txt").write_text("not a song")
    (loose / "Lonely - Graphics.cdg").write_bytes(cdg_bytes(1.0))
    (loose / "SC1001-01 - Queen - We Will Rock You.zip").write_bytes(
        zip_bytes({"track.mp3": mp3_bytes(1.0), "track.cdg": cdg_bytes(1.0)})
    )
    (loose / "broken.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    (root / "Old").mkdir()
    (root / "Old" / "Singalong.kar").write_bytes(kar_bytes())
    (root / "Old" / "Folk Tune.wav").write_bytes(wav_bytes(3.0))
    (root / "Old" / "Folk Tune.lrc").write_text("[ti:Folk Tune]\n[ar:Trad]\n[00:01.00]la la\n")
    return root


def test_scan_indexes_every_foreign_format_and_reports_bad_files(library: Path):
    catalog = Catalog(Store.open_memory())
    report = scan_library(library, catalog)
    assert report.added == 5, report.failures
    failed = sorted(Path(failure.path).name for failure in report.failures)
    assert failed == ["Lonely - Graphics.cdg", "broken.zip"]
    assert all(failure.reason for failure in report.failures)
    kinds = {song.kind for song in _all_songs(catalog)}
    assert kinds == {SongKind.ULTRASTAR, SongKind.MP3G, SongKind.KAR, SongKind.LRC_AUDIO}
    by_title = {song.title: song for song in _all_songs(catalog)}
    duet = by_title["Duet Song"]
    assert [stem.role for stem in duet.stems] == [StemRole.OTHER, StemRole.LEAD_VOCAL]
    assert duet.has_guide and "duet" in duet.tags and duet.notes_file == "Pair - Duet Song.txt"
    assert by_title["We Will Rock You"].artist == "Queen"
    assert by_title["Waterloo"].lyrics_file == "ABBA - WATERLOO.cdg"
    assert by_title["Singalong"].kind is SongKind.KAR
    assert by_title["Folk Tune"].artist == "Trad" and by_title["Folk Tune"].duration_s == 3.0

    again = scan_library(library, catalog)
    assert (again.unchanged, again.added, again.updated) == (5, 0, 0)
    shutil.rmtree(library / "Old")
    assert scan_library(library, catalog).removed == 2


def _all_songs(catalog: Catalog):
    return catalog.list_all(limit=1000)
