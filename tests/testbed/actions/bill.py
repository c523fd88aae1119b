"""The Actions bill of a stretch of team life, read off the runner, and how long events waited.

GitHub bills every job that started a runner, each rounded up to the whole minute; a job whose
`if:` was false (skipped) or that was cancelled before a runner picked it up costs nothing. So:
billed jobs are the jobs with a start time, runner minutes the sum of each one's duration rounded
up. `escalate`'s watcher (one job per emergency, polling each minute until someone answers or the
managers are paged) is billed for its whole stay: it is shown apart from the other workflows.

Latency is from a person's action (the event) to its effect on GitHub: the captain's page on an
emergency, the chips' entry reaching `main` for a close, ante's acknowledgement on a new overhead
issue. Events GitHub delivered are kept apart from the ones it dropped (5% in the soak), which
wait for a safety net (the sweep of the next `issue` job, `sync`, the Monday refresh).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .runner import Delivery, Run
from .soak import PRODUCT, TAG, TOLD_AFTER_CLOSE, Soak, page_comment
from .triggers import cron_times

WATCHER = "escalate"
EFFECTS = ("page", "ledger", "ack")


@dataclass
class Line:
    jobs: int = 0
    minutes: int = 0

    def add(self, seconds: float) -> None:
        self.jobs += 1
        self.minutes += max(1, math.ceil(seconds / 60))


@dataclass
class Waits:
    """Seconds from event to effect, for events delivered and for events GitHub dropped."""

    delivered: list[float] = field(default_factory=list)
    missed: list[float] = field(default_factory=list)
    never: int = 0  # no effect at all

    def worst(self, missed: bool = False) -> float:
        return max((self.missed if missed else self.delivered), default=0.0)


@dataclass
class Bill:
    """Billed jobs and minutes per workflow over `days`; `weekly` scales a figure to a week."""

    days: float
    workflows: dict[str, Line]
    skipped: int  # jobs that started no runner (their `if:` was false, or cancelled pending)
    factors: dict[str, float] = field(default_factory=dict)  # to a week, per workflow
    scheduled: set[str] = field(default_factory=set)  # workflows run by their crons alone
    waits: dict[str, Waits] = field(default_factory=dict)

    def with_schedules_of(self, week: Bill) -> Bill:
        """This bill's people with `week`'s scheduled workflows (their cost hardly depends on
        the team's size): for a few days played, the schedules of a whole week."""
        workflows = {n: line for n, line in self.workflows.items() if n not in self.scheduled}
        factors = {n: f for n, f in self.factors.items() if n not in self.scheduled}
        for name in week.scheduled:
            if name in week.workflows:
                workflows[name] = week.workflows[name]
                factors[name] = week.factors.get(name, 1.0)
        return Bill(
            self.days, _ordered(workflows), self.skipped, factors, week.scheduled, self.waits
        )

    def weekly(self, workflow: str, value: float) -> int:
        return round(value * self.factors.get(workflow, 1.0))

    @property
    def jobs_a_week(self) -> int:
        """Billed jobs a week, escalate's watcher apart."""
        return sum(self.weekly(n, line.jobs) for n, line in self.workflows.items() if n != WATCHER)

    @property
    def minutes_a_week(self) -> int:
        return sum(
            self.weekly(n, line.minutes) for n, line in self.workflows.items() if n != WATCHER
        )

    @property
    def watcher(self) -> Line:
        return self.workflows.get(WATCHER, Line())


def bill(runs: Iterable[Run], *, start: datetime, days: float) -> Bill:
    """What GitHub charges for the `runs` (all completed) created in the `days` from `start`.

    Played for less than a week, a workflow run only by its schedules is scaled by its crons'
    fires in a week against the runs played; every other one by the week's five working days
    against the working days played (people's traffic; a Monday's bursts count once a day)."""
    end = start + timedelta(days=days)
    runs = [run for run in runs if start <= run.created_at < end]  # not the quiet hours after
    workflows: dict[str, Line] = {}
    played: dict[str, int] = {}
    crons: dict[str, set[str]] = {}
    skipped = 0
    for run in runs:
        played[run.name] = played.get(run.name, 0) + 1
        crons.setdefault(run.name, set())
        if run.event == "schedule":
            crons[run.name].add(run.delivery.payload["schedule"])
        else:
            crons[run.name].add("")  # driven by events
        for job in run.jobs.values():
            if job.started_at is None or job.finished_at is None:
                skipped += 1
                continue
            seconds = (job.finished_at - job.started_at).total_seconds()
            workflows.setdefault(run.name, Line()).add(seconds)
    factors: dict[str, float] = {}
    scheduled = {name for name, kinds in crons.items() if "" not in kinds}
    if days < 7:
        noon = start.replace(hour=12, minute=0, second=0)
        working = sum(
            start <= noon + timedelta(days=k) < end and (noon + timedelta(days=k)).weekday() < 5
            for k in range(math.ceil(days) + 1)
        )
        for name, kinds in crons.items():
            if "" in kinds:
                factors[name] = 5 / max(1, working)
            else:
                week = start + timedelta(days=7)
                fires = sum(len(list(cron_times(c, start, week))) for c in kinds)
                factors[name] = fires / played[name]
    return Bill(days, _ordered(workflows), skipped, factors, scheduled)


def _ordered(workflows: dict[str, Line]) -> dict[str, Line]:
    return dict(sorted(workflows.items(), key=lambda item: (-item[1].jobs, item[0])))


def forwarded(deliveries: Iterable[Delivery], *, start: datetime, days: float) -> int:
    """Product-repository events forwarded in the window: each one a job of the product
    repository's `ante-forward` workflow (the README's recipe), billed there."""
    end = start + timedelta(days=days)
    return sum(
        d.name == "repository_dispatch" and start <= d.at < end and d.fate != "ignored"
        for d in deliveries
    )


def waits(soak: Soak) -> dict[str, Waits]:
    """Event to effect in a played soak: pages, ledger entries, acknowledgements."""
    fake, found = soak.world.fake, {kind: Waits() for kind in EFFECTS}
    for emergency in soak.emergencies:
        said = page_comment(fake, emergency.number)
        paged = said is not None and TOLD_AFTER_CLOSE not in said.body
        _note(
            found["page"],
            emergency.delivery,
            emergency.opened_at,
            said.created_at if said is not None and paged else None,
        )
    _, landed = soak._journal()
    forwarded = _forwarded(soak.runner.deliveries)
    for url, closed in soak.closed_at.items():
        number = int(url.rsplit("/", 1)[1])
        issue = fake.issue(PRODUCT, number)
        if issue.state_reason != "completed" or not _worth(issue.labels):
            continue
        delivery = _at(forwarded.get((url, "closed"), []), closed)
        _note(found["ledger"], delivery, closed, landed.get(url))
    for number in soak.product:
        url = f"https://github.com/{PRODUCT}/issues/{number}"
        issue = fake.issue(PRODUCT, number)
        acks = [c.created_at for c in fake.comments(PRODUCT, number) if TAG in c.body]
        # a new labelled issue reaches the team as its `labeled` event (the recipe sends no
        # `opened`)
        delivery = _at(forwarded.get((url, "labeled"), []), issue.created_at)
        _note(found["ack"], delivery, issue.created_at, min(acks, default=None))
    return found


def _worth(labels: Iterable[str]) -> bool:
    return any(name.startswith("overhead") for name in labels)


def _forwarded(deliveries: Iterable[Delivery]) -> dict[tuple[str, str], list[Delivery]]:
    """The product repository's forwarded issue events, by issue address and action."""
    found: dict[tuple[str, str], list[Delivery]] = {}
    for delivery in deliveries:
        if delivery.name != "repository_dispatch":
            continue
        event: dict[str, Any] = delivery.payload.get("client_payload") or {}
        url = (event.get("issue") or {}).get("html_url", "")
        found.setdefault((url, event.get("action", "")), []).append(delivery)
    return found


def _at(deliveries: list[Delivery], when: datetime) -> Delivery | None:
    return next((d for d in deliveries if d.at == when), deliveries[-1] if deliveries else None)


def _note(into: Waits, delivery: Delivery | None, event: datetime, effect: datetime | None) -> None:
    if effect is None:
        into.never += 1
        return
    seconds = max(0.0, (effect - event).total_seconds())
    if delivery is not None and delivery.fate == "delivered":
        into.delivered.append(seconds)
    else:
        into.missed.append(seconds)
