"""Who asks the core: the host (PIN, buttons, CLI) or a guest singer (a phone's own token).

A guest may change only their own entries and their own live song; the rest needs the host::

    >>> Actor.guest(7).require_self_or_host(7, "change")
    >>> Actor.guest(7).require_host("skip")
    Traceback (most recent call last):
    ...
    appliance.core.errors.PermissionDenied: only the host may skip
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.core.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """Who asks: the host (PIN, buttons, CLI) or a guest singer (a phone's own token)."""

    is_host: bool
    singer_id: int | None = None

    @classmethod
    def host(cls) -> Actor:
        """The host: may do anything."""
        return cls(is_host=True)

    @classmethod
    def guest(cls, singer_id: int | None) -> Actor:
        """A guest acting as singer ``singer_id`` (None: not joined yet)."""
        return cls(is_host=False, singer_id=singer_id)

    def require_host(self, action: str) -> None:
        """Raise PermissionDenied unless this is the host."""
        if not self.is_host:
            raise PermissionDenied(f"only the host may {action}")

    def require_self_or_host(self, singer_id: int, action: str) -> None:
        """Raise PermissionDenied unless this is the host or singer ``singer_id``."""
        if not self.is_host and self.singer_id != singer_id:
            raise PermissionDenied(f"you may only {action} your own songs")
