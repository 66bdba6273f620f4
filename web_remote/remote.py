"""What the web remote's request handlers share: the core, tokens, claims, limits, hooks.

:class:`RemoteOptions` is what :func:`web_remote.app.create_app` takes besides the core; every
hardware or system edge (power, rescan, the clock) is injectable, so tests use recorders::

    >>> options = RemoteOptions(pin="2468")
    >>> options.pin, options.max_streams
    ('2468', 240)
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from appliance.core.service import Core
from web_remote.broadcaster import Broadcaster
from web_remote.claims import JoinBudget, import_old_claims
from web_remote.hostnames import BoxNames
from web_remote.ratelimit import PinGuard, TokenBuckets
from web_remote.revocations import Revocations
from web_remote.secrets_store import host_pin, load_or_create_secret
from web_remote.tokens import Tokens

PowerAction = Callable[[str], None]
"""``power("reboot")`` or ``power("poweroff")``; raises Conflict where it cannot."""


@dataclass(frozen=True)
class RemoteOptions:
    """How the remote runs. Empty ``pin``: the configured one, else generated in ``state_dir``."""

    state_dir: Path | None = None
    pin: str = ""
    secret: bytes | None = None
    power: PowerAction | None = None
    rescan: Callable[[], bool] | None = None
    public_url: Callable[[], str] = lambda: ""
    https_port: Callable[[], int] = lambda: 0
    """The port of the https front (0: none), once it listens."""
    hotspot_active: Callable[[], bool] = lambda: False
    max_streams: int = 240
    max_streams_per_address: int = 4
    heartbeat_s: float = 15.0
    rate_per_s: float = 10.0
    rate_burst: int = 40
    write_rate_per_s: float = 3.0
    write_burst: int = 20
    pin_max_failures: int = 5
    pin_lockout_s: float = 300.0
    max_joins_per_address: int = 10
    allowed_hosts: tuple[str, ...] = ()
    max_body_bytes: int = 16 * 1024
    clock: Callable[[], float] = time.monotonic


class Remote:
    """The shared state of one app (``current_app.extensions["karaoke"]``)."""

    def __init__(self, core: Core, options: RemoteOptions) -> None:
        self.core = core
        self.options = options
        state = options.state_dir
        secret = options.secret or (load_or_create_secret(state) if state else None)
        if options.pin:
            self.pin = options.pin
        elif state:
            self.pin = host_pin("", state)
        else:
            self.pin = f"{secrets.randbelow(10**6):06d}"
        self.tokens = Tokens(secret or secrets.token_bytes(32), self.pin)
        import_old_claims(core, state)
        self.joins = JoinBudget(options.max_joins_per_address)
        self.reads = TokenBuckets(options.rate_per_s, options.rate_burst, options.clock)
        self.writes = TokenBuckets(options.write_rate_per_s, options.write_burst, options.clock)
        self.pin_guard = PinGuard(options.pin_max_failures, options.pin_lockout_s, options.clock)
        self.revoked = Revocations(state)
        self.hosts = BoxNames(options.public_url, options.allowed_hosts)
        self.broadcaster: Broadcaster | None = None
        self.host_addresses: set[str] = {"127.0.0.1", "::1"}
        """The box itself and every address that logged in with the PIN: they may use the
        connections kept in reserve for the host (web_remote/connections.py)."""
        self.host_devices: set[str] = set()
        """Devices that held a host session: the global PIN back-off does not slow them."""

    def is_host_address(self, address: str) -> bool:
        """True for the box itself and addresses the host logged in from."""
        return address in self.host_addresses


def remote() -> Remote:
    """The Remote of the app handling this request."""
    return current_app.extensions["karaoke"]
