"""Rotations on disk: the files people edit and the history ante writes.

Over 300 lines on purpose: the rotation files and the history ante writes for them share
their paths and loaders.

rotations/<name>.yaml          a rotation (people edit it in pull requests)
rotations/<name>.ics           its calendar feed (written by ante)
ledger/schedule/<name>.yaml    published weeks: the frozen horizon and everything before it
                               (written by ante, append-only; roster edits never move these)
ledger/shifts/<name>.yaml      served shifts with overrides applied (written by ante at each
                               handoff, append-only): history, pay, who was on call when
ledger/queue.yaml              the product-maintenance-duty queue at the last handoff
ledger/pages/<YYYY>.yaml       emergency pages (see files/emergencies.py)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

import yaml
from pydantic import Field, field_validator

from ante.core import schedule
from ante.core.coverage import WINDOW_WEEKS, Coverage, coverage
from ante.core.models import Login, Member, MembersFile, Strict
from ante.core.rotation import Rotation, check, with_leave
from ante.core.schedule import Shift
from ante.errors import DataError, Problem
from ante.files import flowrows, yamlio
from ante.files.maintenance import QueueItem, load_queue

__all__ = [
    "QueueItem",
    "Roster",
    "captain_on",
    "escalation",
    "load_queue",
    "load_rotations",
    "upcoming",
]

SCHEDULE_HEADER = (
    "# Published weeks of the rotation `{name}`, written by ante at each handoff.\n"
    "# Append-only: these never move. To swap a shift, add an override in rotations/{name}.yaml.\n"
)
SHIFTS_HEADER = (
    "# Shifts served in the rotation `{name}` (overrides applied), written by ante at each\n"
    "# handoff. Append-only. `share` is the part of a weekly shift, for compensation.\n"
)


@dataclass(frozen=True)
class Roster:
    """One rotation file, parsed and checked."""

    name: str
    path: Path
    config: Rotation

    @property
    def rotation(self) -> Rotation:
        return self.config


class ShiftRecord(Strict):
    start: datetime
    end: datetime
    roles: dict[str, Login] = Field(default_factory=dict)
    share: Decimal | None = None

    @field_validator("start", "end")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def shift(self) -> Shift:
        return Shift(self.start, self.end, dict(self.roles))


class ShiftsFile(Strict):
    shifts: list[ShiftRecord] = Field(default_factory=list)


_SHIFT = re.compile(
    rf"- \{{start: ({flowrows.INSTANT}), end: ({flowrows.INSTANT}), roles: \{{([^{{}}]*)\}}"
    rf"(?:, share: ((?:{flowrows.COUNT})(?:\.\d+)?))?\}}"
)


def _shift_row(match: re.Match[str]) -> dict[str, object] | None:
    """One line as `record_line` writes it, as the strict loader would read it."""
    roles = flowrows.flow_map(match[3])
    if roles is None:
        return None
    row: dict[str, object] = {
        "start": flowrows.instant(match[1]),
        "end": flowrows.instant(match[2]),
        "roles": roles,
    }
    if match[4] is not None:
        row["share"] = float(match[4]) if "." in match[4] else int(match[4])
    return row


read_shifts = flowrows.reader("shifts", _SHIFT, _shift_row)


# ---- rotation files ------------------------------------------------------------------------


def rotation_paths(repo: Path) -> list[Path]:
    folder = repo / "rotations"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


_OVERRIDE = re.compile(
    r"- \{from: (\d{4}-\d\d-\d\d), to: (\d{4}-\d\d-\d\d), role: ([^,{}]+), cover: ([^,{}]+)"
    r"(?:, note: ([^,{}]+))?\}"
)


def _override_row(match: re.Match[str]) -> dict[str, object] | None:
    """One override in the spelling of the rotation file's own example, as YAML reads it."""
    role, cover = yamlio.plain_text(match[3]), yamlio.plain_text(match[4])
    note = flowrows.note_text(match[5]) if match[5] is not None else None
    if role is None or cover is None or (match[5] is not None and note is None):
        return None
    try:
        row: dict[str, object] = {
            "from": date.fromisoformat(match[1]),
            "to": date.fromisoformat(match[2]),
            "role": role,
            "cover": cover,
        }
    except ValueError:
        return None  # not a real date: the strict loader says where
    if note is not None:
        row["note"] = note
    return row


# A rotation file keeps every override ever made, a line each: those are read line by line.
read_rotation = flowrows.embedded("overrides", _OVERRIDE, _override_row)


def load_roster(path: Path, repo: Path, members: dict[str, Member] | None = None) -> Roster:
    """A rotation file, checked, with the members' leave merged in as unavailability."""
    document = yamlio.read(path, repo, fast=read_rotation)
    config = document.validate(Rotation, empty={})
    problems = [document.problem(list(loc), message) for loc, message in check(config)]
    if problems:
        raise DataError(problems)
    team = team_members(repo) if members is None else members
    return Roster(path.stem, path, with_leave(config, team))


