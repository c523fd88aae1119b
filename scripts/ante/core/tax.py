"""The weekly chip tax, pure: the rate (fixed, or adaptive to the backlog), who pays, entries.

The adaptive rate is a small controller. Overhead work follows the tax: members earn back, on
average, what is taxed, and an issue earns `chips_per_issue`, so a rate buys
`payers * rate / chips_per_issue` closed issues a week. Over the target, the rate buys the
inflow plus the margin plus the excess spread over what is left of the horizon (its clock
starts when the backlog went over the target), rounded up: the backlog drains in time. At or
under the target it buys the inflow plus margin in proportion to how full the backlog is,
rounded to nearest: the tax falls rather than charge for work that is not there, and the
backlog settles between half the target and the target. Always within the policy's min/max,
and one chip up or down a week at most. See `ante simulate` for how this plays out.

Reading the tax files from a checkout lives in `ante.files.tax_weeks`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ante import clock
from ante.core.backlog import WeekMetrics
from ante.core.models import Entry, Member, Policy, TaxPolicy

WAIVED = "Waived"  # a tax file whose reason starts so collected nothing: its PR was closed


@dataclass(frozen=True)
class Rate:
    rate: int
    ideal: float | None  # the unrounded chips per payer the adaptive rule asked for
    reason: str


@dataclass(frozen=True)
class Backlog:
    """What the adaptive rule reads: the backlog now, the recorded weeks, the team."""

    open: int
    history: Sequence[WeekMetrics]
    payers: int
    previous: int | None  # the last week's rate (None: never taxed)
    chips_per_issue: float = 1.0


def _chips(n: int) -> str:
    return f"{n} chip{'' if n == 1 else 's'}"


def decide(policy: TaxPolicy, backlog: Backlog) -> Rate:
    """This week's rate and the one sentence, with its numbers, that explains it."""
    if policy.mode == "fixed":
        return Rate(policy.rate, None, f"Fixed rate of {_chips(policy.rate)} (policy: fixed).")
    start = backlog.previous if backlog.previous is not None else policy.rate
    start = min(max(start, policy.min), policy.max)
    weeks = list(backlog.history)[-policy.history_weeks :]
    if not weeks:
        return Rate(start, None, f"No backlog history recorded yet: {_chips(start)} as before.")
    if backlog.payers == 0:
        return Rate(start, None, f"Nobody pays this week: the rate stays at {_chips(start)}.")
    inflow = sum(w.opened for w in weeks) / len(weeks)
    closed = sum(w.closed for w in weeks) / len(weeks)
    target, excess = policy.target_backlog, backlog.open - policy.target_backlog
    over = 0  # weeks the backlog has been over the target: the horizon's clock
    for row in reversed(backlog.history):
        if row.open <= target:
            break
        over += 1
    left = max(policy.horizon_weeks - over, 1)
    flow = inflow * (1 + policy.margin)
    if excess > 0:
        need = flow + excess / left
        where = (
            f"{backlog.open} open, {excess} over the target of {target} with {left} of the "
            f"{policy.horizon_weeks} weeks' horizon left"
        )
    else:
        need = flow * backlog.open / max(target, 1)
        where = f"{backlog.open} open, at or under the target of {target}"
    ideal = need * backlog.chips_per_issue / backlog.payers
    # Over the target round up (drain in time); at or under it round to nearest (lean).
    wanted = math.ceil(ideal - 1e-9) if excess > 0 else math.floor(ideal + 0.5)
    wanted = min(max(wanted, policy.min), policy.max)
    rate = min(max(wanted, start - 1), start + 1)
    move = f"up from {start}" if rate > start else f"down from {start}" if rate < start else ""
    move = move or "unchanged"
    if wanted != rate:
        move += f"; {wanted} wanted, but it moves one chip a week"
    return Rate(
        rate,
        round(ideal, 2),
        f"{where}; {inflow:.1f} opened and {closed:.1f} closed a week over the last "
        f"{len(weeks)} weeks; so {backlog.payers} paying members should close {need:.1f} a "
        f"week at {backlog.chips_per_issue:.1f} chips an issue, {ideal:.2f} chips each, "
        f"rounded {'up' if excess > 0 else 'to nearest'}: {_chips(rate)} ({move}).",
    )


# ---- who pays --------------------------------------------------------------------------------


def tax_day(week: str) -> date:
    """The Wednesday of the week: the tax's date, before sprint planning."""
    return clock.week_start(week) + timedelta(days=2)


def next_week(week: str) -> str:
    return clock.iso_week(clock.week_start(week) + timedelta(days=7))


