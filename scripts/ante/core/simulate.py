"""What if: the real tax, award and ledger code run over a simulated team, policy by policy.

The world: overhead issues arrive at random (Poisson, `inflow` a week), one in `large_share`
is labelled `overhead:large` (three times the work, the policy's larger award). Each developer
has deadline weeks, normal weeks and light weeks. The tax is the only reason to do overhead
work, as in Statuspage's game: after paying, a developer earns back up to `keep` chips in a
normal week and `keep + 2` in a light week (rebuilding the stockpile), within the week's
capacity; in a deadline week they do none and pay from the bank, or go into debt. They take
the oldest open issues first. Every policy faces the same arrivals and the same weeks.

Nothing here touches files: the command prints what `run` returns.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from ante import clock
from ante.core import awards, tax
from ante.core.backlog import WeekMetrics
from ante.core.ledger import Ledger, grants_due
from ante.core.models import Member, Policy, TaxPolicy

START = date(2026, 1, 5)  # a Monday: week 2026-W02
SMALL_WORK, LARGE_WORK = 1, 3  # units of effort
CAPACITY = {"deadline": 0, "normal": 3, "light": 6}  # units a developer can give overhead
REPO = "sim/product"


@dataclass(frozen=True)
class World:
    weeks: int = 52
    seed: int = 1
    members: int = 8
    inflow: float = 6.0
    backlog: int = 120
    large_share: float = 0.2
    deadline_share: float = 0.2
    light_share: float = 0.2
    keep: int = 2  # chips a developer likes to hold in the bank


@dataclass
class _Issue:
    number: int
    created: datetime
    large: bool
    closed: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    weeks_to_target: int | None  # first week ending with the backlog at or under the target
    chips_taxed: int
    median_wait_days: float | None  # issues opened in the second half of the run (steady state)
    p90_wait_days: float | None
    final_backlog: int
    max_debt: int  # the most chips any developer owed at any week's end
    backlog: tuple[int, ...] = field(default=(), repr=False)
    rates: tuple[int, ...] = field(default=(), repr=False)

    def as_json(self) -> dict[str, object]:
        return {
            "weeks_to_target": self.weeks_to_target,
            "chips_taxed": self.chips_taxed,
            "median_wait_days": self.median_wait_days,
            "p90_wait_days": self.p90_wait_days,
            "final_backlog": self.final_backlog,
            "max_debt": self.max_debt,
        }


@dataclass(frozen=True)
class _Script:
    """The world's randomness drawn once, so every policy faces the same weeks."""

    initial: tuple[tuple[datetime, bool], ...]
    arrivals: tuple[tuple[tuple[datetime, bool], ...], ...]  # per week
    kinds: tuple[tuple[str, ...], ...]  # per week, per developer
    moments: tuple[tuple[float, ...], ...]  # per week, per developer: when they work (days)


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method; fine for the small rates of overhead inflow.
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _at(day: date, offset_days: float) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=offset_days)


def script(world: World) -> _Script:
    rng = random.Random(world.seed)
    origin = START - timedelta(weeks=26)
    initial = tuple(
        sorted(
            (_at(origin, rng.uniform(0, 26 * 7)), rng.random() < world.large_share)
            for _ in range(world.backlog)
        )
    )
    arrivals, kinds, moments = [], [], []
    for week in range(world.weeks):
        monday = START + timedelta(weeks=week)
        count = _poisson(rng, world.inflow)
        arrivals.append(
            tuple(
                sorted(
                    (_at(monday, rng.uniform(0, 7)), rng.random() < world.large_share)
                    for _ in range(count)
                )
            )
        )
        row = []
        for _ in range(world.members):
            draw = rng.random()
            if draw < world.deadline_share:
                row.append("deadline")
            elif draw < world.deadline_share + world.light_share:
                row.append("light")
            else:
                row.append("normal")
        kinds.append(tuple(row))
        moments.append(tuple(rng.uniform(0, 5) for _ in range(world.members)))
    return _Script(initial, tuple(arrivals), tuple(kinds), tuple(moments))


def _facts(issue: _Issue, login: str) -> awards.IssueFacts:
    labels = ("overhead", "overhead:large") if issue.large else ("overhead",)
    assert issue.closed is not None
    return awards.IssueFacts(
        repo=REPO,
        number=issue.number,
        url=f"https://github.com/{REPO}/issues/{issue.number}",
        title=f"overhead #{issue.number}",
        state="closed",
        state_reason="completed",
        labels=labels,
        assignees=(awards.Person(login),),
        created_at=issue.created,
        updated_at=issue.closed,
        closer=awards.Person(login),
    )


