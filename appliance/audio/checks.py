"""``karaoke doctor``'s audio checks: devices, Rubber Band, the audio decoders (libsndfile and
PyAV's ffmpeg), real-time priority (what a running engine's audio thread was granted, else
whether this user may have it), a running engine's underflows (from the status file it keeps in
the state directory).

    >>> from pathlib import Path
    >>> [c.name for c in checks(AudioConfig(), Path("/var/lib/karaoke"))][:1]  # doctest: +SKIP
    ['sound device']
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from appliance.audio.engine.realtime import REALTIME_PRIORITY, raise_priority
from appliance.audio.engine.status import read_status_file
from appliance.audio.settings import AudioConfig
from appliance.core.errors import KaraokeError
from appliance.core.health import FAIL, OK, WARN, Check

STATUS_FRESH_S = 10.0


def checks(config: AudioConfig, state_dir: Path) -> list[Check]:
    """Every audio check, in the order a person would fix them."""
    return [_device(config), _rubberband(), _decoders(), _realtime(state_dir), _engine(state_dir)]


def _device(config: AudioConfig) -> Check:
    from appliance.audio.engine.device import find_device

    try:
        device = find_device(config.device)
    except KaraokeError as error:
        return Check("sound device", FAIL, str(error), fix="plug the card in; `karaoke devices`")
    except Exception as error:
        return Check("sound device", FAIL, f"PortAudio: {error}", fix="apt install libportaudio2")
    return Check("sound device", OK, f"{device['name']} ({device['channels']} outputs)")


def _rubberband() -> Check:
    from appliance.audio.dsp.rubberband import library

    try:
        library()
    except KaraokeError as error:
        return Check("key and tempo", FAIL, str(error), fix="apt install librubberband2")
    return Check("key and tempo", OK, "Rubber Band real-time library loaded")


DECODERS = {"aac": "M4A/AAC", "opus": "Opus", "wmav2": "WMA", "mp3float": "MP3", "vorbis": "OGG"}


def _decoders() -> Check:
    """libsndfile and PyAV, and the ffmpeg decoders songs played in place need."""
    import soundfile

    fix = "reinstall the app (deploy/install.sh): PyAV comes from PyPI with its own ffmpeg"
    try:
        import av
    except ImportError as error:
        return Check("audio decoders", FAIL, f"PyAV missing ({error})", fix=fix)
    missing = [name for codec, name in DECODERS.items() if codec not in av.codecs_available]
    versions = f"libsndfile {soundfile.__libsndfile_version__}, PyAV {av.__version__}"
    if missing:
        return Check("audio decoders", WARN, f"{versions}: no {', '.join(missing)}", fix=fix)
    return Check("audio decoders", OK, f"{versions}: {', '.join(DECODERS.values())}, video sound")


def _realtime(state_dir: Path) -> Check:
    """What the running engine's callback thread got, else whether this user may get it."""
    status = _fresh_status(state_dir)
    described = str(status.get("realtime", "")) if status else ""
    fix = (
        f"LimitRTPRIO={REALTIME_PRIORITY} in the systemd unit (deploy/systemd/karaoke.service), "
        f"or @audio - rtprio {REALTIME_PRIORITY} in /etc/security/limits.d"
    )
    if described:
        granted = described.startswith("SCHED_FIFO")
        detail = f"the engine's audio thread: {described}"
        return Check("real-time priority", OK if granted else WARN, detail, "" if granted else fix)
    grant = raise_priority(REALTIME_PRIORITY)
    if grant.granted:
        os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
        detail = f"the audio callback may use SCHED_FIFO priority {REALTIME_PRIORITY}"
        return Check("real-time priority", OK, detail)
    return Check("real-time priority", WARN, f"not allowed for this user: {grant.refusal}", fix)


def _fresh_status(state_dir: Path) -> dict[str, object] | None:
    status = read_status_file(state_dir)
    if not status or time.time() - _number(status, "time") > STATUS_FRESH_S:
        return None
    return status


def _engine(state_dir: Path) -> Check:
    status = read_status_file(state_dir)
    if not status:
        return Check("engine", OK, "not running (the box has not played here yet)")
    age_s = time.time() - _number(status, "time")
    pid = int(_number(status, "pid"))
    if age_s > STATUS_FRESH_S or not _alive(pid):
        return Check("engine", OK, f"not running (last seen {_ago(age_s)}, pid {pid} gone)")
    underflows = int(_number(status, "underflows"))
    worst_ms = _number(status, "worst_producer_s") * 1000
    detail = (
        f"pid {status.get('pid')} on {status.get('device')}, {status.get('state')}, "
        f"{underflows} underflows, worst block {worst_ms:.1f} ms"
    )
    if underflows:
        fix = "raise [audio] blocksize or latency_s; check `top` for a busy process"
        return Check("engine", WARN, detail, fix=fix)
    return Check("engine", OK, detail)


__all__ = ["FAIL", "checks"]


def _alive(pid: int) -> bool:
    """True when a process with this id exists (a stale status file names a dead one)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ago(seconds: float) -> str:
    """'12 s ago', '5 min ago', '3 h ago'."""
    if seconds < 120:
        return f"{max(0, round(seconds))} s ago"
    if seconds < 7200:
        return f"{round(seconds / 60)} min ago"
    return f"{round(seconds / 3600)} h ago"


def _number(status: dict[str, object], key: str) -> float:
    """A number from the status file (0 when it is missing or not a number)."""
    value = status.get(key, 0)
    return float(value) if isinstance(value, int | float | str) else 0.0
