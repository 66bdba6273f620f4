"""``song.toml``: the manifest of a native song folder, read into a checked :class:`Song`.

Reading refuses anything doubtful with a :class:`SongFormatError` naming the file, the field and
what to do; writing is atomic (a power cut leaves the old or the new manifest)::

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "mix.flac").write_bytes(b"")
    >>> _ = write_manifest(folder, {"title": "Amazing Grace", "artist": "Traditional",
    ...     "duration_s": 92.5, "stems": [{"name": "mix", "file": "mix.flac", "role": "mix"}]})
    >>> song = read_manifest(folder, fallback_id="amazing-grace")
    >>> song.song_id, song.stems[0].role
    ('amazing-grace', <StemRole.MIX: 'mix'>)
    >>> (folder / "mix.flac").unlink()
    >>> read_manifest(folder)
    Traceback (most recent call last):
    ...
    appliance.core.errors.SongFormatError: .../song.toml [stems[0].file]: file 'mix.flac' not found
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

import tomli_w

from appliance.core.atomicfile import write_atomically
from appliance.core.errors import SongFormatError
from appliance.core.models import MAX_STEMS, Song, SongId, SongKind, Stem
from appliance.library.songfolder.bounded import read_bounded
from appliance.library.songfolder.manifest_checks import (
    check_key,
    check_language,
    check_role,
    check_song_file,
    check_stem_name,
)
from appliance.library.songfolder.songids import derived_song_id, is_valid_song_id
from appliance.library.songfolder.tomlfields import FieldReader

MANIFEST_NAME = "song.toml"
FORMAT_VERSION = 1
SAMPLE_RATE = 48_000
MAX_MANIFEST_BYTES = 1_000_000
MAX_DURATION_S = 86_400.0
SONG_KEYS = (
    "format", "id", "title", "artist", "language", "tags", "key", "bpm", "duration_s",
    "lyrics", "notes", "loudness_lufs", "loudness_no_guide_lufs", "sample_rate", "stems",
)  # fmt: skip
STEM_KEYS = ("name", "file", "role", "gain_db", "pan")


def read_manifest(folder: str | os.PathLike[str], *, fallback_id: str | None = None) -> Song:
    """The song of a native folder. Without an ``id`` in the manifest, ``fallback_id`` is used
    (the scanner passes the slug of the library path), else the slug of the folder's name."""
    folder = os.path.abspath(folder)
    source = os.path.join(folder, MANIFEST_NAME)
    data = load_toml(source)
    return parse_manifest(data, folder, source=source, fallback_id=fallback_id)


def load_toml(source: str) -> dict[str, object]:
    """Parse a UTF-8 TOML file (a leading BOM is tolerated); SongFormatError on any problem."""
    raw = read_bounded(source, MAX_MANIFEST_BYTES, "a manifest")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SongFormatError(source, f"not UTF-8 text (byte {error.start})") from error
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SongFormatError(source, f"not valid TOML: {error}") from error
    except RecursionError as error:
        raise SongFormatError(source, "not valid TOML: nested too deeply") from error


def parse_manifest(
    data: Mapping[str, object],
    folder: str,
    *,
    source: str | None = None,
    fallback_id: str | None = None,
    check_files: bool = True,
) -> Song:
    """Check manifest ``data`` of ``folder`` and build its song; ``check_files`` also checks
    that every file named exists inside the folder."""
    source = source or os.path.join(folder, MANIFEST_NAME)
    fields = FieldReader(source, data)
    fields.check_keys(SONG_KEYS)
    _check_version(fields)
    song_id = fields.text("id") or fallback_id or derived_song_id(folder, None)
    if not is_valid_song_id(song_id):
        fields.fail("id", f"{song_id!r}: use 1-128 letters, digits, '.', '_' or '-'")
    title = fields.text("title", required=True)
    if not title:
        fields.fail("title", "must not be empty")
    checked = bool(check_files and folder)
    return Song(
        song_id=SongId(song_id),
        title=title,
        artist=fields.text("artist", required=True),
        duration_s=float(
            fields.number("duration_s", required=True, above=0.0, high=MAX_DURATION_S) or 0.0
        ),
        path=folder,
        kind=SongKind.NATIVE,
        language=check_language(fields, fields.text("language")),
        tags=fields.text_list("tags"),
        key=check_key(fields, fields.text("key")),
        bpm=fields.number("bpm", above=0.0, high=1000.0) or 0.0,
        stems=_stems(fields, folder, checked),
        lyrics_file=check_song_file(fields, "lyrics", folder, check=checked, optional=True),
        notes_file=check_song_file(fields, "notes", folder, check=checked, optional=True),
        loudness_lufs=fields.number("loudness_lufs", low=-100.0, high=10.0),
        loudness_no_guide_lufs=fields.number("loudness_no_guide_lufs", low=-100.0, high=10.0),
    )