def run_policy(world: World, policy: Policy, plan: _Script) -> Outcome:
    """One policy over the scripted world, through the real tax, award and ledger code."""
    logins = [f"dev{i + 1}" for i in range(world.members)]
    members = {login: Member(login=login, joined=START - timedelta(weeks=30)) for login in logins}
    ledger = Ledger(members, policy)
    ledger.add(grants_due(ledger, START - timedelta(weeks=30)))
    issues = [_Issue(n + 1, created, large) for n, (created, large) in enumerate(plan.initial)]
    history: list[WeekMetrics] = []
    rates: list[int] = []
    backlog: list[int] = []
    taxed, max_debt, previous = 0, 0, None
    opened_last = closed_last = 0
    for index in range(world.weeks):
        monday = START + timedelta(weeks=index)
        week = clock.iso_week(monday)
        open_now = sum(1 for i in issues if i.closed is None)
        if index > 0:
            last_week = clock.iso_week(monday - timedelta(weeks=1))
            history.append(WeekMetrics(last_week, open_now, opened_last, closed_last))
        payers = tax.payers(members, week, policy.tax, None)
        rate = tax.rate_for(policy, week, ledger.entries, open_now, history, len(payers), previous)
        week_plan = tax.plan(week, rate, members, ledger.balances(), policy.tax, None)
        ledger.add(week_plan.entries())
        taxed += week_plan.total
        previous = rate.rate
        rates.append(rate.rate)
        for created, large in plan.arrivals[index]:
            issues.append(_Issue(len(issues) + 1, created, large))
        opened_last = len(plan.arrivals[index])
        closed_last = _work(world, policy, ledger, issues, plan, index, monday, logins)
        balances = ledger.balances()
        max_debt = max(max_debt, -min(balances.values()))
        backlog.append(sum(1 for i in issues if i.closed is None))
    return _outcome(world, policy.tax, issues, taxed, max_debt, backlog, rates)


def _work(
    world: World,
    policy: Policy,
    ledger: Ledger,
    issues: list[_Issue],
    plan: _Script,
    index: int,
    monday: date,
    logins: list[str],
) -> int:
    """Each developer's overhead work this week; returns how many issues were closed."""
    balances = ledger.balances()
    order = sorted(range(len(logins)), key=lambda m: plan.moments[index][m])
    closed = 0
    for m in order:
        login, kind = logins[m], plan.kinds[index][m]
        want = {"deadline": 0, "normal": world.keep, "light": world.keep + 2}[kind]
        want -= balances[login]
        capacity = CAPACITY[kind]
        moment = _at(monday, plan.moments[index][m])
        for issue in issues:
            if want <= 0 or capacity <= 0:
                break
            work = LARGE_WORK if issue.large else SMALL_WORK
            if issue.closed is not None or issue.created > moment or work > capacity:
                continue
            issue.closed = moment + timedelta(hours=4 * work)
            capacity -= work
            facts = _facts(issue, login)
            shares = awards.shares(facts, policy, ledger.members, awards.Provenance())
            day = issue.closed.date()
            earned = awards.reconcile(facts, policy, shares, [], day).entries
            ledger.add(earned)
            gained = sum(e.delta for e in earned)
            want -= gained
            balances[login] += gained
            closed += 1
    return closed


def _outcome(
    world: World,
    policy: TaxPolicy,
    issues: list[_Issue],
    taxed: int,
    max_debt: int,
    backlog: list[int],
    rates: list[int],
) -> Outcome:
    reached = next(
        (week + 1 for week, count in enumerate(backlog) if count <= policy.target_backlog), None
    )
    end = _at(START, world.weeks * 7)
    steady = _at(START, (world.weeks // 2) * 7)
    # Issues still open at the end count with their age so far: a stuck queue cannot hide.
    waits = sorted(
        ((i.closed or end) - i.created).total_seconds() / 86400
        for i in issues
        if i.created >= steady
    )
    median = round(statistics.median(waits), 1) if waits else None
    p90 = round(waits[min(len(waits) - 1, int(0.9 * len(waits)))], 1) if waits else None
    return Outcome(
        reached,
        taxed,
        median,
        p90,
        backlog[-1] if backlog else 0,
        max_debt,
        tuple(backlog),
        tuple(rates),
    )


def policies(policy: Policy) -> dict[str, Policy]:
    """fixed-1, adaptive (the team's settings), and every `tax.compare` variant."""
    base = policy.tax
    chosen = {
        "fixed-1": base.model_copy(update={"mode": "fixed", "rate": 1, "compare": {}}),
        "adaptive": base.model_copy(update={"mode": "adaptive", "compare": {}}),
    }
    for name in base.compare:
        chosen[name] = base.variant(name)
    return {name: policy.model_copy(update={"tax": t}) for name, t in chosen.items()}


def run(world: World, policy: Policy) -> Mapping[str, Outcome]:
    plan = script(world)
    return {name: run_policy(world, chosen, plan) for name, chosen in policies(policy).items()}
