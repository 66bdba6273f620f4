"""Files named inside song files, found the way their authors' systems found them.

UltraStar headers (``#MP3``, ``#AUDIO``, ``#VOCALS``, ``#INSTRUMENTAL``, ``#VIDEO``, ``#COVER``,
``#BACKGROUND``) name files relative to the ``.txt``. Songs made on Windows or macOS name them
as those systems match them:

- **case**: ``AUDIO.OGG`` finds ``audio.ogg`` (Windows and macOS ignore case);
- **Unicode form**: ``Björk.mp3`` written precomposed (NFC) finds a file named decomposed (NFD,
  as macOS writes names), and the other way round;
- **backslashes**: ``sub\\audio.mp3`` is ``sub/audio.mp3``;
- **relative paths**: ``../../sounds/x.mp3`` is fine inside the library root; outside it, the
  file is refused with the reason (a song must not reach into the rest of the disk).

An exact match always wins; among several files matching only without case, the first by name.
Missing files raise :class:`SongFormatError` naming the header's value::

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "audio.ogg").write_bytes(b"")
    >>> find_named_file(str(root), "AUDIO.OGG", str(root), "a.txt") == str(root / "audio.ogg")
    True
    >>> find_named_file(str(root), "../x.mp3", str(root), "a.txt")
    Traceback (most recent call last):
    ...
    appliance.core.errors.SongFormatError: a.txt: '../x.mp3' is outside the library folder ...
"""

from __future__ import annotations

import os
import unicodedata

from appliance.core.errors import SongFormatError


def find_named_file(
    folder: str, name: str, library_root: str | None, source: str, what: str = "file"
) -> str:
    """The absolute path of the file ``name`` (as a song file ``source`` writes it, relative to
    ``folder``); SongFormatError when it is missing or outside ``library_root`` (default: the
    folder itself)."""
    written = name.strip().replace("\\", "/")
    if not written:
        raise SongFormatError(source, "names an empty file name")
    root = os.path.abspath(library_root or folder)
    target = os.path.normpath(os.path.join(folder, written))
    if not _inside(target, root):
        raise SongFormatError(
            source,
            f"{name!r} is outside the library folder {root}: copy the file into the library "
            "and name it relative to the song",
        )
    if os.path.isfile(target):
        return target
    found = _match_parts(root, os.path.relpath(target, root).split(os.sep))
    if found is None:
        raise SongFormatError(source, f"{what} not found: {name!r}")
    return found


def find_loosely(folder: str, relative: str) -> str | None:
    """``relative`` (under ``folder``) as it is named on disk, matched by Unicode form and then
    without case; None when no file matches."""
    found = _match_parts(folder, relative.split("/"))
    return relative_name(found, folder) if found is not None and os.path.isfile(found) else None


def relative_name(path: str, folder: str) -> str:
    """``path`` as a song's folder names it (may start with ``../``)."""
    return os.path.relpath(path, folder).replace(os.sep, "/")


def _match_parts(base: str, parts: list[str]) -> str | None:
    """Follow ``parts`` from ``base``, each matched exactly, then by Unicode form, then by case."""
    current = base
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        exact = os.path.join(current, part)
        if part in (os.curdir, os.pardir) or (
            os.path.isfile(exact) if last else os.path.isdir(exact)
        ):
            current = exact
            continue
        match = _loose_match(current, part, want_file=last)
        if match is None:
            return None
        current = os.path.join(current, match)
    return current


def _loose_match(folder: str, part: str, *, want_file: bool) -> str | None:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    wanted_form, wanted_case = _nfc(part), _nfc(part).casefold()
    by_form = [n for n in names if _nfc(n) == wanted_form]
    by_case = [n for n in names if _nfc(n).casefold() == wanted_case]
    for name in (*by_form, *by_case):
        path = os.path.join(folder, name)
        if os.path.isfile(path) if want_file else os.path.isdir(path):
            return name
    return None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
