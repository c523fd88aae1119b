"""Overhead intake, pure: queue positions, honest pickup windows, and what the sweep should do.

Over 300 lines on purpose: queue positions, pickup windows and the sweep share one model of
the backlog.

Two of the Overhead principles are not about chips: tell reporters promptly where their issue
stands (and keep them informed until it is resolved), and filter the noise out of the backlog.
This module decides; `services/intake.py` and `commands/triage.py` read GitHub, carry the
decisions out and record them.

"Last activity" must not count ante's own writes (the stale action's known pitfall: its own
comment resets the clock). ante remembers, per open overhead issue, when it last wrote to it
(`Note.touched`, GitHub's own timestamp) and the last activity before that (`Note.active`). An
issue updated after ante's write was touched by someone else; otherwise its last activity is
still the remembered one. So the sweep needs no per-issue reads: a listed issue's `updated_at`
is enough.

Size: the estimate, the notes and the sweep and refresh plans share `Note` and the issue
protocol, and each is short; apart they would only import each other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Generic, Literal, Protocol, TypeVar

from ante.clock import iso_week, week_start
from ante.core.models import IntakePolicy

# GitHub stamps an issue's updated_at and ante's comment within a moment of each other.
SKEW = timedelta(seconds=5)
HORIZON_WEEKS = 52  # beyond a year an estimate says nothing useful
MOVED = timedelta(days=7)  # the weekly refresh re-tells an estimate that moved more than this


class WeekLike(Protocol):
    @property
    def week(self) -> str: ...
    @property
    def closed(self) -> int: ...


class IssueLike(Protocol):
    """An open overhead issue as the issues API lists it (`github.Issue`)."""

    @property
    def url(self) -> str: ...
    @property
    def labels(self) -> tuple[str, ...]: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def comments(self) -> int: ...


# ---- the pickup estimate ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """Overhead issues closed per week over the last recorded weeks."""

    weeks: int  # how many recorded weeks it is taken from
    mean: float
    slow: float  # the slower half of those weeks, on average
    fast: float  # the faster half

    @property
    def known(self) -> bool:
        return self.mean > 0


def pace(history: Sequence[WeekLike], weeks: int) -> Pace:
    """The recorded throughput of the last `weeks` weeks (no weeks: an unknown pace)."""
    closed = sorted(w.closed for w in sorted(history, key=lambda w: w.week)[-weeks:])
    if not closed:
        return Pace(0, 0.0, 0.0, 0.0)
    half = len(closed) // 2
    mean = sum(closed) / len(closed)
    slow = sum(closed[:half]) / half if half else mean
    fast = sum(closed[-half:]) / half if half else mean
    # A half of empty weeks would mean "never": take half the average pace as the slow end.
    return Pace(len(closed), mean, max(slow, mean / 2), max(fast, mean))


@dataclass(frozen=True)
class Estimate:
    position: int  # 1: next in the queue
    pace: Pace
    earliest: date | None  # Monday of the first week it may be picked up; None: no estimate
    latest: date | None  # Monday of the last such week; None with earliest: beyond a year

    @property
    def known(self) -> bool:
        return self.earliest is not None


def estimate(position: int, recorded: Pace, today: date) -> Estimate:
    """When the issue at `position` may be picked up, at the pace of slower and faster weeks.

    The issues ahead of it go first (oldest first): at the faster pace the `position - 1` ahead
    are done after (position - 1) / fast weeks; at the slower pace this one is done after
    position / slow weeks. Rounded out to whole weeks, starting with this one.
    """
    if not recorded.known:
        return Estimate(position, recorded, None, None)
    this_week = week_start(iso_week(today))
    low = math.floor((position - 1) / recorded.fast)
    high = math.ceil(position / recorded.slow)
    if low > HORIZON_WEEKS:
        return Estimate(position, recorded, this_week + timedelta(weeks=HORIZON_WEEKS), None)
    latest = this_week + timedelta(weeks=high) if high <= HORIZON_WEEKS else None
    return Estimate(position, recorded, this_week + timedelta(weeks=low), latest)


def moved(told: tuple[date | None, date | None], now: Estimate) -> bool:
    """Has the window moved by more than a week since the reporter was told?"""
    for before, after in zip(told, (now.earliest, now.latest), strict=True):
        if (before is None) != (after is None):
            return True
        if before is not None and after is not None and abs(after - before) > MOVED:
            return True
    return False


def positions(issues: Iterable[IssueLike]) -> dict[str, int]:
    """Queue positions, oldest first (ties by URL so every run agrees)."""
    ordered = sorted(issues, key=lambda i: (i.created_at, i.url))
    return {issue.url: n for n, issue in enumerate(ordered, start=1)}


# ---- what ante remembers about each open overhead issue ---------------------------------------


@dataclass(frozen=True)
class Note:
    issue: str  # the issue's URL
    touched: datetime  # GitHub's time of ante's latest write to the issue
    active: datetime  # the latest activity that was not ante's, as of `touched`
    comment: int | None = None  # ante's comment's id
    shared: bool = False  # the comment also held other sections (then read it before writing)
    asked: datetime | None = None  # GitHub's time of ante asking "still relevant?"
    earliest: date | None = None  # the pickup window last told
    latest: date | None = None

    @property
    def told(self) -> tuple[date | None, date | None]:
        return (self.earliest, self.latest)


def last_activity(issue: IssueLike, note: Note | None) -> datetime:
    """The latest thing anyone but ante did to the issue."""
    if note is None or issue.updated_at > note.touched + SKEW:
        return issue.updated_at
    return min(note.active, issue.updated_at)


def touched_after(issue: IssueLike, note: Note | None) -> bool:
    """Did anyone but ante change the issue since ante's last write?"""
    return note is None or issue.updated_at > note.touched + SKEW


