"""Song ids: unchanged for Latin-script paths (queues and history survive the upgrade), unique
and stable for every other script, the same for a library copied from a Mac."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.library.songfolder.songids import (
    derived_song_id,
    disambiguated_id,
    drops_letters,
    is_valid_song_id,
)

ROOT = "/media/songs"


def previous_derived_id(relative: str) -> str:
    """The id scheme before issue 12 (main at f042be3), written out to pin it down."""
    folded = unicodedata.normalize("NFKD", relative).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    digest = hashlib.blake2b(relative.encode("utf-8"), digest_size=5).hexdigest()
    if not slug:
        return f"song-{digest}"
    if len(slug) > 128:
        slug = f"{slug[:117].rstrip('-')}-{digest}"
    return slug


LATIN = [
    "Folk/Amazing Grace",
    "Björk – Jóga (Live).txt",
    "AC-DC - T.N.T/AC-DC - T.N.T.txt",
    "Straße/Fußmassage.kar",
    "Søren Østergaard - Æbler.mp3",
    "Łódź/Żółć.lrc",
    "t.A.T.u./All the Things She Said.txt",
    "SC8125-05 - Beatles, The - Let It Be.zip",
    "Ｆｕｌｌｗｉｄｔｈ/ｓｏｎｇ",
    "x" * 300,
]


@pytest.mark.parametrize("relative", LATIN)
def test_latin_ids_are_what_they_were(relative: str) -> None:
    path = os.path.join(ROOT, relative)
    assert derived_song_id(path, ROOT) == previous_derived_id(relative)


def test_ids_of_pure_cjk_folders_are_what_they_were() -> None:
    for relative in ("周杰伦/晴天", "すし"):
        path = os.path.join(ROOT, relative)
        assert derived_song_id(path, ROOT) == previous_derived_id(relative)


def test_songs_named_only_in_another_script_get_their_own_ids() -> None:
    names = ["周杰伦/晴天.txt", "周杰伦/七里香.txt", "Кино/Группа крови.txt", "Кино/Кукушка.txt"]
    ids = [derived_song_id(os.path.join(ROOT, name), ROOT) for name in names]
    assert len(set(ids)) == len(ids)
    assert all(is_valid_song_id(song_id) for song_id in ids)
    assert ids[0].startswith("txt-") and ids[2].startswith("txt-")


def test_a_mac_copy_gets_the_same_ids() -> None:
    for relative in ("한국어/노래.txt", "Björk/Jóga.txt", "Кино/Звезда.txt"):
        nfd = unicodedata.normalize("NFD", relative)
        assert derived_song_id(os.path.join(ROOT, nfd), ROOT) == derived_song_id(
            os.path.join(ROOT, relative), ROOT
        )


def test_disambiguated_ids_are_stable_distinct_and_valid() -> None:
    first = disambiguated_id("a" * 128, f"{ROOT}/t.A.T.u/x.txt", ROOT)
    again = disambiguated_id("a" * 128, f"{ROOT}/t.A.T.u/x.txt", ROOT)
    other = disambiguated_id("a" * 128, f"{ROOT}/T.A.T.U/x.txt", ROOT)
    second_round = disambiguated_id("a" * 128, f"{ROOT}/t.A.T.u/x.txt", ROOT, 1)
    assert first == again and len({first, other, second_round}) == 3
    assert all(is_valid_song_id(song_id) for song_id in (first, other, second_round))


@given(st.text(min_size=1, max_size=80).filter(lambda t: "\0" not in t and "/" not in t))
def test_every_name_gives_a_valid_id(name: str) -> None:
    song_id = derived_song_id(f"{ROOT}/{name}", ROOT)
    assert is_valid_song_id(song_id), (name, song_id)
    if drops_letters(name):
        assert song_id != previous_derived_id(name) or song_id.startswith("song-")
