"""Who is woken for an emergency, when the page escalates, what counts as an answer, and how
many nights each person and rotation carried this month: pure decisions, the clock passed in.

- Routing: inside the product rotation's working hours (its own days, hours and time zone) the
  captain is paged; outside them the volunteer of the rotation named by `out_of_hours:` (or
  the captain, when there is none). Either way the first-mate and then the managers are the
  escalation path.
- Escalation: a page nobody acknowledged reaches the first-mate `first_mate` minutes after the
  first page and the managers `managers` minutes after it. A late or skipped check catches up
  every step that fell due, in order. Nobody on call: straight to the next tier, never a page to
  nobody.
- An acknowledgement is a comment or reaction on the issue, after the page, by someone who was
  paged or a member of the team: not a bot, not an outsider; or, when PagerDuty is used, its
  incident for the emergency acknowledged or resolved there (`handled_in_pagerduty`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

Step = Literal["paged", "first-mate", "managers"]
STEPS: tuple[Step, ...] = ("paged", "first-mate", "managers")


@dataclass(frozen=True)
class Chain:
    """Who is woken, in order, for one emergency."""

    out_of_hours: bool
    rotation: str  # the rotation whose person is paged first (the volunteers' at night)
    paged: str | None  # the captain, or the out-of-hours volunteer
    paged_role: str  # what they are called, e.g. "captain", "volunteer"
    first_mate: str | None
    managers: tuple[str, ...]
    first_mate_after: timedelta
    managers_after: timedelta

    def people(self, step: Step) -> tuple[str, ...]:
        if step == "paged":
            return (self.paged,) if self.paged else ()
        if step == "first-mate":
            mate = self.first_mate
            return (mate,) if mate and mate.lower() != (self.paged or "").lower() else ()
        return self.managers

    def first_step(self) -> Step | None:
        """The step ante pages at once: the paged person, else the first-mate, else managers."""
        return next((s for s in STEPS if self.people(s)), None)

    def due(self, step: Step) -> timedelta:
        return {
            "paged": timedelta(0),
            "first-mate": self.first_mate_after,
            "managers": self.managers_after,
        }[step]


@dataclass(frozen=True)
class Taken:
    step: Step
    at: datetime
    people: tuple[str, ...]
    late: timedelta  # how long after it fell due it was taken (a late scheduled run)


def steps_due(
    chain: Chain,
    opened: datetime,
    now: datetime,
    done: Iterable[Step],
    acknowledged: bool,
) -> list[Taken]:
    """The escalation steps to take now, in order: every one that fell due and was not taken.

    The first step is taken at once; once acknowledged, nothing more escalates. Steps with
    nobody in them are skipped; when nobody is on call at all the managers are paged at once.
    """
    taken = set(done)
    start = chain.first_step()
    if start is None:
        return []
    out: list[Taken] = []
    if start not in taken:
        out.append(Taken(start, now, chain.people(start), max(now - opened, timedelta(0))))
        taken.add(start)
    if acknowledged:
        return out
    for step in STEPS[STEPS.index(start) + 1 :]:
        people = chain.people(step)
        if step in taken or not people:
            continue
        when = opened + chain.due(step)
        if when <= now:
            out.append(Taken(step, now, people, now - when))
    return out


def next_due(chain: Chain, opened: datetime, done: Iterable[Step]) -> datetime | None:
    """When the next escalation step falls due (None: nothing left to escalate)."""
    taken = set(done)
    start = chain.first_step()
    if start is None:
        return None
    if start not in taken:
        return opened
    for step in STEPS[STEPS.index(start) + 1 :]:
        if step not in taken and chain.people(step):
            return opened + chain.due(step)
    return None


# ---- acknowledgement ---------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A comment or a reaction on the emergency issue."""

    login: str
    at: datetime
    kind: Literal["comment", "reaction"]
    content: str = ""  # the reaction (`+1`, `eyes`…) or the comment's text
    bot: bool = False
    association: str | None = None  # a comment's author_association (OWNER, MEMBER…)


MEMBER_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
NOT_AN_ACK = frozenset({"-1", "confused"})


