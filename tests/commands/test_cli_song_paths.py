"""A SONG given as a path: a native folder, its song.toml, a foreign file the readers know."""

from __future__ import annotations

import pytest

from appliance.commands.common import resolve_song
from appliance.config import parse_config
from appliance.core.errors import InvalidRequest
from appliance.core.models import SongKind
from tests.support.importer_songs import kar_bytes


@pytest.fixture
def config(tmp_path):
    return parse_config(f'[state]\nstate_dir = "{tmp_path / "state"}"\n')


def test_native_folder_and_its_manifest(config, demo_library):
    folder = demo_library / "demo-amazing-grace"
    for path in (folder, folder / "song.toml"):
        song = resolve_song(config, str(path))
        assert song.title == "Amazing Grace" and song.kind is SongKind.NATIVE


def test_a_kar_file_by_its_path(config, tmp_path):
    kar = tmp_path / "songs" / "Twinkle.kar"
    kar.parent.mkdir()
    kar.write_bytes(kar_bytes())
    song = resolve_song(config, str(kar))
    assert song.kind is SongKind.KAR and song.path == str(kar)


def test_a_file_no_reader_claims_is_a_clear_error(config, tmp_path):
    other = tmp_path / "notes.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(InvalidRequest, match="not a song this box can read"):
        resolve_song(config, str(other))
