"""The on-call schedule, as a pure function of a rotation, its published weeks and a time.

- Weeks run from one handoff to the next, at the handoff's local time in the team's timezone,
  so a week that crosses a daylight-saving change is 167 or 169 hours long, never shifted.
- Published weeks (the frozen horizon, and everything before it) are kept exactly as they
  were published: a roster edit only ever changes weeks after them.
- Beyond them, each week goes to the eligible volunteers (in their term, not unavailable)
  who have waited longest since their last shift — a newcomer waits from their term start —
  preferring people who were not on call the week before. With everyone available this is a
  strict rotation, so shift counts differ by at most one.
- Overrides are applied last, splitting a week into segments where someone covers.

Size: one algorithm (weeks, assignment, overrides, conflicts, served shifts) whose steps share
private helpers; split, its invariants would span files.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from ante.core.rotation import Override, Rotation, Volunteer

NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Shift:
    start: datetime
    end: datetime
    roles: dict[str, str]

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def people(self) -> set[str]:
        return {login.lower() for login in self.roles.values()}

    def json(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "roles": dict(self.roles),
        }


@dataclass(frozen=True)
class Conflict:
    """A shift someone cannot hold (unavailable, out of term) or a role nobody holds."""

    start: datetime
    end: datetime
    role: str
    login: str | None
    reason: str


# ---- weeks ---------------------------------------------------------------------------------


def next_handoff(rotation: Rotation, after: datetime) -> datetime:
    """The first handoff strictly after `after` (local handoff time, DST-aware)."""
    local = after.astimezone(rotation.zone).date()
    for offset in range(9):
        day = local + timedelta(days=offset)
        if day.weekday() == rotation.handoff.weekday:
            moment = rotation.at_local(day)
            if moment > after:
                return moment
    raise AssertionError("unreachable: a handoff weekday comes every week")


def handoff_before(rotation: Rotation, moment: datetime) -> datetime:
    """The last handoff at or before `moment`: the start of the week covering it."""
    local = moment.astimezone(rotation.zone).date()
    for offset in range(9):
        day = local - timedelta(days=offset)
        if day.weekday() == rotation.handoff.weekday:
            start = rotation.at_local(day)
            if start <= moment:
                return start
    raise AssertionError("unreachable: a handoff weekday comes every week")


def week_after(rotation: Rotation, moment: datetime, weeks: int) -> datetime:
    """The handoff `weeks` handoffs after the start of the week covering `moment`."""
    start = handoff_before(rotation, moment)
    for _ in range(weeks):
        start = next_handoff(rotation, start)
    return start


# ---- planning ------------------------------------------------------------------------------


@dataclass
class _Waiting:
    """Who served when: the state the fair choice is made from."""

    last_on: dict[str, datetime] = field(default_factory=dict)
    held: dict[tuple[str, str], int] = field(default_factory=dict)
    last_held: dict[tuple[str, str], datetime] = field(default_factory=dict)
    shifts: dict[str, int] = field(default_factory=dict)  # per login, every role
    previous: Shift | None = None

    def record(self, shift: Shift) -> None:
        for role, login in shift.roles.items():
            key = login.lower()
            self.last_on[key] = shift.start
            self.held[key, role] = self.held.get((key, role), 0) + 1
            self.last_held[key, role] = shift.start
            self.shifts[key] = self.shifts.get(key, 0) + 1
        self.previous = shift

    def total(self, login: str) -> int:
        return self.shifts.get(login, 0)


@dataclass(frozen=True)
class _Window:
    """One volunteer's term and time away as UTC ranges, worked out once per schedule rather
    than once a week: a replay of many weeks asks each of them every week. Time away is kept
    merged and sorted, so a week is checked against it by bisection, however many years of
    absences the file lists."""

    volunteer: Volunteer
    key: str
    since: datetime  # the term's first midnight: a newcomer waits from here
    term: tuple[datetime, datetime] | None  # None: the term ends before it starts
    away_starts: tuple[datetime, ...]  # merged spans away, sorted, disjoint
    away_ends: tuple[datetime, ...]
    odd: tuple[tuple[datetime, datetime], ...]  # spans that end before they start

    @classmethod
    def of(cls, rotation: Rotation, volunteer: Volunteer) -> _Window:
        ends_first = volunteer.end is not None and volunteer.end < volunteer.start
        spans = [rotation.day_span(p.start, p.end) for p in volunteer.unavailable]
        merged: list[list[datetime]] = []
        for begin, finish in sorted(span for span in spans if span[0] < span[1]):
            if merged and begin <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], finish)
            else:
                merged.append([begin, finish])
        return cls(
            volunteer,
            volunteer.login.lower(),
            rotation.at_local(volunteer.start, time(0)),
            None if ends_first else rotation.day_span(volunteer.start, volunteer.term_end),
            tuple(begin for begin, _ in merged),
            tuple(finish for _, finish in merged),
            tuple(span for span in spans if span[0] >= span[1]),
        )

    def free(self, start: datetime, end: datetime) -> bool:
        """In the term for the whole of [start, end), and not away on any day of it."""
        if self.term is None or start < self.term[0] or end > self.term[1]:
            return False
        first = bisect.bisect_right(self.away_ends, start)  # the first span ending after start
        if first < len(self.away_starts) and self.away_starts[first] < end:
            return False
        return not any(away_start < end and start < away_end for away_start, away_end in self.odd)


def eligible(rotation: Rotation, volunteer: Volunteer, start: datetime, end: datetime) -> bool:
    """In their term for the whole week, and not unavailable on any day of it."""
    return _Window.of(rotation, volunteer).free(start, end)


def _assign(
    rotation: Rotation,
    windows: Sequence[_Window],
    waiting: _Waiting,
    start: datetime,
    end: datetime,
) -> Shift:
    roles: dict[str, str] = {}
    previous = waiting.previous.roles if waiting.previous else {}
    last_week = waiting.previous.people() if waiting.previous else set()
    pool = _unique([w for w in windows if w.free(start, end)])
    open_roles = list(rotation.roles)
    if rotation.first_mate_becomes_captain and len(rotation.roles) > 1:
        shadow = previous.get(rotation.roles[1])
        if shadow and any(w.key == shadow.lower() for w in pool):
            roles[rotation.roles[0]] = next(
                w.volunteer.login for w in pool if w.key == shadow.lower()
            )
            open_roles.remove(rotation.roles[0])
    taken = {login.lower() for login in roles.values()}

    def waited(window: _Window) -> tuple[bool, datetime, int, str]:
        key = window.key
        since = max(waiting.last_on.get(key, NEVER), window.since)
        return key in last_week, since, waiting.total(key), key

    chosen = sorted((w for w in pool if w.key not in taken), key=waited)
    chosen = chosen[: len(open_roles)]
    for role in open_roles:
        if not chosen:
            break
        best = min(
            chosen,
            key=lambda w: (
                waiting.held.get((w.key, role), 0),
                waiting.last_held.get((w.key, role), NEVER),
                w.key,
            ),
        )
        chosen.remove(best)
        roles[role] = best.volunteer.login
    ordered = {role: roles[role] for role in rotation.roles if role in roles}
    return Shift(start, end, ordered)


def _unique(windows: list[_Window]) -> list[_Window]:
    seen: set[str] = set()
    out = []
    for window in windows:
        if window.key not in seen:
            seen.add(window.key)
            out.append(window)
    return out


def _origin(rotation: Rotation, start: datetime) -> datetime:
    """Where an unpublished schedule begins: the week of the earliest term (or of `start`)."""
    first = min((v.start for v in rotation.volunteers), default=None)
    moment = start if first is None else min(start, rotation.at_local(first, time(0)))
    return handoff_before(rotation, moment)


def timeline(
    rotation: Rotation, published: Sequence[Shift], start: datetime, until: datetime
) -> Iterator[Shift]:
    """Every base weekly shift from the beginning until `until`: published, then computed.

    The beginning is the first published week or, before anything was published, the week
    of the earliest term (or of `start`, if earlier), so the result does not depend on when
    it is asked for."""
    waiting = _Waiting()
    windows = [_Window.of(rotation, volunteer) for volunteer in rotation.volunteers]
    cursor = published[0].start if published else _origin(rotation, start)
    for shift in published:
        yield shift
        waiting.record(shift)
        cursor = shift.end
    while cursor < until:
        end = next_handoff(rotation, cursor)
        shift = _assign(rotation, windows, waiting, cursor, end)
        yield shift
        waiting.record(shift)
        cursor = end


def plan(
    rotation: Rotation, published: Sequence[Shift], start: datetime, end: datetime
) -> list[Shift]:
    """The base weekly shifts overlapping [start, end)."""
    shifts = timeline(rotation, published, start, end)
    return [s for s in shifts if s.end > start and s.start < end]


def weeks_from(
    rotation: Rotation, published: Sequence[Shift], now: datetime, weeks: int
) -> list[Shift]:
    """`weeks` weekly shifts from the one covering `now`, overrides applied."""
    start = handoff_before(rotation, now)
    end = week_after(rotation, now, weeks)
    return apply_overrides(rotation, plan(rotation, published, start, end))


def to_freeze(rotation: Rotation, published: Sequence[Shift], now: datetime) -> list[Shift]:
    """The base weeks to publish now, so that the current week and `horizon_weeks` after it
    are frozen. Appending them to `published` is all a handoff needs to do."""
    until = week_after(rotation, now, rotation.horizon_weeks + 1)
    done = published[-1].end if published else None
    first = handoff_before(rotation, now) if done is None else done
    return [s for s in timeline(rotation, published, first, until) if s.start >= first]


# ---- overrides and conflicts ---------------------------------------------------------------


def apply_overrides(rotation: Rotation, shifts: Sequence[Shift]) -> list[Shift]:
    """Shifts split wherever an override starts or ends, with the cover in the role."""
    spans = [(rotation.override_span(o), o) for o in _near(rotation, shifts) if o.start <= o.end]
    out: list[Shift] = []
    for shift in shifts:
        cuts = {shift.start, shift.end}
        for (begin, finish), _ in spans:
            cuts.update(t for t in (begin, finish) if shift.start < t < shift.end)
        edges = sorted(cuts)
        for begin, finish in itertools.pairwise(edges):
            roles = dict(shift.roles)
            for (o_start, o_end), override in spans:
                if o_start <= begin and finish <= o_end and override.role in rotation.roles:
                    roles[override.role] = override.cover
            ordered = {role: roles[role] for role in rotation.roles if role in roles}
            if out and out[-1].end == begin and out[-1].roles == ordered and begin != shift.start:
                out[-1] = Shift(out[-1].start, finish, ordered)
            else:
                out.append(Shift(begin, finish, ordered))
    return out


def _near(rotation: Rotation, shifts: Sequence[Shift]) -> list[Override]:
    """The overrides whose days come within a few days of `shifts`: a rotation file keeps every
    override ever made, and those long past cannot touch this week (a span is at most a day off
    its dates in any timezone, so three days' margin keeps every one that can)."""
    if not shifts:
        return []
    first = _days_from(min(s.start for s in shifts).date(), -3)
    last = _days_from(max(s.end for s in shifts).date(), 3)
    return [o for o in rotation.overrides if o.end >= first and o.start <= last]


def _days_from(day: date, days: int) -> date:
    """`day` moved by `days`, held at the calendar's ends (a published week may say year 1)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.min if days < 0 else date.max


def conflicts(rotation: Rotation, shifts: Sequence[Shift]) -> list[Conflict]:
    """Who cannot hold the shift they were given, and which roles nobody holds."""
    found: list[Conflict] = []
    covers = {o.cover.lower() for o in rotation.overrides}
    for shift in shifts:
        seen: dict[str, str] = {}
        for role in rotation.roles:
            login = shift.roles.get(role)
            if login is None:
                found.append(Conflict(shift.start, shift.end, role, None, "nobody is available"))
                continue
            if login.lower() in seen:
                found.append(
                    Conflict(
                        shift.start,
                        shift.end,
                        role,
                        login,
                        f"also holds the {seen[login.lower()]} role",
                    )
                )
            seen[login.lower()] = role
            reason = _cannot_hold(rotation, login, shift, login.lower() in covers)
            if reason:
                found.append(Conflict(shift.start, shift.end, role, login, reason))
    return found


def _cannot_hold(rotation: Rotation, login: str, shift: Shift, covering: bool) -> str | None:
    volunteer = rotation.volunteer(login)
    if volunteer is None:
        return None if covering else "is no longer a volunteer"
    for period in volunteer.unavailable:
        away_start, away_end = rotation.day_span(period.start, period.end)
        if away_start < shift.end and shift.start < away_end:
            note = f" ({period.note})" if period.note else ""
            return f"is unavailable {period.start} to {period.end}{note}"
    if covering:
        return None
    term_start, term_end = rotation.day_span(volunteer.start, volunteer.term_end)
    if shift.start < term_start or shift.end > term_end:
        return f"is outside their term ({volunteer.start} to {volunteer.term_end})"
    return None


def doubled(
    rotation: Rotation, published: Sequence[Shift], now: datetime
) -> list[tuple[int, Shift, list[str]]]:
    """Overrides (by index) that give their cover two roles in the same week, in weeks not over
    yet: the week and the roles they would hold in it."""
    found: list[tuple[int, Shift, list[str]]] = []
    for index, override in enumerate(rotation.overrides):
        if override.end + timedelta(days=3) < now.date():
            continue  # long over (the span below is at most a day off its dates)
        start, end = rotation.override_span(override)
        if end <= now or override.end < override.start or override.role not in rotation.roles:
            continue
        cover = override.cover.lower()
        for week in plan(rotation, published, start, end):
            held: list[str] = []
            for part in apply_overrides(rotation, [week]):
                held += [
                    r for r, who in part.roles.items() if who.lower() == cover and r not in held
                ]
            if len(held) > 1:
                found.append((index, week, held))
                break
    return found


def covering(shifts: Sequence[Shift], moment: datetime) -> Shift | None:
    return next((s for s in shifts if s.covers(moment)), None)


def local_noon(rotation: Rotation, day: date) -> datetime:
    return rotation.at_local(day, time(12))


def overrides_for(rotation: Rotation, shift: Shift) -> list[Override]:
    spans = [(rotation.override_span(o), o) for o in rotation.overrides]
    return [o for (start, end), o in spans if start < shift.end and shift.start < end]


def served(
    rotation: Rotation, published: Sequence[Shift], recorded_until: datetime | None, now: datetime
) -> list[tuple[Shift, Decimal]]:
    """Segments (overrides applied) of the weeks that ended by `now` and were not recorded
    yet, each with its share of a weekly shift (for compensation)."""
    if not published:
        return []
    since = recorded_until or published[0].start
    weeks = [s for s in plan(rotation, published, since, now) if s.start >= since and s.end <= now]
    out: list[tuple[Shift, Decimal]] = []
    for week in weeks:
        length = (week.end - week.start).total_seconds()
        for part in apply_overrides(rotation, [week]):
            if part.roles:
                share = Decimal((part.end - part.start).total_seconds() / length)
                out.append((part, share.quantize(Decimal("0.0001"))))
    return out
