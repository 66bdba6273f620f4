"""Real-time priority for the PortAudio callback thread: one number, asked for by the engine and
allowed by the service (``LimitRTPRIO`` in deploy/systemd/karaoke.service must equal
:data:`REALTIME_PRIORITY`; tests/audio/test_audio_realtime.py parses the unit to hold them
together). What was granted is reported, never swallowed::

    >>> grant = raise_priority()            # doctest: +SKIP
    >>> grant.describe()                    # doctest: +SKIP
    'SCHED_FIFO priority 50'
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass

REALTIME_PRIORITY = 50  # = LimitRTPRIO of the karaoke service


@dataclass(frozen=True)
class RealtimeGrant:
    """The scheduling policy and priority the callback thread runs with, and why if refused."""

    policy: str  # "SCHED_FIFO", or "SCHED_OTHER" when refused
    priority: int  # 0 when refused
    refusal: str = ""  # why the request failed ("" when granted)

    @property
    def granted(self) -> bool:
        """True when the thread runs real-time."""
        return self.policy == "SCHED_FIFO"

    def describe(self) -> str:
        """One line for the doctor, the log and the host's page."""
        if self.granted:
            return f"{self.policy} priority {self.priority}"
        return f"{self.policy} (real-time refused: {self.refusal})"


def raise_priority(priority: int = REALTIME_PRIORITY) -> RealtimeGrant:
    """Put the calling thread under SCHED_FIFO at ``priority``; what the system then says."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(priority))
    except (OSError, AttributeError) as error:
        limit = resource.getrlimit(resource.RLIMIT_RTPRIO)[0]
        reason = getattr(error, "strerror", None) or str(error)
        refusal = f"asked for {priority}, RLIMIT_RTPRIO is {limit}: {reason}"
        return RealtimeGrant("SCHED_OTHER", 0, refusal)
    return current_grant()


def current_grant() -> RealtimeGrant:
    """The calling thread's policy and priority as the kernel has them."""
    policy = os.sched_getscheduler(0)
    names = {os.SCHED_FIFO: "SCHED_FIFO", os.SCHED_RR: "SCHED_RR", os.SCHED_OTHER: "SCHED_OTHER"}
    return RealtimeGrant(names.get(policy, str(policy)), os.sched_getparam(0).sched_priority)
