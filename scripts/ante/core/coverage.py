"""Is the rotation covered? Terms about to end and weeks with a role nobody holds, pure.

Warnings come while a renewal still helps: a term is flagged once it ends within the 4 weeks
after the frozen horizon (the schedule beyond the horizon is what a roster edit changes), and a
week once it has an empty role within the next 8 weeks. Each says how to fix it with a one-line
edit of the rotation file in a pull request, which the rotation-check previews.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ante.core.rotation import TERM_MONTHS, Rotation, Volunteer, add_months
from ante.core.schedule import Shift, week_after

NOTICE_WEEKS = 4  # a term is flagged this many weeks before the schedule can no longer change
WINDOW_WEEKS = 8  # weeks ahead checked for an empty role


@dataclass(frozen=True)
class Ending:
    login: str
    last_day: date
    renewal: str  # the one-line edit

    def text(self, today: date) -> str:
        days = (self.last_day - today).days
        when = "today" if days == 0 else f"in {days} day{'' if days == 1 else 's'}"
        return f"@{self.login}'s term ends {when} ({self.last_day}): {self.renewal}"


@dataclass(frozen=True)
class Gap:
    start: datetime
    end: datetime
    roles: tuple[str, ...]
    frozen: bool  # already published: only an override fills it now


@dataclass(frozen=True)
class Coverage:
    rotation: str
    path: str  # the rotation file, for the renewal hint
    endings: tuple[Ending, ...]
    gaps: tuple[Gap, ...]

    @property
    def ok(self) -> bool:
        return not self.endings and not self.gaps

    def gap_hint(self) -> str:
        return (
            f"recruit or renew: add a volunteer under `volunteers:` (or extend a `to:`) in "
            f"`{self.path}` in a pull request; a week already published needs an override."
        )


def renewal(volunteer: Volunteer, path: str) -> str:
    """The one-line edit that renews a term for another six months."""
    new_end = add_months(volunteer.term_end, TERM_MONTHS)
    if volunteer.end is None:
        return (
            f"renew by adding `to: {new_end}` under `- login: {volunteer.login}` in `{path}` "
            "(a one-line pull request)"
        )
    return (
        f"renew by changing `to: {volunteer.end}` to `to: {new_end}` for {volunteer.login} in "
        f"`{path}` (a one-line pull request)"
    )


def endings(rotation: Rotation, today: date, path: str) -> list[Ending]:
    """Terms that end from today until NOTICE_WEEKS after the frozen horizon."""
    until = today + timedelta(weeks=rotation.horizon_weeks + NOTICE_WEEKS)
    return [
        Ending(v.login, v.term_end, renewal(v, path))
        for v in sorted(rotation.volunteers, key=lambda v: (v.term_end, v.login.lower()))
        if today <= v.term_end <= until
    ]


def gaps(rotation: Rotation, shifts: Sequence[Shift], frozen_until: datetime | None) -> list[Gap]:
    """Weeks (overrides applied) in which a role is held by nobody."""
    found: list[Gap] = []
    for shift in shifts:
        missing = tuple(role for role in rotation.roles if not shift.roles.get(role))
        if missing:
            frozen = frozen_until is not None and shift.end <= frozen_until
            found.append(Gap(shift.start, shift.end, missing, frozen))
    return found


def coverage(
    name: str,
    rotation: Rotation,
    shifts: Sequence[Shift],
    now: datetime,
    frozen_until: datetime | None,
    path: str,
) -> Coverage:
    """`shifts`: the next WINDOW_WEEKS weeks from the current one, overrides applied."""
    window = [s for s in shifts if s.end > now][:WINDOW_WEEKS]
    return Coverage(
        name,
        path,
        tuple(endings(rotation, now.date(), path)),
        tuple(gaps(rotation, window, frozen_until)),
    )


def empty_in_horizon(rotation: Rotation, shifts: Sequence[Shift], now: datetime) -> list[Gap]:
    """Weeks of the frozen horizon (this week and `horizon_weeks` after) with an empty role."""
    horizon_end = week_after(rotation, now, rotation.horizon_weeks + 1)
    return gaps(rotation, [s for s in shifts if s.end > now and s.start < horizon_end], None)