def team_members(repo: Path) -> dict[str, Member]:
    """The members file's people (for their leave); {} without one. Its own mistakes are
    reported by the ledger's checks, not as a rotation's."""
    path = repo / "ledger" / "members.yaml"
    if not path.exists():
        return {}
    try:
        found = yamlio.load(path, MembersFile, repo, empty={})
    except DataError:
        return {}
    return {member.login: member for member in found.members}


# Rotations checked in this run, by the exact bytes of their files and of the members file
# (whose leave they take in): a command asks for them several times (STATUS.md's schedule,
# escalation and coverage; validate's checks; a preview), and a rotation file that keeps every
# override ever made grows by a line a week. A set of files with a problem is never kept.
_checked: dict[tuple[object, ...], tuple[Roster, ...]] = {}


def _fingerprint(repo: Path, paths: list[Path]) -> tuple[object, ...] | None:
    try:
        members = repo / "ledger" / "members.yaml"
        team = hashlib.sha256(members.read_bytes()).hexdigest() if members.is_file() else ""
        files = tuple((str(p), hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths)
    except OSError:
        return None  # unreadable: the loaders say so
    return (str(repo), team, files)


def load_rotations(repo: Path) -> list[Roster]:
    """Every rotation, sorted by name; DataError naming each bad line of every bad file."""
    paths = rotation_paths(repo)
    key = _fingerprint(repo, paths)
    if key is not None and key in _checked:
        return list(_checked[key])
    rosters = _load_rotations(repo, paths)
    if key is not None:
        _checked[key] = tuple(rosters)
    return rosters


def _load_rotations(repo: Path, paths: list[Path]) -> list[Roster]:
    rosters: list[Roster] = []
    problems: list[Problem] = []
    members = team_members(repo) if paths else {}
    for path in paths:
        try:
            rosters.append(load_roster(path, repo, members))
        except DataError as exc:
            problems.extend(exc.problems)
    if not problems:  # a broken file would make every reference to it look wrong
        problems.extend(_check_references(rosters, repo))
    if problems:
        raise DataError(problems)
    return rosters


def _check_references(rosters: list[Roster], repo: Path) -> list[Problem]:
    """`out_of_hours:` names another rotation of this repository."""
    names = {r.name for r in rosters}
    problems: list[Problem] = []
    for roster in rosters:
        target = roster.config.out_of_hours
        if target is not None and (target not in names or target == roster.name):
            others = ", ".join(sorted(names - {roster.name})) or "none yet"
            document = yamlio.read(roster.path, repo)
            problems.append(
                document.problem(
                    ["out_of_hours"],
                    f"no other rotation named {target!r} takes the out-of-hours pages "
                    f"(rotations here: {others}); add rotations/{target}.yaml or set null",
                )
            )
    return problems


def find(repo: Path, name: str | None) -> Roster:
    """The named rotation, or the first one."""
    from ante.errors import AnteError

    rosters = load_rotations(repo)
    if not rosters:
        raise AnteError("no rotation here: add one as rotations/<name>.yaml (see ante init)")
    if name is None:
        return rosters[0]
    for roster in rosters:
        if roster.name == name:
            return roster
    known = ", ".join(r.name for r in rosters)
    raise AnteError(f"no rotation named {name!r} (there is: {known})")


# ---- history -------------------------------------------------------------------------------


def schedule_path(repo: Path, name: str) -> Path:
    return repo / "ledger" / "schedule" / f"{name}.yaml"


def shifts_path(repo: Path, name: str) -> Path:
    return repo / "ledger" / "shifts" / f"{name}.yaml"


# Parsed shift files by their exact bytes: `validate`, the roster check and a preview (in the
# pull request's checkout and in its base's) each ask for the same published schedule, a line
# a week (ten years: 520 lines), in one run. A file that fails to parse is never kept.
_parsed: dict[str, tuple[ShiftRecord, ...]] = {}


def _records(path: Path, repo: Path) -> list[ShiftRecord]:
    if not path.exists():
        return []
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    if key not in _parsed:
        found = yamlio.load(path, ShiftsFile, repo, empty={}, fast=read_shifts)
        _parsed[key] = tuple(found.shifts)
    return list(_parsed[key])


def published(repo: Path, name: str) -> list[Shift]:
    return [record.shift() for record in _records(schedule_path(repo, name), repo)]


def served(repo: Path, name: str) -> list[ShiftRecord]:
    return _records(shifts_path(repo, name), repo)


def record_line(shift: Shift, share: Decimal | None = None) -> str:
    roles = ", ".join(f"{role}: {yamlio.scalar(login)}" for role, login in shift.roles.items())
    fields = f"start: {yamlio.scalar(shift.start)}, end: {yamlio.scalar(shift.end)}"
    fields += f", roles: {{{roles}}}"
    if share is not None:
        fields += f", share: {share}"
    return f"- {{{fields}}}"


def append_shifts(path: Path, header: str, lines: list[str]) -> bool:
    if not lines:
        return False
    text = path.read_text(encoding="utf-8") if path.exists() else header + "shifts: []\n"
    yamlio.write_text(path, yamlio.append_to_list(text, "shifts", lines))
    return True


# ---- what others ask -----------------------------------------------------------------------


def weeks_for(repo: Path, roster: Roster, now: datetime, weeks: int) -> list[Shift]:
    """`weeks` weeks from the current one: published weeks as published, then computed."""
    return schedule.weeks_from(roster.config, published(repo, roster.name), now, weeks)


def upcoming(repo: Path, now: datetime, weeks: int) -> dict[str, list[Shift]]:
    """Per rotation: the shifts (overrides applied) of `weeks` weeks from the current one."""
    return {r.name: weeks_for(repo, r, now, weeks) for r in load_rotations(repo)}


def captain_on(repo: Path, day: date) -> str | None:
    """Who is captain (the first role) at noon on `day` in the first rotation, if anyone."""
    rosters = load_rotations(repo)
    if not rosters:
        return None
    roster = rosters[0]
    roles = roles_at(repo, roster, schedule.local_noon(roster.config, day))
    return roles.get(roster.config.captain_role)


def roles_at(repo: Path, roster: Roster, moment: datetime) -> dict[str, str]:
    """Who held each role at `moment`: the served record, else the schedule (overrides on)."""
    for record in served(repo, roster.name):
        if record.start <= moment < record.end:
            return dict(record.roles)
    history = published(repo, roster.name)
    base = schedule.plan(roster.config, history, moment, moment + timedelta(microseconds=1))
    shift = schedule.covering(schedule.apply_overrides(roster.config, base), moment)
    return dict(shift.roles) if shift else {}


def coverage_for(
    repo: Path, roster: Roster, now: datetime, ahead: Sequence[Shift] | None = None
) -> Coverage:
    """Terms about to end and weeks with an empty role, for the handoff issue and STATUS.md.
    `ahead`: the weeks from the current one, at least WINDOW_WEEKS + 1 of them, when the
    caller has them already (the schedule is not worked out twice)."""
    shifts = weeks_for(repo, roster, now, WINDOW_WEEKS + 1) if ahead is None else ahead
    history = published(repo, roster.name)
    frozen = history[-1].end if history else None
    shown = yamlio.display(roster.path, repo)
    return coverage(roster.name, roster.config, shifts, now, frozen, shown)


def escalation(repo: Path) -> dict[str, list[str]]:
    """The managers each rotation escalates to."""
    return {r.name: list(r.config.escalation) for r in load_rotations(repo)}


def conflicts_for(repo: Path, roster: Roster, now: datetime) -> list[schedule.Conflict]:
    """Frozen shifts someone can no longer hold: reported, never silently rewritten."""
    frozen = [s for s in published(repo, roster.name) if s.end > now]
    return schedule.conflicts(roster.config, schedule.apply_overrides(roster.config, frozen))


# ---- validate and init ---------------------------------------------------------------------


def check_files(repo: Path, *, trusted_pages: Collection[int] = ()) -> list[Problem]:
    """`ante validate`: rotation files, and the history ante wrote for them (but the page
    records of the years in `trusted_pages`, which the caller vouches for)."""
    from ante.files.emergencies import load_pages

    problems: list[Problem] = []
    try:
        rosters = load_rotations(repo)
    except DataError as exc:
        problems.extend(exc.problems)
        rosters = []
    loaders: list[Callable[[], object]] = [partial(published, repo, r.name) for r in rosters]
    loaders += [partial(served, repo, r.name) for r in rosters]
    loaders += [partial(load_pages, repo, skip=trusted_pages), partial(load_queue, repo)]
    for loader in loaders:
        try:
            loader()
        except DataError as exc:
            problems.extend(exc.problems)
    return problems


def example_files(logins: Sequence[str], today: date) -> dict[str, str]:
    """`ante init`: a rotation with the members as volunteers from today, already published
    for the frozen horizon so the first weeks never move."""
    from ante.core.rotation import example

    text = example(list(logins), today)
    config = Rotation.model_validate(yaml.safe_load(text))
    # Publishing starts with the first handoff of the terms, not with an empty week before it.
    midnight = config.at_local(today, datetime.min.time())
    first = schedule.next_handoff(config, midnight - timedelta(microseconds=1))
    lines = [record_line(shift) for shift in schedule.to_freeze(config, [], first)]
    header = SCHEDULE_HEADER.format(name="oncall") + "shifts: []\n"
    return {
        "rotations/oncall.yaml": text,
        "ledger/schedule/oncall.yaml": yamlio.append_to_list(header, "shifts", lines),
    }
