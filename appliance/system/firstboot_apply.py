"""Applies validated first-boot settings to an installed root (``/`` on the box, a folder in tests).

    lines = apply_settings(load_settings(path), root=Path("/"))
    consume_settings_file(path)    # karaoke.toml -> karaoke.toml.applied, secrets blanked

What goes where:

- venue Wi-Fi: ``/etc/NetworkManager/system-connections/karaoke-venue.nmconnection`` (0600);
- hotspot name/password: the ``karaoke-hotspot`` profile written by ``deploy/install.sh``;
- Wi-Fi country and screen resolution: the kernel command line, through ``karaoke-cmdline``;
- hostname: ``/etc/hostname`` and ``/etc/hosts`` (mDNS then answers as ``<hostname>.local``);
- host PIN and screen size: ``/var/lib/karaoke/config.toml``, the app's own config file
  (``[web] pin``, ``[display] size``), read through $KARAOKE_STATE_DIR.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from pathlib import Path

import tomli_w

from appliance.core.atomicfile import write_atomically
from appliance.core.errors import ConfigError
from appliance.system.firstboot_settings import FirstBootSettings, WifiSettings

CONNECTIONS = "etc/NetworkManager/system-connections"
HOTSPOT_PROFILE = f"{CONNECTIONS}/karaoke-hotspot.nmconnection"
VENUE_PROFILE = f"{CONNECTIONS}/karaoke-venue.nmconnection"
APP_SETTINGS = "var/lib/karaoke/config.toml"
CMDLINE = "boot/firmware/cmdline.txt"
INSTALLED_TOOLS = "usr/local/lib/karaoke"


def keyfile_value(text: str) -> str:
    r"""Escapes a value for NetworkManager's keyfile (GKeyFile) format.

    >>> keyfile_value(" a\\b\n")
    '\\sa\\\\b\\n'
    """
    escaped = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    return "\\s" + escaped[1:] if escaped.startswith(" ") else escaped


def venue_profile(wifi: WifiSettings) -> str:
    """A NetworkManager keyfile that joins the venue's Wi-Fi automatically."""
    lines = [
        "[connection]",
        "id=karaoke-venue",
        f"uuid={uuid.uuid5(uuid.NAMESPACE_DNS, 'venue.' + wifi.ssid)}",
        "type=wifi",
        "autoconnect=true",
        "autoconnect-priority=10",
        "",
        "[wifi]",
        "mode=infrastructure",
        f"ssid={keyfile_value(wifi.ssid)}",
        "",
    ]
    if wifi.password:
        lines += ["[wifi-security]", "key-mgmt=wpa-psk", f"psk={keyfile_value(wifi.password)}", ""]
    lines += ["[ipv4]", "method=auto", "", "[ipv6]", "method=auto", ""]
    return "\n".join(lines)


def updated_hotspot_profile(profile: str, name: str | None, password: str | None) -> str:
    """The hotspot keyfile with a new SSID and/or password, everything else kept."""
    if name is not None:
        profile = re.sub(r"(?m)^ssid=.*$", lambda _: "ssid=" + keyfile_value(name), profile)
    if password is not None:
        profile = re.sub(r"(?m)^psk=.*$", lambda _: "psk=" + keyfile_value(password), profile)
    return profile


def hosts_with_hostname(hosts: str, hostname: str) -> str:
    """/etc/hosts with ``127.0.1.1 <hostname>`` (Debian's convention), replaced or added."""
    line = f"127.0.1.1\t{hostname}"
    if re.search(r"(?m)^127\.0\.1\.1\s.*$", hosts):
        return re.sub(r"(?m)^127\.0\.1\.1\s.*$", line, hosts)
    return hosts + ("" if hosts.endswith("\n") or not hosts else "\n") + line + "\n"


