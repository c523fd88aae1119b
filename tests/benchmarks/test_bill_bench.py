"""The Actions bill of a team-week, read off the test bed's workflow runner.

The soak's team life (`testbed.actions.soak`: overhead issues in a private product repository,
forwarded to the team repository; the bursts of a Monday and a Wednesday; 5% of deliveries
dropped; a runner lost after its push) is played on this repository's workflows, executed by
the runner with GitHub's own parser and evaluator, for 10 people (30 overhead closes a week)
and 50 people (150). The bill is read off the runner (`testbed.actions.bill`): billed jobs and
runner minutes a week per workflow, escalate's watcher apart, and the worst wait from an event to
its effect (page, ledger entry, acknowledgement) for events delivered and for events dropped.

10 people: at most 120 billed jobs a week, and every invariant of the soak holds for that week.
A 50-person week takes too long for `make bench`: 50 people play one plain working day
(Tuesday; BILL_DAYS_50 for more), their events scaled to the week's five working days, with the
scheduled workflows of the 10-person week (their cost hardly depends on the team's size), as the
output says. The product repository's `ante-forward` jobs (one per forwarded event, billed to
the product repository) are shown apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from testbed.actions.bill import EFFECTS, WATCHER, Bill, bill, forwarded, waits
from testbed.actions.soak import MONDAY, Figures, Soak, protected
from testbed.fakegithub import FakeGitHub

SEED = 1


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def _table(people: int, week: Bill, soak: Soak, forwards: int) -> str:
    weekly = week.weekly
    top = ", ".join(
        f"{name} {weekly(name, line.jobs)}/{weekly(name, line.minutes)}"
        for name, line in week.workflows.items()
        if name != WATCHER
    )
    watcher = week.watcher
    played = (
        "a week played"
        if week.days >= 7
        else f"{week.days:g} working day(s) played: events x5, schedules of the 10-person week"
    )
    rows = [
        f"bill: {people} people, {len(soak.closed_at)} overhead closes played ({played}; "
        f"seed {SEED})",
        f"  billed jobs/week {week.jobs_a_week:>4}   runner minutes/week {week.minutes_a_week:>5}"
        f"   (jobs that started no runner: {week.skipped} played)",
        f"  by workflow (jobs/minutes a week): {top}",
        f"  escalate watcher apart: {weekly(WATCHER, watcher.jobs)} jobs/"
        f"{weekly(WATCHER, watcher.minutes)} min a week ({len(soak.emergencies)} emergencies "
        "played, nobody answers: each one watched to the managers' page)",
        f"  product repository's ante-forward apart: {weekly('issue', forwards)} jobs a week"
        " (a minute each, billed to the product repository)",
    ]
    for kind in EFFECTS:
        wait = week.waits[kind]
        rows.append(
            f"  worst {kind:<6} delivered {_minutes(wait.worst()):>7} ({len(wait.delivered)})"
            f"   dropped {_minutes(wait.worst(missed=True)):>8} ({len(wait.missed)})"
            f"   never {wait.never}"
        )
    return "\n".join(rows)


@dataclass
class Played:
    soak: Soak
    bill: Bill
    figures: Figures
    forwards: int


def play(tmp: Path, people: int, *, day: int, days: float) -> Played:
    """`people` for `days` from 06:00 on November `day` (23: a Monday); their bill and waits."""
    with FakeGitHub() as fake:
        soak = Soak(
            tmp,
            fake,
            seed=SEED,
            start=MONDAY.replace(day=day, hour=6),
            hours=days * 24,
            protected=protected(SEED),
            people=people,
            closes=3 * people,
        )
        setup = len(soak.runner.runs)  # the product repository added: not the week's
        soak.run()
        week = bill(soak.runner.runs[setup:], start=soak.start, days=days)
        week.waits = waits(soak)
        forwards = forwarded(soak.runner.deliveries, start=soak.start, days=days)
        figures = soak.figures()
        assert not fake.violations, fake.violations[:5]
    return Played(soak, week, figures, forwards)


def show(people: int, played: Played) -> None:
    print()
    print(_table(people, played.bill, played.soak, played.forwards))
    print(f"  {played.figures.line()}")
    for name, items in sorted(played.figures.problems.items()):
        print(f"  {name}: {len(items)}, e.g. {'; '.join(items[:3])}")


@pytest.fixture(scope="module")
def ten(tmp_path_factory: pytest.TempPathFactory) -> Played:
    """10 people, 30 overhead closes, a whole week from Monday 06:00."""
    return play(tmp_path_factory.mktemp("bill10"), 10, day=MONDAY.day, days=7)


def test_a_team_week_of_10_people_costs_at_most_120_jobs(ten: Played) -> None:
    show(10, ten)
    figures, week = ten.figures, ten.bill
    assert 25 <= len(ten.soak.closed_at) <= 35  # the realistic team: 30 closes a week
    assert figures.emergencies_paged, figures.problems
    assert figures.closes_paid_once, figures.problems
    assert figures.overhead_acknowledged, figures.problems
    assert figures.status_matches_ledger, figures.problems
    assert week.jobs_a_week <= 120
    # every delivered event of the week, bursts included, has its effect within minutes
    for kind in EFFECTS:
        assert week.waits[kind].delivered, kind
        assert week.waits[kind].worst() < timedelta(minutes=5).total_seconds(), kind


def test_a_team_week_of_50_people(tmp_path: Path, ten: Played) -> None:
    days = float(os.environ.get("BILL_DAYS_50", "1"))
    played = play(tmp_path, 50, day=MONDAY.day + 1, days=days)  # from Tuesday 06:00
    played.bill = played.bill.with_schedules_of(ten.bill)
    show(50, played)
    figures = played.figures
    assert figures.closes_paid_once and figures.overhead_acknowledged, figures.problems
    assert played.bill.jobs_a_week > ten.bill.jobs_a_week
