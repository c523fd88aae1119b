"""A rotation file (`rotations/<name>.yaml`) as typed values, and the checks a volunteer needs.

People edit these files in pull requests. Parsing (pydantic) catches wrong types; `check`
catches what only makes sense across fields (a term ending before it starts, overlapping
overrides, a volunteer listed twice) and names the exact place, so `ante validate` can put
an annotation on that line.

Size: a sixth of it is `EXAMPLE`, the commented rotation file `ante init` writes.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ConfigDict, Field, field_validator

from ante.core.models import Login, Member, Strict

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_ROLES = ("captain", "first-mate")
TERM_MONTHS = 6
ROLE = re.compile(r"^[a-z][a-z0-9-]*$")

Loc = tuple[str | int, ...]


def weekday_number(text: object) -> int:
    """0 for Monday … 6 for Sunday; accepts `Wednesday`, `wed`."""
    name = str(text).strip().lower()
    for number, day in enumerate(WEEKDAYS):
        if name == day or (len(name) >= 3 and day.startswith(name)):
            return number
    raise ValueError(f"{text!r} is not a day of the week (use one of: {', '.join(WEEKDAYS)})")


def clock_time(value: object) -> time:
    """`"10:00"`; an unquoted 10:00 reaches us as 600 (YAML 1.1 base-60), so take that too."""
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return time(value // 60, value % 60)
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip())
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise ValueError(f'{value!r} is not a time of day like "10:00"')


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Period(Strict):
    """A range of whole days, both ends included."""

    start: date = Field(alias="from")
    end: date = Field(alias="to")
    note: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Volunteer(Strict):
    login: Login
    start: date = Field(alias="from")
    end: date | None = Field(None, alias="to")  # default: six months after `from`
    note: str | None = None
    unavailable: list[Period] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def term_end(self) -> date:
        """The last day of the term."""
        return self.end if self.end is not None else add_months(self.start, TERM_MONTHS)


class Override(Strict):
    """Someone else covers `role` from the handoff time on `from` to the one the day after `to`."""

    start: date = Field(alias="from")
    end: date = Field(alias="to")
    role: str
    cover: Login
    note: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Handoff(Strict):
    weekday: int = 2
    at: time = Field(time(10, 0), alias="time")
    timezone: str = "UTC"

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("weekday", mode="before")
    @classmethod
    def _weekday(cls, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
            return value
        return weekday_number(value)

    @field_validator("at", mode="before")
    @classmethod
    def _time(cls, value: Any) -> time:
        return clock_time(value)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {value!r} (use a name like Europe/London or America/New_York)"
            ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class WorkingHours(Strict):
    """When the teams handle their own services; a page outside this is out-of-hours."""

    days: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    start: time = time(9, 0)
    end: time = time(18, 0)

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> list[int]:
        if not isinstance(value, list):
            raise ValueError("days: a list of weekdays, like [monday, tuesday]")
        return [v if isinstance(v, int) and 0 <= v <= 6 else weekday_number(v) for v in value]

    @field_validator("start", "end", mode="before")
    @classmethod
    def _time(cls, value: Any) -> time:
        return clock_time(value)


class EscalateAfter(Strict):
    """Minutes without an acknowledgement, counted from the page, before each escalation."""

    first_mate: int = Field(15, ge=0, le=24 * 60)
    managers: int = Field(45, ge=0, le=24 * 60)


class Compensation(Strict):
    amount: Decimal = Field(Decimal(0), ge=0)
    currency: str = "EUR"


class Rotation(Strict):
    """One rotation file."""

    description: str | None = None
    roles: list[str] = Field(default_factory=lambda: list(DEFAULT_ROLES), min_length=1)
    handoff: Handoff = Handoff()
    working_hours: WorkingHours = WorkingHours()
    horizon_weeks: int = Field(4, ge=0, le=52)
    first_mate_becomes_captain: bool = False
    emergency_label: str | None = "product-emergency"
    escalation: list[Login] = Field(default_factory=list)
    escalate_after: EscalateAfter = EscalateAfter()
    # The rotation whose first role is paged outside working hours (the volunteers'); null:
    # the captain is paged day and night.
    out_of_hours: str | None = None
    out_of_hours_budget: int | None = Field(10, ge=1)  # fewer than this many a month
    compensation: Compensation = Compensation()
    volunteers: list[Volunteer] = Field(default_factory=list)
    overrides: list[Override] = Field(default_factory=list)

    @field_validator("roles")
    @classmethod
    def _roles(cls, roles: list[str]) -> list[str]:
        for role in roles:
            if not ROLE.match(role):
                raise ValueError(f"role {role!r}: use lowercase letters, digits and dashes")
        return roles

    @property
    def zone(self) -> ZoneInfo:
        return self.handoff.zone

    @property
    def captain_role(self) -> str:
        return self.roles[0]

    def volunteer(self, login: str) -> Volunteer | None:
        return next((v for v in self.volunteers if v.login.lower() == login.lower()), None)

    def at_local(self, day: date, at: time | None = None) -> datetime:
        """`day` at `at` (default: the handoff time) in the team's timezone, as UTC."""
        moment = datetime.combine(day, self.handoff.at if at is None else at, tzinfo=self.zone)
        return moment.astimezone(UTC)

    def day_span(self, start: date, end: date) -> tuple[datetime, datetime]:
        """Whole calendar days `start`..`end` (local) as a half-open UTC range."""
        return self.at_local(start, time(0)), self.at_local(end + timedelta(days=1), time(0))

    def override_span(self, override: Override) -> tuple[datetime, datetime]:
        return self.at_local(override.start), self.at_local(override.end + timedelta(days=1))

    def in_working_hours(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        hours = self.working_hours
        return local.weekday() in hours.days and hours.start <= local.time() < hours.end


def with_leave(rotation: Rotation, members: Mapping[str, Member]) -> Rotation:
    """The rotation with each volunteer's leave (from the members file) as unavailability.

    Leave is the one place to declare time away: it exempts the weekly tax and on-call both.
    A rotation's own `unavailable:` is for on-call-only absence (working, but not on call).
    """
    by_login = {login.lower(): member for login, member in members.items()}
    volunteers = []
    for volunteer in rotation.volunteers:
        member = by_login.get(volunteer.login.lower())
        away = [
            Period(start=p.start, end=p.end, note=f"leave{': ' + p.note if p.note else ''}")
            for p in (member.leave if member is not None else [])
        ]
        unavailable = [*volunteer.unavailable, *away]
        volunteers.append(
            volunteer.model_copy(update={"unavailable": unavailable}) if away else volunteer
        )
    return rotation.model_copy(update={"volunteers": volunteers})


def check_roster(
    rotation: Rotation, members: Mapping[str, Member], external: Sequence[str]
) -> list[tuple[Loc, str]]:
    """Who the rotation names must be on the team: members, or external in the policy; and
    someone must stand behind the on-call (a non-empty escalation tier)."""
    known = {login.lower() for login in members} | {login.lower() for login in external}
    hint = "add them to ledger/members.yaml, or to `external:` in ledger/policy.yaml"
    problems: list[tuple[Loc, str]] = []
    for index, volunteer in enumerate(rotation.volunteers):
        if volunteer.login.lower() not in known:
            problems.append(
                (
                    ("volunteers", index, "login"),
                    f"volunteer {volunteer.login} is not a member: {hint}",
                )
            )
    if not rotation.escalation:
        problems.append(
            (
                ("escalation",),
                "no managers: name at least one person to escalate to when nobody is on call",
            )
        )
    for index, manager in enumerate(rotation.escalation):
        if manager.lower() not in known:
            problems.append((("escalation", index), f"manager {manager} is not a member: {hint}"))
    for index, override in enumerate(rotation.overrides):
        if override.cover.lower() not in known:
            problems.append(
                (("overrides", index, "cover"), f"cover {override.cover} is not a member: {hint}")
            )
    return problems


def check(rotation: Rotation) -> list[tuple[Loc, str]]:
    """What is wrong across fields, each with where it is (a path into the YAML)."""
    problems: list[tuple[Loc, str]] = []
    if len(set(rotation.roles)) != len(rotation.roles):
        problems.append((("roles",), "a role is listed twice"))
    seen: dict[str, int] = {}
    for index, volunteer in enumerate(rotation.volunteers):
        key = volunteer.login.lower()
        if key in seen:
            problems.append(
                (
                    ("volunteers", index, "login"),
                    f"{volunteer.login} is already listed as a volunteer (entry {seen[key] + 1}); "
                    "keep one entry and put all their dates there",
                )
            )
        else:
            seen[key] = index
        if volunteer.end is not None and volunteer.end < volunteer.start:
            problems.append(
                (
                    ("volunteers", index, "to"),
                    f"{volunteer.login}'s term ends ({volunteer.end}) before it starts "
                    f"({volunteer.start})",
                )
            )
        for number, period in enumerate(volunteer.unavailable):
            if period.end < period.start:
                problems.append(
                    (
                        ("volunteers", index, "unavailable", number),
                        f"unavailable period ends ({period.end}) before it starts ({period.start})",
                    )
                )
    problems.extend(_check_overrides(rotation))
    if rotation.escalate_after.managers < rotation.escalate_after.first_mate:
        problems.append(
            (
                ("escalate_after", "managers"),
                f"the managers ({rotation.escalate_after.managers} min) would be paged before "
                f"the first-mate ({rotation.escalate_after.first_mate} min)",
            )
        )
    return problems


def _check_overrides(rotation: Rotation) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    overlapping = _overlapping(rotation.overrides)
    for index, override in enumerate(rotation.overrides):
        where: Loc = ("overrides", index)
        if override.role not in rotation.roles:
            problems.append(
                (
                    (*where, "role"),
                    f"unknown role {override.role!r} (this rotation's roles: "
                    f"{', '.join(rotation.roles)})",
                )
            )
        if override.end < override.start:
            problems.append(
                (
                    (*where, "to"),
                    f"override ends ({override.end}) before it starts ({override.start})",
                )
            )
            continue
        for earlier in overlapping.get(index, ()):
            other = rotation.overrides[earlier]
            problems.append(
                (
                    where,
                    f"overlaps override {earlier + 1} ({other.start} to {other.end}, "
                    f"{other.role} covered by {other.cover}): only one person can cover "
                    f"the {override.role} at a time",
                )
            )
    return problems


def _overlapping(overrides: Sequence[Override]) -> dict[int, list[int]]:
    """For each override (by index), the earlier ones of the same role whose days overlap it.

    Sorted by role and first day, each override meets only those starting before it ends: a
    rotation file that keeps every override ever made is checked in n log n, not n squared."""
    order = sorted(
        (i for i, o in enumerate(overrides) if o.start <= o.end),
        key=lambda i: (overrides[i].role, overrides[i].start),
    )
    found: dict[int, list[int]] = {}
    for position, index in enumerate(order):
        override = overrides[index]
        for step in range(position + 1, len(order)):
            other = order[step]
            later = overrides[other]
            if later.role != override.role or later.start > override.end:
                break
            first, second = sorted((index, other))
            found.setdefault(second, []).append(first)
    return {index: sorted(earlier) for index, earlier in found.items()}


def example(logins: Sequence[str], today: date) -> str:
    """A commented rotation file with `logins` as volunteers whose terms start `today`."""
    people = "".join(f"  - login: {login}\n    from: {today}\n" for login in logins)
    managers = f"[{logins[0]}]" if logins else "[]"
    return EXAMPLE.format(volunteers=people or "  []\n", managers=managers).replace(
        "volunteers:\n  []", "volunteers: []"
    )


EXAMPLE = """\
# The product on-call rotation: a Captain On-Call and a First-mate Firefighter each week.
# Volunteer by adding yourself under `volunteers:` in a pull request; the check on the pull
# request shows the schedule before and after your change. Shifts already published (the next
# `horizon_weeks` weeks) never move: to swap one, add an override.
description: Product on-call. The captain also works the product-maintenance-duty queue.

# One person per role each week; the first role is the captain (assigned to emergencies).
roles: [captain, first-mate]

# Shifts change hands every week at this local time (daylight saving is taken care of).
handoff:
  weekday: wednesday
  time: "10:00"
  timezone: UTC          # e.g. Europe/London, America/New_York

# Pages outside these hours count as out-of-hours.
working_hours:
  days: [monday, tuesday, wednesday, thursday, friday]
  start: "09:00"
  end: "18:00"

# Weeks ahead that are published and frozen: roster edits only change later weeks.
horizon_weeks: 4

# true: this week's first-mate is next week's captain (shadow before leading).
first_mate_becomes_captain: false

# Issues with this label page this rotation's captain.
emergency_label: product-emergency

# Managers: the single escalation point behind the captain and first-mate, paged when nobody
# is on call. Members, or people listed under `external:` in ledger/policy.yaml. Put your
# managers here (ante init starts with the first member).
escalation: {managers}

# Paid to each person for each weekly shift they serve (pro rata for partial cover).
compensation:
  amount: 0
  currency: EUR

# Terms last six months from `from` unless `to` says otherwise; renew with a `to:` line (the
# handoff issue and STATUS.md say when a term is about to end). On leave? Declare it once in
# ledger/members.yaml (it exempts the tax too). Working but not available for on-call? Add
#   unavailable:
#     - {{from: 2026-12-21, to: 2027-01-04, note: moving house}}
volunteers:
{volunteers}
# Swaps and cover: someone else holds a role from the handoff time on `from` until the
# handoff time the day after `to`. A whole-week swap runs from a handoff day to the day
# before the next one, e.g.
#   - {{from: 2026-12-23, to: 2026-12-29, role: captain, cover: bob, note: swapped with alice}}
overrides: []
"""
