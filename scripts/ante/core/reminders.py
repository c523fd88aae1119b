"""When to remind people of their shifts: the day before one starts, and at its handoff.

A shift someone simply continues (the same role, straight on from their previous segment) is
not a new start. A run that comes late still sends what is due as long as it is still useful:
the eve reminder until the shift starts, the handoff notice for half a day after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from ante.core.schedule import Shift

EVE = timedelta(hours=24)
HANDOFF_WINDOW = timedelta(hours=12)


@dataclass(frozen=True)
class Reminder:
    kind: Literal["eve", "start"]
    rotation: str
    role: str
    login: str
    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        return (
            f"shift/{self.rotation}/{self.role}/{self.login.lower()}/"
            f"{self.start:%Y%m%dT%H%MZ}/{self.kind}"
        )


def due(rotation: str, shifts: Sequence[Shift], now: datetime) -> list[Reminder]:
    """The reminders due at `now` for `shifts` (overrides applied, in time order)."""
    out: list[Reminder] = []
    previous: Shift | None = None
    for shift in shifts:
        for role, login in shift.roles.items():
            held = (
                previous is not None
                and previous.end == shift.start
                and (previous.roles.get(role) or "").lower() == login.lower()
            )
            if held:
                continue
            if shift.start - EVE <= now < shift.start:
                out.append(Reminder("eve", rotation, role, login, shift.start, shift.end))
            elif shift.start <= now < shift.start + HANDOFF_WINDOW:
                out.append(Reminder("start", rotation, role, login, shift.start, shift.end))
        previous = shift
    return out
