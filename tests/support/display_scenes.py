"""Snapshots, songs and lyrics for the display's tests: every time and colour known exactly."""

from __future__ import annotations

import pygame

from appliance.core.models import (
    EntryId,
    MixSettings,
    QueueEntry,
    Singer,
    SingerId,
    Song,
    SongId,
)
from appliance.core.snapshot import NowPlaying, PlaybackState, QueueItem, Snapshot
from appliance.library.formats.lrc import parse_lrc
from appliance.library.formats.lyrics import Lyrics

GRACE_WORDS = (
    (4.0, "A", 4.5, "ma", 5.0, "zing ", 6.0, "grace, ", 7.5, "how ", 8.0, "sweet ", 9.0, "the ",
     9.5, "sound", 11.0),
    (12.0, "That ", 12.5, "saved ", 13.5, "a ", 14.0, "wretch ", 15.5, "like ", 16.0, "me", 18.0),
    (19.0, "I ", 19.5, "once ", 20.5, "was ", 21.0, "lost, ", 22.5, "but ", 23.0, "now ", 24.0,
     "am ", 24.5, "found", 26.0),
    (27.0, "Was ", 27.5, "blind, ", 29.0, "but ", 29.5, "now ", 30.5, "I ", 31.0, "see", 33.0),
    (42.0, "'Twas ", 42.5, "grace ", 43.5, "that ", 44.0, "taught ", 45.5, "my ", 46.0, "heart ",
     47.0, "to ", 47.5, "fear", 49.0),
)  # fmt: skip


def tag(seconds: float) -> str:
    """An LRC time tag body: 'mm:ss.xx'."""
    return f"{int(seconds // 60):02d}:{seconds % 60:05.2f}"


def enhanced_line(timed: tuple) -> str:
    """'[t0]<t0>word<t1>word...<tn>' from (t0, word, t1, word, ..., tn)."""
    body = "".join(f"<{tag(timed[i])}>{timed[i + 1]}" for i in range(0, len(timed) - 1, 2))
    return f"[{tag(timed[0])}]{body}<{tag(timed[-1])}>"


GRACE_LRC = "\n".join(
    ["[ti:Amazing Grace]", "[ar:John Newton]"]
    + [enhanced_line(line) for line in GRACE_WORDS[:4]]
    + ["[00:33.00]", enhanced_line(GRACE_WORDS[4])]
)


def grace_lyrics() -> Lyrics:
    """Amazing Grace (John Newton, 1779: public domain) with word times."""
    return parse_lrc(GRACE_LRC)


def song(
    title: str = "Amazing Grace",
    artist: str = "John Newton",
    duration_s: float = 60.0,
    song_id: str = "grace",
    bpm: float = 0.0,
) -> Song:
    """A catalog song (no files: the display only reads its fields)."""
    return Song(SongId(song_id), title, artist, duration_s, "/nowhere", bpm=bpm)


def singer(name: str, singer_id: int = 1) -> Singer:
    """A singer."""
    return Singer(SingerId(singer_id), name, joined_order=singer_id)


def item(name: str, title: str, eta_s: float, number: int = 2, artist: str = "Trad.") -> QueueItem:
    """An upcoming entry."""
    entry = QueueEntry(EntryId(number), SingerId(number), SongId(f"s{number}"))
    return QueueItem(entry, singer(name, number), song(title, artist, 180.0, f"s{number}"), eta_s)


QUEUE = (
    item("Grace", "Danny Boy", 95, 2, "Frederic Weatherly"),
    item("Olek", "Kalinka", 320, 3, "Ivan Larionov"),
    item("Yūko", "Sakura Sakura", 540, 4, "Traditional"),
    item("Marcus", "Greensleeves", 790, 5, "Traditional"),
    item("Beatriz", "Cielito Lindo", 1010, 6, "Quirino Mendoza y Cortés"),
    item("Tom", "Scarborough Fair", 1260, 7, "Traditional"),
)


def playing(
    position_s: float = 5.0,
    settings: MixSettings | None = None,
    *,
    name: str = "Ada",
    the_song: Song | None = None,
    upcoming: tuple[QueueItem, ...] = QUEUE,
    state: PlaybackState = PlaybackState.PLAYING,
) -> Snapshot:
    """A snapshot of ``name`` singing."""
    the_song = the_song or song()
    entry = QueueEntry(EntryId(1), SingerId(1), the_song.song_id, settings or MixSettings())
    now = NowPlaying(entry, singer(name), the_song, settings or MixSettings(), position_s)
    return Snapshot(version=1, state=state, now=now, upcoming=upcoming)


def up_next(countdown_s: float = 12.0, upcoming: tuple[QueueItem, ...] = QUEUE) -> Snapshot:
    """A snapshot between singers."""
    return Snapshot(
        version=1, state=PlaybackState.UP_NEXT, countdown_s=countdown_s, upcoming=upcoming
    )


def idle(upcoming: tuple[QueueItem, ...] = ()) -> Snapshot:
    """A snapshot with nothing queued."""
    return Snapshot(version=1, state=PlaybackState.IDLE, upcoming=upcoming)


def decoded(surface: pygame.Surface) -> set[str]:
    """Every QR code zxing-cpp finds on the screen."""
    import zxingcpp

    pixels = pygame.surfarray.array3d(surface).swapaxes(0, 1).copy()
    return {result.text for result in zxingcpp.read_barcodes(pixels)}
