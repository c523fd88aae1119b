"""What STATUS.md is made of: the inputs its view reads and the sections it returns.

The inputs are protocols (duck-typed: each file's module shapes its own records) gathered in
`Sources` by `services/status_file.py`; the sections are plain frozen values the template
renders. `status_view.py` turns the one into the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, tzinfo
from typing import Any, Protocol

from ante.core.coverage import Coverage
from ante.core.ledger import Ledger
from ante.core.models import Entry, TaxPolicy

# ---- the inputs, as the other modules shape them (duck-typed) ---------------------------------


class TaxWeekLike(Protocol):
    @property
    def week(self) -> str: ...
    @property
    def rate(self) -> int: ...
    @property
    def reason(self) -> str | None: ...


class WeekMetricsLike(Protocol):
    @property
    def week(self) -> str: ...
    @property
    def open(self) -> int: ...
    @property
    def opened(self) -> int: ...
    @property
    def closed(self) -> int: ...


class ShiftLike(Protocol):
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def roles(self) -> Mapping[str, str]: ...


class QueueItemLike(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def priority(self) -> Any: ...
    @property
    def due(self) -> date | None: ...


class SweptLike(Protocol):
    @property
    def issue(self) -> str: ...
    @property
    def title(self) -> str: ...


class PageLike(Protocol):
    @property
    def opened(self) -> datetime: ...
    @property
    def out_of_hours(self) -> bool: ...
    @property
    def issue(self) -> str: ...
    @property
    def rotation(self) -> str | None: ...
    @property
    def postmortem(self) -> str | None: ...
    @property
    def closed(self) -> datetime | None: ...
    @property
    def woken(self) -> Sequence[str]: ...


class FollowUpLike(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def owner(self) -> str | None: ...
    @property
    def due(self) -> date | None: ...
    @property
    def state(self) -> str: ...


@dataclass
class Sources:
    """Everything `status_file` found in the repository; None where there is no such data."""

    ledger: Ledger
    tax: TaxWeekLike | None = None
    metrics: Sequence[WeekMetricsLike] | None = None
    backlog_target: int = TaxPolicy().target_backlog
    shifts: Mapping[str, Sequence[ShiftLike]] | None = None  # rotation -> current shift onwards
    escalation: Mapping[str, Sequence[str]] | None = None  # rotation -> managers
    zones: Mapping[str, tzinfo] = field(default_factory=dict)  # rotation -> its timezone
    queue: Sequence[QueueItemLike] | None = None
    pages: Sequence[PageLike] | None = None
    earlier_entries: Sequence[Entry] = ()  # the previous period, when the 4 weeks reach into it
    swept: Sequence[SweptLike] | None = None  # overhead issues closed as not planned
    budgets: Mapping[str, int | None] | None = None  # rotation -> out-of-hours pages a month
    followups: Sequence[FollowUpLike] | None = None  # post-mortem actions, last snapshot
    coverage: Sequence[Coverage] | None = None  # per rotation: terms ending, empty weeks


# ---- the sections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    url: str | None  # None: not a link (e.g. a ref that is a file path)
    title: str = ""  # what the issue is about, when the record says


@dataclass(frozen=True)
class BalanceRow:
    login: str
    name: str
    chips: int
    change: int  # over the last four weeks
    statement: str = ""  # the member's statement page, relative to the repository

    @property
    def in_debt(self) -> bool:
        return self.chips < 0


@dataclass(frozen=True)
class Balances:
    rows: list[BalanceRow]
    total: int
    since: date  # start of the change column's window
    in_debt: int


@dataclass(frozen=True)
class Tax:
    week: str
    rate: int
    reason: str | None
    paid: int  # chips the week's tax entries took
    payers: int
    waived: bool


@dataclass(frozen=True)
class OnCall:
    rotation: str
    roles: list[tuple[str, str]]  # (role, login), the captain first
    until: datetime
    next_roles: list[tuple[str, str]]
    escalation: list[str]


@dataclass(frozen=True)
class Chart:
    title: str
    labels: list[str]
    bars: list[int]
    lines: list[list[int]]
    y_max: int


@dataclass(frozen=True)
class BacklogSection:
    open_now: int
    week: str  # the latest recorded week
    weeks: list[WeekMetricsLike]  # the chart's weeks, oldest first
    flow: Chart  # closed (bars) vs opened (line) per week
    trend: Chart  # open backlog at the end of each week
    opened_rate: float
    closed_rate: float
    target: int
    estimate: str


@dataclass(frozen=True)
class QueueRow:
    link: Link
    title: str
    priority: str
    due: date | None


@dataclass(frozen=True)
class ScheduleRow:
    start: datetime
    logins: list[str]  # in the order of `Schedule.roles`; "" where the role is empty
    current: bool


@dataclass(frozen=True)
class Schedule:
    rotation: str
    roles: list[str]
    rows: list[ScheduleRow]


@dataclass(frozen=True)
class Pages:
    month: str  # "November 2026"
    in_hours: int
    out_of_hours: int
    open: list[Link]


@dataclass(frozen=True)
class Award:
    day: date
    login: str
    chips: int  # net: what the issue still gives the member after any revoke
    link: Link
    awarded: int = 0  # chips awarded, before revokes
    revoked: int = 0  # chips taken back (positive)
    revoked_on: date | None = None


@dataclass(frozen=True)
class CoverageNote:
    rotation: str
    endings: list[str]  # "@bob's term ends in 20 days (2027-05-18): renew by ..."
    gaps: list[tuple[datetime, list[str], bool]]  # week start (local), roles, already frozen
    hint: str


@dataclass(frozen=True)
class BudgetRow:
    rotation: str
    pages: int
    budget: int | None
    over: bool


@dataclass(frozen=True)
class NightBudget:
    """This month's out-of-hours pages against each rotation's budget, and who was woken."""

    rotations: list[BudgetRow]
    people: list[tuple[str, int]]


@dataclass(frozen=True)
class Actions:
    open: int
    overdue: list[tuple[Link, str | None, date]]  # the follow-up, its owner, its due date


@dataclass(frozen=True)
class Status:
    as_of: date | None
    on_call: list[OnCall] | None
    balances: Balances
    tax: Tax | None
    backlog: BacklogSection | None
    queue: list[QueueRow] | None
    schedules: list[Schedule] | None
    pages: Pages | None
    awards: list[Award] | None
    postmortems: list[Link] | None
    swept: list[Link] | None = None  # overhead noise swept this week (intake, later)
    night_budget: NightBudget | None = None  # out-of-hours pages per rotation and person
    actions: Actions | None = None  # post-mortem actions: how many open, which overdue
    coverage: list[CoverageNote] | None = None  # terms ending soon, weeks nobody covers

    def context(self) -> dict[str, Any]:
        """The template's variables: one per section."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
