"""The ``[web]`` section of the configuration: where the phone remote listens, its host PIN.

Loaded with every other section by :mod:`appliance.config`; read by :mod:`web_remote.part`.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass


@dataclass(frozen=True)
class WebConfig:
    """The phone remote. ``pin``: the host PIN ('' = a random one kept in the state dir).
    ``https_port``: the same remote over TLS with the box's own certificate, so phones may
    lend it their microphone (0 = off; web_remote/tls_front.py)."""

    enabled: bool = True
    host: str = "0.0.0.0"
    port: int = 8080
    pin: str = ""
    public_url: str = ""
    https_port: int = 8443

    _ranges: typing.ClassVar[dict[str, tuple[float, float]]] = {
        "port": (1, 65535),
        "https_port": (0, 65535),
    }
