"""The one exception hierarchy of the box.

Every error the project raises on purpose is a :class:`KaraokeError`. Frontends map the
subclasses to what a user sees (the web remote to HTTP codes, the TV to a notice)::

    >>> try:
    ...     raise InvalidRequest("key_semitones", "must be between -12 and +12")
    ... except KaraokeError as error:
    ...     print(error)
    key_semitones: must be between -12 and +12
"""

from __future__ import annotations


class KaraokeError(Exception):
    """Root of every error the box raises on purpose."""


# --- requests from people (phones, buttons, CLI): HTTP 4xx family ------------------------------


class RequestError(KaraokeError):
    """A request the core refuses; frontends answer it with a 4xx and this message."""


class InvalidRequest(RequestError):
    """A field of a request is malformed or out of range (HTTP 400/422)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFound(RequestError):
    """The singer, entry or song named does not exist (HTTP 404)."""


class PermissionDenied(RequestError):
    """The actor may not do this: a guest touching another's entry, a host-only action (403)."""


class LimitReached(RequestError):
    """A configured limit would be exceeded, e.g. songs queued per singer (HTTP 409/429)."""


class Conflict(RequestError):
    """The request does not fit the current state, e.g. pausing when nothing plays (HTTP 409)."""


# --- configuration ------------------------------------------------------------------------------


class ConfigError(KaraokeError):
    """The configuration file is invalid. ``problems`` lists every problem found, at once."""

    def __init__(self, source: str, problems: list[str]) -> None:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source}: {len(problems)} problem(s) in the configuration:\n{lines}")
        self.source = source
        self.problems = list(problems)


# --- storage ------------------------------------------------------------------------------------


class StoreError(KaraokeError):
    """The state database cannot be opened, migrated or written."""


# --- songs and the library ----------------------------------------------------------------------


class LibraryError(KaraokeError):
    """A problem with songs on disk."""


class SongFormatError(LibraryError):
    """A song file or folder is malformed. Names the file and, where known, the field."""

    def __init__(self, path: str, reason: str, field: str | None = None) -> None:
        where = f"{path} [{field}]" if field else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.reason = reason
        self.field = field


class SongLoadError(LibraryError):
    """A song cannot be played (missing or corrupt audio). The night goes on without it."""

    def __init__(self, song_id: str, reason: str) -> None:
        super().__init__(f"{song_id}: {reason}")
        self.song_id = song_id
        self.reason = reason


class ConversionFailed(LibraryError):
    """A song could not be converted or rendered (a tool failed, the audio cannot be decoded)."""


class ToolMissing(ConversionFailed):
    """A program or data file the conversion needs (FluidSynth, a SoundFont) is not installed."""


# --- devices ------------------------------------------------------------------------------------


class DeviceError(KaraokeError):
    """A hardware device (sound card, display, GPIO) is missing or failed."""
