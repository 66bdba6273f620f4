"""Measured values of the audio tests next to their limits, so a test that runs close to its
limit shows up before it starts failing at random on a loaded machine.

    def test_something(margin):
        margin("key change latency", delay_ms, "<", 300, "ms")   # records and asserts

The terminal summary lists every measurement with its share of the limit; with
``AUDIO_MARGINS_FILE=path`` set they are also appended to that file as JSON lines.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Measurement:
    """One measured value and the limit its test holds it to."""

    test: str
    name: str
    value: float
    relation: str  # "<", "<=", ">", ">="
    limit: float
    unit: str

    @property
    def holds(self) -> bool:
        """True when the value is on the right side of the limit."""
        value, limit = self.value, self.limit
        return {
            "<": value < limit,
            "<=": value <= limit,
            ">": value > limit,
            ">=": value >= limit,
        }[self.relation]

    def line(self) -> str:
        """'key change latency: 95 ms < 300 ms (slack 205 ms)'."""
        slack = abs(self.limit - self.value)
        return (
            f"{self.name}: {self.value:.4g} {self.unit} {self.relation} {self.limit:.4g} "
            f"{self.unit} (slack {slack:.3g} {self.unit})  [{self.test}]"
        )


RECORDED: list[Measurement] = []


def record(measurement: Measurement) -> None:
    """Keep ``measurement`` for the summary (and the file, when asked)."""
    RECORDED.append(measurement)
    path = os.environ.get("AUDIO_MARGINS_FILE")
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps(asdict(measurement)) + "\n")
