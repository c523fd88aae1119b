"""Whose future shifts a change to a rotation moves: the schedule before and after, per person.

A person is moved when the set of (role, start, end) they hold from now on differs; what they
lose are their old dates, what they gain their new ones. Logins compare without case, as on
GitHub. Pure: the two schedules and the time are passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ante.core.schedule import Shift

Held = tuple[str, datetime, datetime]  # role, start, end


@dataclass(frozen=True)
class Move:
    login: str
    old: tuple[Held, ...]  # shifts they held before the change and no longer do
    new: tuple[Held, ...]  # shifts they hold after the change and did not before


def _held(shifts: Sequence[Shift], now: datetime) -> tuple[dict[str, set[Held]], dict[str, str]]:
    held: dict[str, set[Held]] = {}
    spelling: dict[str, str] = {}
    for shift in shifts:
        if shift.end <= now:
            continue
        for role, login in shift.roles.items():
            held.setdefault(login.lower(), set()).add((role, shift.start, shift.end))
            spelling.setdefault(login.lower(), login)
    return held, spelling


def moves(before: Sequence[Shift], after: Sequence[Shift], now: datetime) -> list[Move]:
    """Everybody whose shifts from `now` on differ, in login order."""
    old, names = _held(before, now)
    new, later = _held(after, now)
    for key, login in later.items():
        names.setdefault(key, login)
    out: list[Move] = []
    for key in sorted(old.keys() | new.keys()):
        was, will = old.get(key, set()), new.get(key, set())
        if was != will:
            out.append(
                Move(
                    names[key],
                    tuple(sorted(was - will, key=lambda h: (h[1], h[0]))),
                    tuple(sorted(will - was, key=lambda h: (h[1], h[0]))),
                )
            )
    return out