def _check_version(fields: FieldReader) -> None:
    version = fields.integer("format", required=True)
    if version != FORMAT_VERSION:
        newer = " (newer than this program: update it)" if (version or 0) > FORMAT_VERSION else ""
        fields.fail("format", f"unsupported format version {version}{newer}; this reads 1")
    rate = fields.integer("sample_rate")
    if rate is not None and rate != SAMPLE_RATE:
        fields.fail("sample_rate", f"stems must be {SAMPLE_RATE} Hz, not {rate} (resample them)")


def _stems(fields: FieldReader, folder: str, check_files: bool) -> tuple[Stem, ...]:
    tables = fields.tables("stems", required=True)
    if not tables:
        fields.fail("stems", "a song needs at least one stem")
    if len(tables) > MAX_STEMS:
        fields.fail("stems", f"at most {MAX_STEMS} stems, got {len(tables)}")
    stems: list[Stem] = []
    first_index: dict[str, int] = {}
    for index, table in enumerate(tables):
        table.check_keys(STEM_KEYS)
        name = check_stem_name(table, table.text("name", required=True))
        if name in first_index:
            table.fail("name", f"duplicate stem name {name!r} (also stems[{first_index[name]}])")
        first_index[name] = index
        stems.append(
            Stem(
                name=name,
                role=check_role(table, table.text("role", required=True)),
                file=check_song_file(table, "file", folder, check=check_files, optional=False),
                gain_db=table.number("gain_db", low=-96.0, high=24.0) or 0.0,
                pan=table.number("pan", low=-1.0, high=1.0) or 0.0,
            )
        )
    return tuple(stems)


def write_manifest(folder: str | os.PathLike[str], fields: Mapping[str, object]) -> Path:
    """Write ``song.toml`` into ``folder`` atomically, after checking ``fields`` (not files).

    ``format`` is added when missing. Returns the manifest's path.
    """
    folder = os.path.abspath(folder)
    target = os.path.join(folder, MANIFEST_NAME)
    ordered = _ordered({"format": FORMAT_VERSION, **fields})
    parse_manifest(ordered, folder, source=target, fallback_id="check", check_files=False)
    try:
        data = _dump_toml(ordered).encode("utf-8")
    except TypeError as error:
        raise SongFormatError(target, f"cannot be written as TOML: {error}") from error
    write_atomically(target, data)
    return Path(target)


def manifest_fields(song: Song) -> dict[str, object]:
    """The manifest fields of ``song`` (the inverse of :func:`read_manifest`); empty optional
    fields are left out."""
    optional = {
        "language": song.language,
        "tags": list(song.tags),
        "key": song.key,
        "bpm": song.bpm or None,
        "lyrics": song.lyrics_file,
        "notes": song.notes_file,
        "loudness_lufs": song.loudness_lufs,
        "loudness_no_guide_lufs": song.loudness_no_guide_lufs,
    }
    stems = [
        {"name": s.name, "file": s.file, "role": str(s.role), "gain_db": s.gain_db, "pan": s.pan}
        for s in song.stems
    ]
    return {
        "format": FORMAT_VERSION,
        "id": song.song_id,
        "title": song.title,
        "artist": song.artist,
        "duration_s": song.duration_s,
        "sample_rate": SAMPLE_RATE,
        **{key: value for key, value in optional.items() if value not in (None, "", [])},
        "stems": stems,
    }


def _ordered(fields: Mapping[str, object]) -> dict[str, object]:
    """Known keys in the documented order (stems last), then extension keys; tuples as lists."""
    known = {key: fields[key] for key in SONG_KEYS if key in fields and key != "stems"}
    extra = {key: value for key, value in fields.items() if key not in SONG_KEYS}
    stems = {"stems": fields["stems"]} if "stems" in fields else {}
    return {key: _plain(value) for key, value in {**known, **extra, **stems}.items()}


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _dump_toml(fields: dict[str, object]) -> str:
    """TOML text with each stem as a ``[[stems]]`` section (tomli_w would inline small ones)."""
    stems = fields.get("stems")
    if not isinstance(stems, list):
        return tomli_w.dumps(fields)
    flat = all(
        isinstance(stem, dict) and not any(isinstance(v, dict | list) for v in stem.values())
        for stem in stems
    )
    if not flat:
        return tomli_w.dumps(fields)
    head = tomli_w.dumps({key: value for key, value in fields.items() if key != "stems"})
    sections = [f"\n[[stems]]\n{tomli_w.dumps(stem)}" for stem in stems]
    return head + "".join(sections)
