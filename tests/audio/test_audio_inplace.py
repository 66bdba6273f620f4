"""Songs indexed in place (MP3+G zips, Deflate64 zips, loose pairs) played through the real
ALSA path: scanned into a real catalog, queued through a real Core, transcoded once into the
cache, heard as the decoded source resampled to 48 kHz."""

from __future__ import annotations

import io
import os
import threading
import time
import zipfile
from dataclasses import replace
from math import gcd
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf
from scipy.signal import resample_poly

from appliance.audio.loudness import song_loudness_lufs
from appliance.audio.sources.decode import resample_blocks
from appliance.audio.sources.transcode_cache import TranscodeCache
from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.models import MixSettings, SongKind
from appliance.core.paths import database_path
from appliance.core.service import Actor, Core
from appliance.core.store import Store
from appliance.library.scanning.scanner import scan_library
from tests.support.mp3g_audio import (
    BAD_SONG,
    D64_SONG,
    LOOSE_SONG,
    ZIP_SONG,
    cdg,
    compare,
    corrupt_member,
    decoded_reference,
    encoded,
    expected_gain_db,
    music,
    sounding_runs,
    write_zip,
)
from tests.support.waiting import eventually

HOST = Actor.host()


@pytest.fixture(scope="module")
def usb(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A bar's USB stick: two zips (one Deflate64), a damaged zip, a loose MP3+CDG pair."""
    root = tmp_path_factory.mktemp("usb")
    sources = {
        ZIP_SONG: encoded(music(1, 44_100), 44_100, "MP3"),
        D64_SONG: encoded(music(2, 44_100), 44_100, "MP3"),
        LOOSE_SONG: encoded(music(3, 32_000), 32_000, "MP3"),
    }
    write_zip(root / f"{ZIP_SONG}.zip", ZIP_SONG, sources[ZIP_SONG])
    write_zip(root / f"{D64_SONG}.zip", D64_SONG, sources[D64_SONG], deflate64=True)
    bad = io.BytesIO()
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr(f"{BAD_SONG}.mp3", encoded(music(4, 44_100), 44_100, "MP3"))
        archive.writestr(f"{BAD_SONG}.cdg", cdg())
    (root / f"{BAD_SONG}.zip").write_bytes(bad.getvalue())
    corrupt_member(root / f"{BAD_SONG}.zip", f"{BAD_SONG}.mp3")
    (root / "loose").mkdir()
    (root / "loose" / f"{LOOSE_SONG}.mp3").write_bytes(sources[LOOSE_SONG])
    (root / "loose" / f"{LOOSE_SONG}.CDG").write_bytes(cdg())
    return {"root": root, "sources": sources}


def scanned(usb: dict[str, object], state: Path) -> tuple[Store, dict[str, str]]:
    """The stick indexed into a real catalog; song ids by song name."""
    state.mkdir(parents=True, exist_ok=True)
    store = Store.open(database_path(state))
    catalog = Catalog(store)
    started = time.perf_counter()
    report = scan_library(str(usb["root"]), catalog, analyze_loudness=song_loudness_lufs)
    assert time.perf_counter() - started < 5, "loudness is not measured by decoding at scan"
    songs = {song.title: song for song in catalog.search("", limit=50)}
    assert set(songs) == {"Zip Song", "Deflate Song", "Corrupt Song", "Loose Song"}, report
    assert all(song.kind is SongKind.MP3G for song in songs.values())
    assert all(song.loudness_lufs is None for song in songs.values())
    return store, {title: str(song.song_id) for title, song in songs.items()}


def test_a_usb_stick_of_mp3g_zips_plays_through_the_core(engine, usb, tmp_path, margin):
    store, ids = scanned(usb, tmp_path / "state")
    rig = engine()
    core = Core(store, rig.client, rotation=RotationConfig(countdown_s=1.0))
    stop = threading.Event()
    thread = threading.Thread(target=core.run_forever, args=(stop,), daemon=True)
    thread.start()
    try:
        ada = core.join("Ada")
        for title in ("Corrupt Song", "Zip Song", "Deflate Song", "Zip Song"):
            core.queue_song(HOST, ada.singer_id, ids[title], MixSettings(guide_level=0.0))
        decodes_after_first_round: list[int] = []

        def finished() -> bool:
            done = [item for item in core.history() if item.outcome != "playing"]
            if len(done) == 3 and not decodes_after_first_round:
                decodes_after_first_round.append(rig.client.transcoder.decodes)
            return len(done) == 4

        assert eventually(finished, 40), core.history()
        history = list(reversed(core.history()))
    finally:
        stop.set()
        thread.join(5)
    outcomes = [(item.title, item.outcome) for item in history]
    assert outcomes == [
        ("Corrupt Song", "failed"),
        ("Zip Song", "completed"),
        ("Deflate Song", "completed"),
        ("Zip Song", "completed"),
    ]
    assert "Corrupt Song.mp3" in history[0].reason and "damaged" in history[0].reason
    assert "Bad CRC-32" in history[0].reason, history[0].reason
    # the second play of Zip Song came from the cache: no decode after the first round
    assert decodes_after_first_round == [2]
    assert rig.client.transcoder.decodes == 2
    capture = rig.capture()
    runs = sounding_runs(capture)
    assert len(runs) == 3, runs
    sources = usb["sources"]
    for (start, end), name in zip(runs, (ZIP_SONG, D64_SONG, ZIP_SONG), strict=True):
        reference = decoded_reference(sources[name])
        error_db, gain_db = compare(capture, start, reference)
        margin(f"{name[:9]} capture vs decoded source", error_db, "<", -60, "dB")
        margin(f"{name[:9]} gain error", abs(gain_db - expected_gain_db(reference)), "<", 0.2)
        assert abs((end - start) - len(reference)) < 4800


def test_play_returns_at_once_and_the_song_starts_when_transcoded(engine, usb, tmp_path, margin):
    store, ids = scanned(usb, tmp_path / "state2")
    song = Catalog(store).get(ids["Loose Song"])
    rig = engine()
    started = time.perf_counter()
    rig.client.play(song, MixSettings())
    margin("play() blocking while transcoding", time.perf_counter() - started, "<", 0.2, "s")
    assert rig.client.position_s() == 0.0
    assert eventually(lambda: rig.client.position_s() > 0.2, 10), "the song did not start"
    margin("play() to sound, loose MP3", time.perf_counter() - started, "<", 5.0, "s")
    assert rig.listener.wait(10) and rig.listener.ended == [song.song_id]
    playable = rig.client.transcoder.playable(song)
    assert playable is not None and playable.loudness_lufs is not None
    cached = playable.stems[0].file
    assert cached.startswith(str(tmp_path)) and sf.info(cached).samplerate == 48_000
    capture = rig.capture()
    reference = decoded_reference(usb["sources"][LOOSE_SONG])
    error_db, _ = compare(capture, sounding_runs(capture)[0][0], reference)
    margin("loose 32 kHz MP3 capture vs decoded source", error_db, "<", -60, "dB")


def test_a_missing_source_is_refused_at_play(engine, usb, tmp_path):
    store, ids = scanned(usb, tmp_path / "state3")
    song = Catalog(store).get(ids["Zip Song"])
    gone = replace(song, path=str(tmp_path / "gone.zip"))
    rig = engine()
    with pytest.raises(Exception, match="audio file missing"):
        rig.client.play(gone, MixSettings())


def test_loudness_is_skipped_at_scan_and_measured_from_the_source_on_request(usb, tmp_path):
    store, ids = scanned(usb, tmp_path / "state4")
    song = Catalog(store).get(ids["Zip Song"])
    assert song_loudness_lufs(song) is None
    reference = decoded_reference(usb["sources"][ZIP_SONG])
    expected = pyloudnorm.Meter(48_000).integrated_loudness(reference)
    assert song_loudness_lufs(song, decode_sources=True) == pytest.approx(expected, abs=0.1)
    bad = Catalog(store).get(ids["Corrupt Song"])
    assert song_loudness_lufs(bad, decode_sources=True) is None


def test_block_resampling_equals_resampling_the_whole_signal():
    signal = np.random.default_rng(5).standard_normal((200_003, 2)).astype(np.float32)
    for rate in (44_100, 22_050, 32_000, 96_000, 8_000):
        common = gcd(48_000, rate)
        whole = resample_poly(signal, 48_000 // common, rate // common, axis=0)
        pieces = (signal[i : i + 7000] for i in range(0, len(signal), 7000))
        blocks = np.concatenate(list(resample_blocks(pieces, rate)))
        assert blocks.shape == whole.shape
        assert np.abs(blocks - whole).max() < 1e-6


def test_the_cache_evicts_least_recently_used_files_but_never_pinned_ones(tmp_path):
    cache = TranscodeCache(tmp_path / "cache", max_bytes=2500)
    paths = []
    for index in range(4):
        temp = cache.temp_path(f"k{index}")
        temp.write_bytes(bytes(1000))
        paths.append(cache.commit(f"k{index}", temp))
        os.utime(paths[-1], (1000 + index, 1000 + index))
    assert cache.lookup("k0") == paths[0]  # used now: the most recent
    removed = cache.evict(keep=[paths[1]])
    assert removed == [paths[2], paths[3]]
    assert cache.lookup("k2") is None and cache.lookup("k1") == paths[1]
    assert cache.size_bytes() == 2000
