"""The serializers: the core's models as plain JSON data, as the API sends them (and the OpenAPI
document, ``openapi.py``, describes them). The one place a song becomes JSON: ``song_view`` (a
search result), ``song_detail_view`` (with its stems), ``song_file_view`` (with where it lives,
for ``karaoke songs --json``; never sent to phones). Text from people and files goes out as JSON
strings; pages insert it as text::

    >>> from appliance.core.models import Song, SongId
    >>> song_view(Song(SongId("s1"), "Amazing Grace", "Traditional", 92.5, "/x", key="G"))["key"]
    'G'
"""

from __future__ import annotations

from typing import Any

from appliance.core.models import MixSettings, Singer, Song, transpose_key
from appliance.core.night_settings import NightSettings
from appliance.core.scoring.model import FinalScore
from appliance.core.snapshot import HistoryItem, QueueItem, Snapshot


def song_view(song: Song) -> dict[str, Any]:
    """What a search result shows."""
    return {
        "song_id": song.song_id,
        "title": song.title,
        "artist": song.artist,
        "duration_s": round(song.duration_s, 1),
        "key": song.key,
        "language": song.language,
        "has_stems": song.has_stems,
        "has_guide": song.has_guide,
    }


def song_detail_view(song: Song) -> dict[str, Any]:
    """A song with its stems (for the mix controls)."""
    stems = [
        {"name": stem.name, "role": stem.role.value}
        for stem in song.stems
        if not stem.role.is_monitor_only
    ]
    return {**song_view(song), "bpm": song.bpm, "stems": stems}


def song_file_view(song: Song) -> dict[str, Any]:
    """A song with its kind, folder or file and every stem (monitor ones too): the CLI's."""
    stems = [{"name": stem.name, "role": stem.role.value} for stem in song.stems]
    return {**song_view(song), "bpm": song.bpm, "kind": song.kind.value, "path": song.path,
            "stems": stems}  # fmt: skip


def settings_view(settings: MixSettings, song_key: str = "") -> dict[str, Any]:
    """Mix settings, with the resulting key name ('G -> A') when the song's key is known."""
    view: dict[str, Any] = dict(settings.to_dict())
    view["key_name"] = key_change_name(song_key, settings.key_semitones)
    return view


def key_change_name(song_key: str, semitones: int) -> str:
    """'G -> A' for +2 on a song in G; 'G' at 0; '' when the key is unknown.

    >>> key_change_name("G", 2), key_change_name("Em", -1), key_change_name("", 3)
    ('G -> A', 'Em -> Ebm', '')
    """
    moved = transpose_key(song_key, semitones) if song_key else ""
    if not moved:
        return ""
    return song_key if semitones == 0 else f"{song_key} -> {moved}"


def singer_view(singer: Singer, queued: int = 0, held: int = 0) -> dict[str, Any]:
    """A singer in the rotation: ``queued`` songs in the order, ``held`` while on a break."""
    return {
        "singer_id": singer.singer_id,
        "name": singer.name,
        "paused": singer.paused,
        "queued": queued,
        "held": held,
    }


def queue_item_view(item: QueueItem, index: int) -> dict[str, Any]:
    """An upcoming entry with its ETA."""
    return {
        "entry_id": item.entry.entry_id,
        "index": index,
        "singer_id": item.singer.singer_id,
        "singer_name": item.singer.name,
        "song": song_view(item.song),
        "settings": settings_view(item.entry.settings, item.song.key),
        "eta_s": round(item.eta_s, 1),
        "locked": item.locked,
    }


def night_settings_view(settings: NightSettings) -> dict[str, Any]:
    """The night's settings."""
    return settings.as_dict()


UPCOMING_SHOWN = 50
"""Entries of the queue a snapshot carries: what the phones show first (Now, the top of the
rotation, most singers' songs); the rest is paged (``GET /api/upcoming``), so a long queue does
not make every snapshot, sent to every phone on every change, grow without bound."""


def snapshot_view(snapshot: Snapshot, shown: int = UPCOMING_SHOWN) -> dict[str, Any]:
    """Everything a phone shows; pushed on every change (the queue's first ``shown`` entries,
    and ``upcoming_total``)."""
    counts: dict[int, int] = {}
    for item in snapshot.upcoming:
        counts[item.singer.singer_id] = counts.get(item.singer.singer_id, 0) + 1
    held: dict[int, int] = {}
    for item in snapshot.held:
        held[item.singer.singer_id] = held.get(item.singer.singer_id, 0) + 1
    now = snapshot.now
    return {
        "version": snapshot.version,
        "state": snapshot.state.value,
        "countdown_s": None if snapshot.countdown_s is None else round(snapshot.countdown_s, 1),
        "now": None
        if now is None
        else {
            "entry_id": now.entry.entry_id,
            "singer_id": now.singer.singer_id,
            "singer_name": now.singer.name,
            "song": song_view(now.song),
            "settings": settings_view(now.settings, now.song.key),
            "position_s": round(now.position_s, 2),
        },
        "upcoming": [queue_item_view(item, i) for i, item in enumerate(snapshot.upcoming[:shown])],
        "upcoming_total": len(snapshot.upcoming),
        "singers": [
            singer_view(s, counts.get(s.singer_id, 0), held.get(s.singer_id, 0))
            for s in snapshot.singers
        ],
        "held": [queue_item_view(item, i) for i, item in enumerate(snapshot.held)],
        "settings": night_settings_view(snapshot.settings),
        "volume": round(snapshot.volume, 3),
        "muted": snapshot.muted,
        "last_failure": snapshot.last_failure,
        "audio_priority": snapshot.audio_priority,
        "mics": [{"mic": mic, "problem": problem} for mic, problem in snapshot.mics],
        "final_score": final_score_view(snapshot.final_score),
        "leaderboard": [final_score_view(result) for result in snapshot.leaderboard],
        "no_score_reason": snapshot.no_score_reason,
        "voice": snapshot.voice.to_dict() if snapshot.voice else None,
        "default_voice": snapshot.default_voice.to_dict(),
    }


def final_score_view(result: FinalScore | None) -> dict[str, Any] | None:
    """A sung song's result (None stays None)."""
    if result is None:
        return None
    return {
        "singer_name": result.singer_name,
        "song_id": result.song_id,
        "song_label": result.song_label,
        "score": result.score,
        "max_score": result.max_score,
        "ratings": list(result.ratings),
        "best_before": result.best_before,
        "part": result.part,
    }


def history_view(item: HistoryItem) -> dict[str, Any]:
    """A song sung before."""
    return {
        "singer_name": item.singer_name,
        "song_id": item.song_id,
        "title": item.title,
        "artist": item.artist,
        "outcome": item.outcome,
        "key_semitones": item.key_semitones,
        "score": item.score,
    }
