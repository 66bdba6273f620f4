"""The scan log: the last scan's failures per root, replaced by the next scan of that root or
of a folder above or below it, paged for the phone, forgotten with a pulled USB stick."""

from __future__ import annotations

from appliance.core.catalog import Catalog
from appliance.core.scanlog import ScanLog
from appliance.core.store import Store


def test_a_rescan_replaces_the_failures_of_its_root_only() -> None:
    log = ScanLog(Store.open_memory())
    log.record_scan("/songs", {"summary": "a"}, [("/songs/a.txt", "bad", "s1")])
    log.record_scan("/media/usb0", {"summary": "b"}, [("/media/usb0/b.kar", "bad", "")])
    log.record_scan("/songs", {"summary": "c"}, [("/songs/c.txt", "worse", "s2")])
    assert [p.path for p in log.problems()] == ["/media/usb0/b.kar", "/songs/c.txt"]
    assert [run["summary"] for run in log.runs()] == ["b", "c"]


def test_a_scan_of_a_subfolder_replaces_what_the_root_scan_kept_there() -> None:
    log = ScanLog(Store.open_memory())
    log.record_scan("/songs", {}, [("/songs/sub/a.txt", "bad", "s1"), ("/songs/b.txt", "x", "")])
    assert log.problems_under("/songs/sub") == {"/songs/sub/a.txt": ("s1", "bad")}
    log.record_scan("/songs/sub", {}, [])  # a.txt was fixed
    assert [p.path for p in log.problems()] == ["/songs/b.txt"]
    assert log.problems_under("/songs/subway") == {}


def test_pages_and_forgetting_a_root() -> None:
    catalog = Catalog(Store.open_memory())
    problems = [(f"/usb/{n:03d}.kar", "not a MIDI file", "") for n in range(60)]
    catalog.record_scan("/usb", {"summary": "0 added"}, problems)
    page = catalog.scan_log.page(50, 25)
    assert (page.total, page.offset, len(page.problems)) == (60, 50, 10)
    assert page.problems[0].path == "/usb/050.kar" and page.problems[0].root == "/usb"
    catalog.forget_scan("/usb")
    assert catalog.scan_log.page().total == 0 and catalog.scan_log.runs() == []
