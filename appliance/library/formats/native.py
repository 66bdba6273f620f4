"""The reader of native song folders: any folder holding a ``song.toml``.

Its signature covers every (non-hidden) file in the folder and its subfolders, so changing the
manifest, a stem or the lyrics makes the scanner read the folder again::

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> folder = root / "Folk" / "Amazing Grace"
    >>> folder.mkdir(parents=True)
    >>> _ = (folder / "mix.flac").write_bytes(b"")
    >>> _ = (folder / "song.toml").write_text('format = 1\\ntitle = "Amazing Grace"\\n'
    ...     'artist = ""\\nduration_s = 92.5\\n[[stems]]\\nname = "mix"\\nfile = "mix.flac"\\n'
    ...     'role = "mix"\\n')
    >>> reader = NativeFolderReader()
    >>> listing = FolderListing(str(folder), ("mix.flac", "song.toml"), (), str(root))
    >>> [candidate] = reader.find(listing)
    >>> reader.read(candidate, str(root)).song_id
    'folk-amazing-grace'
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from appliance.core.models import Song
from appliance.library.formats.songreader import (
    FolderListing,
    SongCandidate,
    is_ignored_name,
    stat_signature,
)
from appliance.library.songfolder.manifest import MANIFEST_NAME, read_manifest
from appliance.library.songfolder.songids import derived_song_id


class NativeFolderReader:
    """Finds ``song.toml`` folders; reads them with :func:`read_manifest`."""

    name = "native"

    def find(self, listing: FolderListing) -> list[SongCandidate]:
        """One candidate, claiming the folder, when it holds a manifest."""
        if MANIFEST_NAME not in listing.files:
            return []
        files = tuple(_song_files(listing))
        signature = stat_signature(files, relative_to=listing.path)
        return [SongCandidate(listing.path, signature, self, claims_folder=True, files=files)]

    def read(self, candidate: SongCandidate, library_root: str) -> Song:
        """The song of the folder; its id is the manifest's or the slug of its library path."""
        fallback = derived_song_id(candidate.path, library_root)
        return read_manifest(candidate.path, fallback_id=fallback)


def _song_files(listing: FolderListing) -> Iterator[str]:
    """Every non-hidden file of the folder, subfolders included (stems may live in one)."""
    for name in listing.files:
        yield listing.file_path(name)
    for folder_name in listing.folders:
        top = listing.file_path(folder_name)
        for folder, folders, files in os.walk(top):
            folders[:] = sorted(name for name in folders if not is_ignored_name(name))
            for name in sorted(files):
                if not is_ignored_name(name):
                    yield os.path.join(folder, name)