# ---- what to do -------------------------------------------------------------------------------

Kind = Literal["acknowledge", "update", "ask", "unask", "close"]
Issue = TypeVar("Issue", bound=IssueLike)  # the caller's own issue type, handed back in steps


@dataclass(frozen=True)
class Step(Generic[Issue]):
    kind: Kind
    issue: Issue
    note: Note | None
    activity: datetime  # the last activity that was not ante's
    estimate: Estimate | None = None
    reads: int = 0  # the comment must be read first (other sections, or no note of it)

    @property
    def calls(self) -> int:
        """API calls it takes: the comment (and the label or state change)."""
        writes = 1 if self.kind in ("acknowledge", "update") else 2
        return self.reads + writes


@dataclass(frozen=True)
class Skip:
    url: str
    why: str


@dataclass(frozen=True)
class Plan(Generic[Issue]):
    steps: tuple[Step[Issue], ...]
    deferred: tuple[Step[Issue], ...]  # over the run's operation limit: next run
    skipped: tuple[Skip, ...]


def comment_reads(issue: IssueLike, note: Note | None) -> int:
    """1 when ante's comment must be read before editing it, else 0.

    With a note of the comment, nobody else touching the issue since and no other section in
    it, the comment is exactly what ante wrote: edit it blind. An issue without comments has
    none to find.
    """
    if note is not None and note.comment is not None:
        return 1 if note.shared or touched_after(issue, note) else 0
    return 1 if issue.comments else 0


def exempt(issue: IssueLike, policy: IntakePolicy) -> str | None:
    wanted = {label.lower() for label in policy.exempt_labels}
    return next((label for label in issue.labels if label.lower() in wanted), None)


