"""A small sd_notify client: tell systemd the box is ready, alive, busy or stopping.

Under ``Type=notify`` with ``WatchdogSec=`` (see ``deploy/systemd/karaoke.service``) systemd sets
``$NOTIFY_SOCKET`` (a path, or ``@name`` for the abstract namespace) and ``$WATCHDOG_USEC``. Outside
systemd both are absent and every call is a no-op, so the app can call it unconditionally::

    notifier = SystemdNotifier.from_environment()
    notifier.ready("playing nothing yet")          # READY=1 + STATUS=...
    while running:
        ...                                        # one pass of the main loop
        notifier.watchdog_if_due()                 # WATCHDOG=1 at half the watchdog interval
    notifier.stopping()                            # STOPPING=1

Messages are single datagrams of ``KEY=VALUE`` lines (sd_notify(3)). Sending never raises and
never waits: a failed send is logged once, a message that finds the socket's queue full is
dropped (the next ping follows within seconds), and the box keeps running.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)


def socket_address(notify_socket: str) -> str | bytes:
    """The address to send to: ``@name`` means Linux's abstract namespace (a leading NUL).

    >>> socket_address("@/org/freedesktop/systemd1/notify")
    b'\\x00/org/freedesktop/systemd1/notify'
    >>> socket_address("/run/systemd/notify")
    '/run/systemd/notify'
    """
    if notify_socket.startswith("@"):
        return b"\0" + notify_socket[1:].encode()
    return notify_socket


def watchdog_interval_s(environ: Mapping[str, str], pid: int | None = None) -> float | None:
    """Seconds between pings (half of ``$WATCHDOG_USEC``), or None without a watchdog for us.

    ``$WATCHDOG_PID``, when set, names the one process the watchdog is meant for.

    >>> watchdog_interval_s({"WATCHDOG_USEC": "30000000"})
    15.0
    >>> watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, pid=2) is None
    True
    """
    usec = environ.get("WATCHDOG_USEC", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    owner = environ.get("WATCHDOG_PID", "")
    if owner.isdigit() and int(owner) != (os.getpid() if pid is None else pid):
        return None
    return int(usec) / 1_000_000 / 2


class SystemdNotifier:
    """Sends notifications to systemd's notify socket; does nothing when there is none."""

    def __init__(
        self,
        notify_socket: str | None,
        watchdog_interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._address = socket_address(notify_socket) if notify_socket else None
        self.watchdog_interval = watchdog_interval
        self._clock = clock
        self._last_ping: float | None = None
        self._warned = False
        self._dropping = False  # the last send found the queue full
        self._sock: socket.socket | None = None

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, unset_environment: bool = False
    ) -> SystemdNotifier:
        """Reads ``$NOTIFY_SOCKET`` and ``$WATCHDOG_USEC``.

        With ``unset_environment=True`` (the app's main process) the variables are removed from
        ``os.environ`` so child processes such as the audio engine do not inherit them.
        """
        env = os.environ if environ is None else environ
        notifier = cls(env.get("NOTIFY_SOCKET") or None, watchdog_interval_s(env))
        if unset_environment and environ is None:
            for name in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"):
                os.environ.pop(name, None)
        return notifier

    @property
    def enabled(self) -> bool:
        """True when running under systemd with a notify socket."""
        return self._address is not None

    def send(self, **fields: str) -> bool:
        """Sends ``KEY=VALUE`` lines in one datagram; True when it was sent."""
        if self._address is None:
            return False
        message = "\n".join(f"{key}={value}" for key, value in fields.items()).encode()
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            # never wait: a full queue (systemd not reading) must not stall the main loop
            self._sock.sendto(message, socket.MSG_DONTWAIT, self._address)
        except BlockingIOError:
            if not self._dropping:
                log.warning("systemd is not reading its notify socket: messages dropped")
                self._dropping = True
            return False
        except OSError as error:
            if not self._warned:
                log.warning("systemd notify socket unusable: %s", error)
                self._warned = True
            return False
        self._dropping = False
        return True

    def ready(self, status: str | None = None) -> bool:
        """READY=1 (and STATUS=): systemd considers the service started."""
        if status is None:
            return self.send(READY="1")
        return self.send(READY="1", STATUS=_one_line(status))

    def status(self, text: str) -> bool:
        """STATUS=: shown by ``systemctl status karaoke``."""
        return self.send(STATUS=_one_line(text))

    def stopping(self) -> bool:
        """STOPPING=1: the service is shutting down on purpose."""
        return self.send(STOPPING="1")

    def watchdog(self) -> bool:
        """WATCHDOG=1: the main loop is alive."""
        self._last_ping = self._clock()
        return self.send(WATCHDOG="1")

    def watchdog_if_due(self) -> bool:
        """Pings when half the watchdog interval has passed; cheap to call every frame."""
        if self.watchdog_interval is None or self._address is None:
            return False
        now = self._clock()
        if self._last_ping is not None and now - self._last_ping < self.watchdog_interval:
            return False
        return self.watchdog()

    def close(self) -> None:
        """Closes the socket (a later send reopens it)."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def _one_line(text: str) -> str:
    return " ".join(text.split())