def _run_cmdline_tool(root: Path, tools: Path | None, params: list[str]) -> str:
    cmdline = root / CMDLINE
    if not cmdline.exists():
        return f"kernel command line: {cmdline} not found, left alone"
    tool = (tools or root / INSTALLED_TOOLS) / "karaoke-cmdline"
    result = subprocess.run(
        ["sh", str(tool), "--file", str(cmdline), *params],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ConfigError(str(cmdline), [result.stderr.strip() or "karaoke-cmdline failed"])
    return f"kernel command line: {' '.join(params)} ({result.stdout.strip()})"


def apply_settings(
    settings: FirstBootSettings, root: Path = Path("/"), tools: Path | None = None
) -> list[str]:
    """Writes every setting given; returns one line per thing done, for the journal."""
    done: list[str] = []
    if settings.wifi is not None:
        write_atomically(
            root / VENUE_PROFILE, venue_profile(settings.wifi).encode(), 0o600, make_folder=True
        )
        done.append(f"venue Wi-Fi: {settings.wifi.ssid}")
    if settings.hotspot is not None:
        done.append(_apply_hotspot(root, settings))
    if settings.hostname is not None:
        _apply_hostname(root, settings.hostname)
        done.append(f"hostname: {settings.hostname} ({settings.hostname}.local)")
    params = []
    if settings.wifi is not None and settings.wifi.country:
        params.append(f"cfg80211.ieee80211_regdom={settings.wifi.country}")
    if settings.resolution:
        params.append(f"video=HDMI-A-1:{settings.resolution}")
    if params:
        done.append(_run_cmdline_tool(root, tools, params))
    app = _app_settings(settings)
    if app:
        write_atomically(root / APP_SETTINGS, tomli_w.dumps(app).encode(), 0o640, make_folder=True)
        _give_to_karaoke_user(root / APP_SETTINGS, root)
        done.append(f"app settings: {APP_SETTINGS} ({', '.join(sorted(app))})")
    return done


def _apply_hotspot(root: Path, settings: FirstBootSettings) -> str:
    assert settings.hotspot is not None
    path = root / HOTSPOT_PROFILE
    if not path.exists():
        raise ConfigError(str(path), ["the hotspot profile is missing: run deploy/install.sh"])
    profile = updated_hotspot_profile(
        path.read_text(), settings.hotspot.name, settings.hotspot.password
    )
    write_atomically(path, profile.encode(), 0o600, make_folder=True)
    return f"hotspot: {settings.hotspot.name or '(name unchanged)'}"


def _apply_hostname(root: Path, hostname: str) -> None:
    write_atomically(root / "etc/hostname", (hostname + "\n").encode(), 0o644, make_folder=True)
    hosts = root / "etc/hosts"
    current = hosts.read_text() if hosts.exists() else "127.0.0.1\tlocalhost\n"
    write_atomically(
        hosts, hosts_with_hostname(current, hostname).encode(), 0o644, make_folder=True
    )
    if root == Path("/") and os.geteuid() == 0:
        import socket

        socket.sethostname(hostname)


def _app_settings(settings: FirstBootSettings) -> dict[str, dict[str, str]]:
    app: dict[str, dict[str, str]] = {}
    if settings.host_pin:
        app["web"] = {"pin": settings.host_pin}
    if settings.resolution:
        app["display"] = {"size": settings.resolution.split("@")[0]}
    return app


def _give_to_karaoke_user(path: Path, root: Path) -> None:
    if root != Path("/") or os.geteuid() != 0:
        return
    import pwd

    try:
        entry = pwd.getpwnam("karaoke")
    except KeyError:
        return
    os.chown(path, entry.pw_uid, entry.pw_gid)


SECRET_LINE = re.compile(r"(?m)^(\s*(?:password|pin)\s*=\s*).*$")


def consume_settings_file(path: Path) -> Path:
    """Renames the applied file to ``<name>.applied`` with passwords and PIN blanked."""
    redacted = SECRET_LINE.sub(lambda match: match.group(1) + '""  # applied', path.read_text())
    applied = path.with_name(path.name + ".applied")
    write_atomically(applied, redacted.encode(), make_folder=True)
    path.unlink()
    return applied
