"""The system part of the running box: systemd readiness and watchdog, network mode, USB sticks.

Started by :mod:`appliance.app` before the web remote and the TV::

    part = start(box)   # READY=1 goes out on the first heartbeat of the main loop
    ...
    part.stop()         # STOPPING=1

- The main loop calls ``box.beat()`` about once a second; the first beat tells systemd the box
  is ready, every beat feeds the watchdog when it is due (a hung loop gets the box restarted).
- In hotspot mode the Wi-Fi join payload goes into ``box.options["wifi_qr"]`` for the TV, and
  ``box.options["hotspot_active"]`` tells the remote's captive-portal answers the live mode.
- A USB stick with songs, mounted read-only by the udev rule, is indexed as it arrives
  (progress on the TV through the box's scan), and forgotten when it is pulled out.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from appliance.system.mounts import MountWatcher
from appliance.system.network import NetworkMode, network_status, read_mode
from appliance.system.notify import SystemdNotifier
from appliance.system.wifi_qr import wifi_qr_payload

log = logging.getLogger(__name__)


class SystemPart:
    """Holds the notifier and the mount watcher for the box's lifetime."""

    def __init__(self, box: Any, notifier: SystemdNotifier) -> None:
        self._box = box
        self._notifier = notifier
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
        self._watcher = MountWatcher(on_added=self._stick_added, on_removed=self._stick_removed)
        self._watcher.start()

    def _stick_added(self, point: Path) -> None:
        log.info("songs on a USB stick at %s: indexing", point)
        self._box.add_library_root(point)

    def _stick_removed(self, point: Path) -> None:
        log.info("USB stick at %s removed", point)
        self._box.remove_library_root(point)

    def stop(self) -> None:
        """Tell systemd the box is stopping; stop watching mounts."""
        if self._watcher is not None:
            self._watcher.stop()
        self._notifier.stopping()
        self._notifier.close()


def start(box: Any) -> SystemPart:
    """Start the system side of ``box`` (see the module docstring)."""
    part = SystemPart(box, SystemdNotifier.from_environment(unset_environment=True))
    status = network_status()
    box.options["network_mode"] = status.mode.value
    box.options["hotspot_active"] = lambda: read_mode() is NetworkMode.HOTSPOT
    if status.mode is NetworkMode.HOTSPOT and status.hotspot is not None:
        box.options["wifi_qr"] = wifi_qr_payload(status.hotspot.ssid, status.hotspot.password)
        box.options["hotspot_ssid"] = status.hotspot.ssid
    box.heartbeat.append(part.beat)
    part.watch_usb()
    return part