def acknowledgement(
    answers: Sequence[Answer], since: datetime, paged: Iterable[str], members: Iterable[str]
) -> Answer | None:
    """The first answer after the page by someone who was paged or is a member of the team.

    Bots never acknowledge (ante's own comment least of all); an outsider's comment or a
    thumbs-down is not an answer from the on-call."""
    known = {login.lower() for login in (*paged, *members)}
    for answer in sorted(answers, key=lambda a: a.at):
        if answer.at < since or answer.bot or answer.login.lower().endswith("[bot]"):
            continue
        if answer.kind == "reaction" and answer.content in NOT_AN_ACK:
            continue
        member = answer.login.lower() in known or answer.association in MEMBER_ASSOCIATIONS
        if member:
            return answer
    return None


@dataclass(frozen=True)
class Incident:
    """PagerDuty's incident for an emergency, as its REST API describes it."""

    status: str  # triggered, acknowledged, resolved (PagerDuty may add more)
    created: datetime
    number: int | None = None
    url: str | None = None  # the incident's page in PagerDuty
    acknowledgements: tuple[tuple[datetime, str], ...] = ()  # (when, who) while acknowledged
    changed: datetime | None = None  # last_status_change_at
    changed_by: str | None = None  # last_status_change_by's summary
    resolved: datetime | None = None


@dataclass(frozen=True)
class Handled:
    """An emergency acknowledged (or already resolved) in PagerDuty."""

    at: datetime
    by: str | None  # PagerDuty's name for whoever did it (not a GitHub login)
    status: str  # acknowledged or resolved
    number: int | None = None
    url: str | None = None


SKEW = timedelta(minutes=10)  # PagerDuty's clock against the runner's


def handled_in_pagerduty(incidents: Sequence[Incident], since: datetime) -> Handled | None:
    """Whether PagerDuty's incident for this page was acknowledged or resolved there.

    The incident is the newest one created after the page (a reopened emergency's earlier,
    resolved incident says nothing about this page). Acknowledged: the first acknowledgement;
    resolved (PagerDuty then empties the acknowledgements): when and by whom it was resolved."""
    current = [i for i in incidents if i.created >= since - SKEW]
    if not current:
        return None
    incident = max(current, key=lambda i: i.created)
    if incident.status == "acknowledged":
        if incident.acknowledgements:
            at, by = min(incident.acknowledgements, key=lambda a: a[0])
            return Handled(at, by, "acknowledged", incident.number, incident.url)
    elif incident.status != "resolved":
        return None
    resolved = incident.resolved if incident.status == "resolved" else None
    at = resolved or incident.changed or incident.created
    return Handled(at, incident.changed_by, incident.status, incident.number, incident.url)


# ---- the out-of-hours budget -------------------------------------------------------------


class PageLike(Protocol):
    @property
    def rotation(self) -> str | None: ...
    @property
    def opened(self) -> datetime: ...
    @property
    def out_of_hours(self) -> bool: ...
    @property
    def woken(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Budget:
    """One month's out-of-hours pages against the budget."""

    month: str  # 2026-11
    per_rotation: dict[str, int]
    per_person: dict[str, int]
    budgets: dict[str, int | None]  # rotation -> fewer than this many a month

    def over(self, rotation: str) -> bool:
        limit = self.budgets.get(rotation)
        return limit is not None and self.per_rotation.get(rotation, 0) >= limit


def month_of(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def budget(pages: Sequence[PageLike], month: str, budgets: dict[str, int | None]) -> Budget:
    """Out-of-hours pages opened in `month` (UTC), per rotation and per person woken.

    A person counts once per emergency that woke them, whether paged first or by an
    escalation: a night is a night."""
    chosen = [p for p in pages if p.out_of_hours and month_of(p.opened) == month]
    rotations = Counter(p.rotation for p in chosen if p.rotation)
    people: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for page in chosen:
        for key in {login.lower() for login in page.woken}:
            people[key] += 1
        for login in page.woken:
            spelling.setdefault(login.lower(), login)
    for name in budgets:
        rotations.setdefault(name, 0)
    return Budget(
        month,
        dict(sorted(rotations.items())),
        {spelling[k]: n for k, n in sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))},
        dict(budgets),
    )