def sweep(
    issues: Sequence[Issue],
    notes: Mapping[str, Note],
    policy: IntakePolicy,
    now: datetime,
    *,
    budget: int,
    recorded: Pace | None = None,
) -> Plan[Issue]:
    """Ask about stale issues, close those not answered in the grace period, un-ask answered ones.

    Closing comes first (it finishes what an earlier run started), then the longest-quiet
    issues; steps past `budget` API calls wait for the next run.
    """
    steps: list[Step[Issue]] = []
    skipped: list[Skip] = []
    where = positions(issues)
    stale, grace = timedelta(days=policy.stale_days), timedelta(days=policy.grace_days)
    for issue in issues:
        note = notes.get(issue.url)
        if (label := exempt(issue, policy)) is not None:
            skipped.append(Skip(issue.url, f"exempt (`{label}`)"))
            continue
        activity = last_activity(issue, note)
        labelled = policy.triage_label.lower() in {label.lower() for label in issue.labels}
        asked = note.asked if note is not None else None
        reads = comment_reads(issue, note)
        if asked is not None and (touched_after(issue, note) or not labelled):
            # Someone answered (or took the label off): back to the queue, with its estimate.
            guess = estimate(where[issue.url], recorded, now.date()) if recorded else None
            steps.append(Step("unask", issue, note, activity, guess, reads))
        elif asked is not None and now - asked >= grace:
            steps.append(Step("close", issue, note, activity, reads=reads))
        elif asked is None and (labelled or now - activity >= stale):
            steps.append(Step("ask", issue, note, activity, reads=reads))
        elif asked is None:
            skipped.append(Skip(issue.url, "recently active"))
    order = {"close": 0, "unask": 1, "ask": 2}
    steps.sort(key=lambda s: (order[s.kind], s.activity, s.issue.url))
    return within(steps, skipped, budget)


def refresh(
    issues: Sequence[Issue],
    notes: Mapping[str, Note],
    recorded: Pace,
    today: date,
    *,
    budget: int,
) -> Plan[Issue]:
    """Acknowledge open overhead issues ante never commented on; re-tell estimates that moved."""
    steps: list[Step[Issue]] = []
    skipped: list[Skip] = []
    where = positions(issues)
    for issue in issues:
        note = notes.get(issue.url)
        guess = estimate(where[issue.url], recorded, today)
        activity = last_activity(issue, note)
        reads = comment_reads(issue, note)
        if note is None:
            steps.append(Step("acknowledge", issue, None, activity, guess, reads))
        elif note.asked is not None:
            skipped.append(Skip(issue.url, "asked whether it is still relevant"))
        elif moved(note.told, guess):
            steps.append(Step("update", issue, note, activity, guess, reads))
        else:
            skipped.append(Skip(issue.url, "estimate unchanged"))
    steps.sort(key=lambda s: (s.kind != "acknowledge", s.issue.created_at, s.issue.url))
    return within(steps, skipped, budget)


def within(steps: Sequence[Step[Issue]], skipped: Sequence[Skip], budget: int) -> Plan[Issue]:
    taken: list[Step[Issue]] = []
    deferred: list[Step[Issue]] = []
    left = budget
    for step in steps:
        if step.calls <= left and not deferred:
            taken.append(step)
            left -= step.calls
        else:
            deferred.append(step)
    return Plan(tuple(taken), tuple(deferred), tuple(skipped))


# ---- after the writes -------------------------------------------------------------------------


def noted(
    step: Step[Issue],
    *,
    touched: datetime,
    comment: int | None,
    shared: bool,
) -> Note | None:
    """The note after carrying `step` out at GitHub time `touched` (None: forget the issue)."""
    if step.kind == "close":
        return None
    base = step.note or Note(step.issue.url, touched, step.activity)
    note = replace(base, touched=max(touched, base.touched), active=step.activity, shared=shared)
    note = replace(note, comment=comment if comment is not None else base.comment)
    if step.kind == "ask":
        return replace(note, asked=touched)
    note = replace(note, asked=None)
    if step.estimate is not None:
        note = replace(note, earliest=step.estimate.earliest, latest=step.estimate.latest)
    return note
