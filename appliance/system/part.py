"""The system part of the running box: systemd readiness and watchdog, network mode, USB sticks.

Started by :mod:`appliance.app` before the web remote and the TV::

    part = start(context)   # context: PartContext[None] (the system has no config section)
    part.network            # NetworkInfo, handed to the web remote and the TV
    part.beat()             # READY=1 on the first heartbeat of the main loop, then the watchdog
    part.stop()             # STOPPING=1

- The composition root calls ``part.beat()`` from the main loop about once a second; the first
  beat tells systemd the box is ready, every beat feeds the watchdog when it is due (a hung
  loop gets the box restarted).
- ``part.network`` says the network mode; in hotspot mode it holds the Wi-Fi join payload (the
  TV shows it as a QR code); its ``hotspot_active`` tells the remote's captive-portal answers
  the live mode.
- A USB stick with songs, mounted read-only by the udev rule, is indexed as it arrives
  (progress on the TV through the box's scan), and forgotten when it is pulled out.
"""

from __future__ import annotations

import logging
from pathlib import Path

from appliance.parts import Library, NetworkInfo, PartContext
from appliance.system.mounts import MountWatcher
from appliance.system.network import NetworkMode, network_status, read_mode
from appliance.system.notify import SystemdNotifier
from appliance.system.wifi_qr import wifi_qr_payload

log = logging.getLogger(__name__)


class SystemPart:
    """Holds the notifier and the mount watcher for the box's lifetime."""

    def __init__(self, library: Library, notifier: SystemdNotifier, network: NetworkInfo) -> None:
        self._library = library
        self._notifier = notifier
        self.network = network
        self._ready_sent = False
        self._watcher: MountWatcher | None = None

    def beat(self) -> None:
        """One heartbeat of the main loop: READY the first time, then the watchdog."""
        if not self._ready_sent:
            self._ready_sent = True
            self._notifier.ready("karaoke box running")
            self._notifier.watchdog()
            return
        self._notifier.watchdog_if_due()

    def watch_usb(self) -> None:
        """Index USB song sticks as they are mounted."""
        self._watcher = MountWatcher(on_added=self.stick_added, on_removed=self.stick_removed)
        self._watcher.start()

    def stick_added(self, point: Path) -> None:
        """A USB stick with songs was mounted at ``point``: index it."""
        log.info("songs on a USB stick at %s: indexing", point)
        self._library.add_root(point)

    def stick_removed(self, point: Path) -> None:
        """The stick at ``point`` was pulled out: forget its songs."""
        log.info("USB stick at %s removed", point)
        self._library.remove_root(point)

    def stop(self) -> None:
        """Tell systemd the box is stopping; stop watching mounts."""
        if self._watcher is not None:
            self._watcher.stop()
        self._notifier.stopping()
        self._notifier.close()


def start(context: PartContext[None]) -> SystemPart:
    """Start the system side of the box (see the module docstring)."""
    notifier = SystemdNotifier.from_environment(unset_environment=True)
    part = SystemPart(context.library, notifier, current_network())
    part.watch_usb()
    return part


def current_network() -> NetworkInfo:
    """The network mode now; in hotspot mode, how to join it."""
    status = network_status()
    hotspot = status.hotspot if status.mode is NetworkMode.HOTSPOT else None
    return NetworkInfo(
        mode=status.mode.value,
        wifi_qr=wifi_qr_payload(hotspot.ssid, hotspot.password) if hotspot else "",
        hotspot_ssid=hotspot.ssid if hotspot else "",
        hotspot_active=hotspot_active,
    )


def hotspot_active() -> bool:
    """Is the box's hotspot up right now (read live, for the captive-portal answers)."""
    return read_mode() is NetworkMode.HOTSPOT
