"""Checks of single manifest fields: musical key, language, stem role and name, file paths.

Each takes the :class:`FieldReader` of its table (to name the field in errors) and the value::

    >>> fields = FieldReader("song.toml", {})
    >>> check_key(fields, "F#m"), check_language(fields, "EN")
    ('F#m', 'en')
    >>> from appliance.core.errors import SongFormatError
    >>> try:
    ...     check_role(fields, "vocals")
    ... except SongFormatError as error:
    ...     print(error.field, error.reason.split(";")[0])
    role unknown stem role 'vocals' (did you mean 'lead_vocal'?)
"""

from __future__ import annotations

import os
import posixpath
import re
import stat

from appliance.core.models import StemRole
from appliance.library.songfolder.filematch import find_loosely
from appliance.library.songfolder.tomlfields import FieldReader, did_you_mean

KEY_ROOTS = ("C", "C#", "Db", "D", "D#", "Eb", "E", "F", "F#", "Gb", "G", "G#", "Ab", "A", "A#",
             "Bb", "B")  # fmt: skip
VALID_KEYS = frozenset(KEY_ROOTS) | {f"{root}m" for root in KEY_ROOTS}
ROLE_SYNONYMS = {
    "vocal": "lead_vocal", "vocals": "lead_vocal", "voice": "lead_vocal", "lead": "lead_vocal",
    "guide": "lead_vocal", "lead_vocals": "lead_vocal", "backing": "backing_vocals",
    "backing_vocal": "backing_vocals", "choir": "backing_vocals", "piano": "keys",
    "keyboard": "keys", "keyboards": "keys", "organ": "keys", "perc": "percussion",
    "guitars": "guitar", "horns": "brass", "pad": "synth", "synths": "synth",
    "metronome": "click", "instrumental": "mix", "full": "mix", "master": "mix",
}  # fmt: skip
_LANGUAGE = re.compile(r"[a-z]{2}")
_ROLE_VALUES = tuple(role.value for role in StemRole)
MAX_STEM_NAME_CHARS = 64


def check_key(fields: FieldReader, key: str) -> str:
    """A key name such as 'G', 'Bb' or 'F#m' ('' = unknown)."""
    if not key or key in VALID_KEYS:
        return key
    guess = _guess_key(key)
    hint = f" (did you mean {guess!r}?)" if guess else ""
    fields.fail("key", f"unknown key {key!r}{hint}: use C, C#, Db, D, ... B, with 'm' for minor")


def _guess_key(key: str) -> str:
    text = key.strip().replace("♯", "#").replace("♭", "b")
    text = re.sub(r"\s*(major|maj|dur)$", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*(minor|min|moll)$", "m", text, flags=re.IGNORECASE)
    text = text[:1].upper() + text[1:]
    return text if text in VALID_KEYS else ""


def check_language(fields: FieldReader, language: str) -> str:
    """A two-letter ISO 639-1 code, lower-cased ('' = not given)."""
    code = language.lower()
    if code and not _LANGUAGE.fullmatch(code):
        fields.fail("language", f"{language!r} is not a two-letter ISO 639-1 code such as 'en'")
    return code


def check_role(fields: FieldReader, role: str) -> StemRole:
    """A :class:`StemRole` by its value, with a did-you-mean for typos and common synonyms."""
    if role in _ROLE_VALUES:
        return StemRole(role)
    synonym = ROLE_SYNONYMS.get(role.lower())
    hint = f" (did you mean {synonym!r}?)" if synonym else did_you_mean(role, _ROLE_VALUES)
    fields.fail("role", f"unknown stem role {role!r}{hint}; roles: {', '.join(_ROLE_VALUES)}")


def check_stem_name(fields: FieldReader, name: str) -> str:
    """A stem name: 1-64 characters (it names the stem's fader on phones)."""
    if not name:
        fields.fail("name", "must not be empty")
    if len(name) > MAX_STEM_NAME_CHARS:
        fields.fail("name", f"at most {MAX_STEM_NAME_CHARS} characters")
    return name


def check_song_file(
    fields: FieldReader, key: str, folder: str, *, check: bool, optional: bool
) -> str:
    """A file named relative to the song folder, with '/' between folders, inside the folder.

    With ``check``, it must also exist and be a regular file, also after following symlinks;
    a name written in another case or Unicode form than the file's (a folder made on Windows or
    copied from a Mac) is read as the file's own name.
    """
    name = fields.text(key, required=not optional)
    if not name:
        if optional:
            return ""
        fields.fail(key, "must not be empty")
    if "\\" in name:
        fields.fail(key, f"{name!r}: use '/' between folders, not '\\'")
    normal = posixpath.normpath(name)
    if name.startswith("/") or normal == ".." or normal.startswith("../"):
        fields.fail(key, f"{name!r} is outside the song folder: name a file inside it")
    if check:
        if not os.path.lexists(os.path.join(folder, normal)):
            normal = find_loosely(folder, normal) or normal
        _check_exists(fields, key, folder, normal)
    return normal


def _check_exists(fields: FieldReader, key: str, folder: str, relative: str) -> None:
    path = os.path.join(folder, relative)
    try:
        status = os.lstat(path)
    except OSError:
        fields.fail(key, f"file {relative!r} not found")
    if stat.S_ISLNK(status.st_mode) or "/" in relative:
        real_folder = os.path.realpath(folder)
        real = os.path.realpath(path)
        if os.path.commonpath([real_folder, real]) != real_folder:
            fields.fail(key, f"{relative!r} leads outside the song folder (a symlink?)")
        try:
            status = os.stat(real)
        except OSError:
            fields.fail(key, f"file {relative!r} not found (broken symlink)")
    if not stat.S_ISREG(status.st_mode):
        fields.fail(key, f"{relative!r} is not a regular file")
