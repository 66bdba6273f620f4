"""Every reader the scanner registers has an importer, or a stated reason to play in place."""

from __future__ import annotations

from collections.abc import Iterable

from appliance.core.models import Song
from appliance.importers.by_reader import IMPORTERS, PLAYS_IN_PLACE, PlaysInPlace, importer_for
from appliance.library.formats.foreign import KarReader
from appliance.library.formats.songreader import FolderListing, SongCandidate
from appliance.library.scanning.registry import default_readers


def test_every_registered_reader_has_an_importer_or_a_reason_to_play_in_place() -> None:
    for reader in default_readers():
        found = importer_for(reader)
        assert found is not None, (
            f"reader {reader.name!r}: add it to appliance/importers/by_reader.py"
        )
        if isinstance(found, PlaysInPlace):
            assert len(found.reason) > 10, f"reader {reader.name!r} plays in place without a reason"
        else:
            assert callable(found)


def test_no_reader_is_both_imported_and_played_in_place() -> None:
    assert set(IMPORTERS).isdisjoint(PLAYS_IN_PLACE)


class UnlistedReader:
    """A reader someone registered without saying how its songs are imported."""

    name = "unlisted"

    def find(self, listing: FolderListing) -> Iterable[SongCandidate]:
        return ()

    def read(self, candidate: SongCandidate, library_root: str) -> Song:
        raise NotImplementedError


def test_an_unlisted_reader_is_caught_and_a_subclass_counts_as_its_reader() -> None:
    assert importer_for(UnlistedReader()) is None

    class CountingKarReader(KarReader):
        pass

    assert importer_for(CountingKarReader()) is IMPORTERS[KarReader]