def exemption(member: Member, week: str, policy: TaxPolicy, captain: str | None) -> str | None:
    """Why `member` pays nothing this week, or None."""
    day = tax_day(week)
    if policy.exempt_captain and captain and captain.lower() == member.login.lower():
        return "captain"
    monday = clock.week_start(week)
    workdays = [monday + timedelta(days=i) for i in range(5)]
    if sum(member.on_leave(d) for d in workdays) >= 3:
        return "leave"
    if (day - member.joined).days < policy.new_member_days:
        return "new member"
    return None


@dataclass(frozen=True)
class MemberTax:
    login: str
    before: int
    tax: int
    after: int
    exempt: str | None  # captain | leave | new member
    capped: bool = False  # paid less because of the debt cap


@dataclass(frozen=True)
class TaxPlan:
    week: str
    rate: int
    reason: str
    members: tuple[MemberTax, ...]

    @property
    def day(self) -> date:
        return tax_day(self.week)

    @property
    def total(self) -> int:
        return sum(m.tax for m in self.members)

    @property
    def debtors(self) -> list[MemberTax]:
        """Members who end the week owing chips: they owe overhead work."""
        return [m for m in self.members if m.after < 0]

    def entries(self) -> list[Entry]:
        return [
            Entry(
                id=f"tax:{self.week}:{m.login}",
                date=self.day,
                kind="tax",
                member=m.login,
                delta=-m.tax,
                ref=f"tax/{self.week}",
            )
            for m in self.members
            if m.tax > 0
        ]

    def as_json(self) -> dict[str, object]:
        return {
            "week": self.week,
            "rate": self.rate,
            "reason": self.reason,
            "members": {
                m.login: {"before": m.before, "tax": m.tax, "after": m.after, "exempt": m.exempt}
                for m in self.members
            },
        }


def payers(
    members: Mapping[str, Member], week: str, policy: TaxPolicy, captain: str | None
) -> list[str]:
    day = tax_day(week)
    return [
        login
        for login, member in members.items()
        if member.active_on(day) and exemption(member, week, policy, captain) is None
    ]


def plan(
    week: str,
    rate: Rate,
    members: Mapping[str, Member],
    balances: Mapping[str, int],
    policy: TaxPolicy,
    captain: str | None,
) -> TaxPlan:
    """Each current member's tax for `week` at `rate`: exemptions first, then the debt cap."""
    day = tax_day(week)
    rows: list[MemberTax] = []
    for login, member in members.items():
        if not member.active_on(day):
            continue
        before = balances.get(login, 0)
        exempt = exemption(member, week, policy, captain)
        owed = 0 if exempt else rate.rate
        tax = owed
        if policy.max_debt is not None:
            tax = max(0, min(owed, before + policy.max_debt))
        rows.append(MemberTax(login, before, tax, before - tax, exempt, capped=tax < owed))
    return TaxPlan(week, rate.rate, rate.reason, tuple(rows))


def rate_for(
    policy: Policy,
    week: str,
    entries: Iterable[Entry],
    open_now: int,
    history: Sequence[WeekMetrics],
    payers: int,
    previous: int | None,
) -> Rate:
    """The rate of `week` from the records: one rule for the weekly run and the simulator."""
    since = tax_day(week) - timedelta(weeks=policy.tax.history_weeks)
    default = float(min(policy.awards.values(), default=1) or 1)
    earned = chips_per_issue(entries, since, default)
    return decide(policy.tax, Backlog(open_now, history, payers, previous, earned))


def chips_per_issue(entries: Iterable[Entry], since: date, default: float = 1.0) -> float:
    """Chips an overhead issue earned on average lately (awards net of revokes, per issue)."""
    per_issue: dict[str, int] = {}
    for entry in entries:
        if entry.kind in ("award", "revoke") and entry.date >= since:
            per_issue[entry.ref] = per_issue.get(entry.ref, 0) + entry.delta
    earned = [chips for chips in per_issue.values() if chips > 0]
    return sum(earned) / len(earned) if earned else default


def pending(done: Iterable[str], last: str | None, current: str) -> list[str]:
    """Weeks to offer: every week after the last one on main up to `current`, none twice."""
    taken = set(done)
    if last is None or last >= current:
        return [] if current in taken else [current]
    weeks, week = [], next_week(last)
    while week <= current:
        if week not in taken:
            weeks.append(week)
        week = next_week(week)
    return weeks


# ---- the tax files on main -------------------------------------------------------------------


@dataclass(frozen=True)
class TaxWeek:
    week: str
    rate: int
    reason: str
    path: str

    @property
    def waived(self) -> bool:
        return self.reason.startswith(WAIVED)


def file_name(week: str) -> str:
    return f"tax-{week}.yaml"
