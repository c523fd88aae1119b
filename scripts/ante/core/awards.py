"""Awards, pure: what an overhead issue's state is worth, and the journal entries that get there.

Over 300 lines on purpose: shares, reconciliation and revokes are one rule set, read together.

The decision is taken from the issue's STATE, never from the event's action alone: a closed-as-
completed issue carrying an award label is worth the policy's chips (the largest matching label)
to each assignee who is a member (no assignee: whoever closed it). Everything else is worth
nothing. `reconcile` compares that with what the journal already holds for the issue (entries
whose `ref` is its URL) and plans award/revoke entries with deterministic ids, so a replayed
event plans nothing and any number of close/reopen flips ends at the right net chips. An event
older than the newest one already applied to the issue (`at`) is stale and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ante.core.models import Entry, Kind, Member, Policy

# `issues` actions that can change what an issue is worth (the state decides, not the action).
ACTIONS = ("closed", "reopened", "labeled", "unlabeled", "assigned", "unassigned")
STATE_EVENTS = ACTIONS  # timeline event kinds with the same names
TRUSTED_ROLES = ("triage", "write", "maintain", "admin")  # write includes triage


@dataclass(frozen=True)
class Person:
    login: str
    bot: bool = False


@dataclass(frozen=True)
class IssueFacts:
    """An issue's state, as an event payload or a search result shows it."""

    repo: str  # owner/name
    number: int
    url: str  # html_url: the `ref` of its journal entries
    title: str
    state: str  # open | closed
    state_reason: str | None
    labels: tuple[str, ...]
    assignees: tuple[Person, ...]
    created_at: datetime
    updated_at: datetime
    closer: Person | None = None  # known from a `closed` event's sender or the timeline
    id: int | None = None  # GitHub's issue id: kept across repository renames, new on a transfer

    @property
    def key(self) -> str:
        return f"{self.repo}#{self.number}"

    @property
    def completed(self) -> bool:
        # Issues closed before GitHub had close reasons carry none: "completed" was the only kind.
        return self.state == "closed" and self.state_reason in ("completed", None)

    @property
    def not_planned(self) -> bool:
        return self.state == "closed" and self.state_reason == "not_planned"


@dataclass(frozen=True)
class Provenance:
    """Who did what to the issue, from its timeline; `known` is False without a token."""

    labelers: Mapping[str, str] = field(default_factory=dict)  # lowercased label -> login
    closer: str | None = None
    known: bool = False
    latest: datetime | None = None  # the newest change to state, labels or assignees


# A payload older than the issue's newest change (by more than clock skew) has been overtaken:
# the newer change's own run (or the hourly sync) applies the state it led to.
SUPERSEDED_AFTER = timedelta(seconds=5)


@dataclass(frozen=True)
class Share:
    """What one person should hold for this issue, and why not when they hold nothing."""

    login: str
    chips: int
    member: bool
    refusal: str | None = None


@dataclass(frozen=True)
class Plan:
    issue: IssueFacts
    worth: int  # chips the issue's state is worth to each earner
    shares: tuple[Share, ...]
    entries: tuple[Entry, ...]
    held: Mapping[str, int]  # net chips per member for this issue once `entries` are applied
    stale: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.entries)

    def headline(self) -> str:
        """`+1 chip @alice, -2 chips @bob` for commit messages and logs."""
        parts: list[str] = []
        for entry in self.entries:
            word = "chip" if abs(entry.delta) == 1 else "chips"
            sign = "+" if entry.delta > 0 else ""
            parts.append(f"{sign}{entry.delta} {word} @{entry.member}")
        return ", ".join(parts)


# ---- who is a bot ------------------------------------------------------------------------------


def is_bot(login: str, kind: str | None = None) -> bool:
    return kind == "Bot" or login.endswith("[bot]")


# ---- what the state is worth -------------------------------------------------------------------


def award_label(labels: Iterable[str], policy: Policy) -> tuple[str, int] | None:
    """The award label that counts (the largest; labels compare without case), or None."""
    table = {name.lower(): (name, chips) for name, chips in policy.awards.items()}
    found = [table[label.lower()] for label in labels if label.lower() in table]
    return max(found, key=lambda pair: pair[1]) if found else None


def is_overhead(issue: IssueFacts, policy: Policy) -> bool:
    names = {name.lower() for name in policy.awards} | {policy.overhead_label.lower()}
    return any(label.lower() in names for label in issue.labels)


def worth(issue: IssueFacts, policy: Policy) -> int:
    """Chips the issue's current state is worth to each earner."""
    counted = award_label(issue.labels, policy)
    if counted is None:
        return 0
    if issue.completed:
        return counted[1]
    if issue.not_planned:
        return policy.triage_award
    return 0


def earners(issue: IssueFacts, provenance: Provenance) -> list[Person]:
    """Assignees; with none, whoever closed it. Bots are left out."""
    people = list(issue.assignees)
    if not people:
        closer = issue.closer or (Person(provenance.closer) if provenance.closer else None)
        people = [closer] if closer else []
    return [p for p in people if not p.bot and not is_bot(p.login)]


def needs_permission(
    issue: IssueFacts,
    policy: Policy,
    provenance: Provenance,
    members: Iterable[str] = (),
) -> list[str]:
    """Logins whose repository role decides an award: an earner who applied the label (or
    when nobody knows who did), and a labeler who is not a member of the team."""
    if not provenance.known or worth(issue, policy) == 0:
        return []
    labeler = _labeler(issue, policy, provenance)
    people = [
        p.login
        for p in earners(issue, provenance)
        if labeler is None or labeler.lower() == p.login.lower()
    ]
    team = {login.lower() for login in members}
    if (
        labeler is not None
        and not is_bot(labeler)
        and labeler.lower() not in team
        and labeler.lower() not in {login.lower() for login in people}
    ):
        people.append(labeler)
    return people


def _labeler(issue: IssueFacts, policy: Policy, provenance: Provenance) -> str | None:
    counted = award_label(issue.labels, policy)
    return provenance.labelers.get(counted[0].lower()) if counted else None


def shares(
    issue: IssueFacts,
    policy: Policy,
    members: Mapping[str, Member],
    provenance: Provenance,
    trusted: Iterable[str] = (),
) -> list[Share]:
    """Who should hold what for this issue. `trusted`: logins with triage+ on its repository."""
    chips = worth(issue, policy)
    counted = award_label(issue.labels, policy)
    if chips == 0 or counted is None:  # worth > 0 means an award label counts
        return []
    trusted_lower = {login.lower() for login in trusted}
    labeler = _labeler(issue, policy, provenance)
    by_lower = {login.lower(): login for login in members}
    day = issue.updated_at.date()
    result: list[Share] = []
    for person in earners(issue, provenance):
        login = by_lower.get(person.login.lower())
        if login is None:
            result.append(Share(person.login, 0, False, "not a member"))
            continue
        member = members[login]
        if member.left is not None and member.left <= day:
            result.append(Share(login, 0, True, "left the team"))
            continue
        own_label = labeler is None or labeler.lower() == login.lower()
        if provenance.known and labeler is not None and not own_label:
            refusal = _untrusted_labeler(issue, policy, labeler, by_lower, trusted_lower)
            if refusal is not None:
                result.append(Share(login, 0, True, refusal))
                continue
        if provenance.known and own_label and login.lower() not in trusted_lower:
            label = f"`{counted[0]}`"
            why = (
                f"{label} was applied by @{login} themselves"
                if labeler
                else f"who applied {label} is unknown"
            )
            refusal = (
                f"{why} and they have no triage rights on {issue.repo}: ask a teammate to apply it"
            )
            result.append(Share(login, 0, True, refusal))
            continue
        result.append(Share(login, chips, True))
    return result


def _untrusted_labeler(
    issue: IssueFacts,
    policy: Policy,
    labeler: str,
    members: Mapping[str, str],
    trusted: set[str],
) -> str | None:
    """Why a label applied by someone else does not count, or None when it does: only a
    person (never a bot or a workflow) who is a member or has triage rights may apply it."""
    label = f"`{award_label(issue.labels, policy)[0]}`"  # type: ignore[index]
    if is_bot(labeler):
        return f"{label} was applied by @{labeler}, a bot: a teammate must apply it"
    if labeler.lower() in members or labeler.lower() in trusted:
        return None
    return (
        f"{label} was applied by @{labeler}, who is not a member and has no triage rights "
        f"on {issue.repo}: a teammate must apply it"
    )


# ---- reconciling with the journal --------------------------------------------------------------


def held(history: Iterable[Entry]) -> dict[str, int]:
    """Net chips per member from an issue's award/revoke entries."""
    totals: dict[str, int] = {}
    for entry in history:
        if entry.kind in ("award", "revoke"):
            totals[entry.member] = totals.get(entry.member, 0) + entry.delta
    return totals


def booked_at(issue: IssueFacts, history: Iterable[Entry], aliases: Iterable[str] = ()) -> str:
    """The address the issue's chips are booked at, which never changes once booked.

    An entry carrying the issue's GitHub id names it (a repository renamed or moved to another
    owner keeps the id); else the issue's own URL when the journal has entries under it; else
    the first of `aliases` (earlier addresses: the one GitHub redirected from, the one ante's own
    comment on the issue names after a transfer) that has entries; else its URL (nothing booked).
    """
    refs: set[str] = set()
    for entry in history:
        if issue.id is not None and entry.issue_id == issue.id:
            return entry.ref
        refs.add(entry.ref)
    return next((ref for ref in (issue.url, *aliases) if ref in refs), issue.url)


def superseded(issue: IssueFacts, provenance: Provenance) -> bool:
    latest = provenance.latest
    return latest is not None and issue.updated_at + SUPERSEDED_AFTER < latest


def reconcile(
    issue: IssueFacts,
    policy: Policy,
    wanted: Iterable[Share],
    history: Iterable[Entry],
    today: date,
    provenance: Provenance | None = None,
) -> Plan:
    """The entries that bring the journal's net chips for `issue` to `wanted`.

    Stale (nothing planned): the issue's state is older than one already applied (`at`), or
    than a later change its timeline shows.
    """
    past = [entry for entry in history if entry.ref == issue.url]
    wanted = tuple(wanted)
    newest = max((e.at for e in past if e.at is not None), default=None)
    now_held = held(past)
    value = worth(issue, policy)
    overtaken = provenance is not None and superseded(issue, provenance)
    if overtaken or (newest is not None and issue.updated_at < newest):
        return Plan(issue, value, wanted, (), now_held, stale=True)
    target = {share.login: share.chips for share in wanted if share.member}
    entries: list[Entry] = []
    for login in sorted(set(now_held) | set(target)):
        delta = target.get(login, 0) - now_held.get(login, 0)
        if delta == 0:
            continue
        kind: Kind = "award" if delta > 0 else "revoke"
        generation = 1 + sum(1 for e in past if e.member == login and e.kind == kind)
        entries.append(
            Entry(
                id=f"{kind}:{issue.key}:{login}:{generation}",
                date=today,
                kind=kind,
                member=login,
                delta=delta,
                ref=issue.url,
                reason=_reason(issue, kind, target.get(login, 0)),
                at=issue.updated_at,
                issue_id=issue.id,
            )
        )
    after = dict(now_held)
    for entry in entries:
        after[entry.member] = after.get(entry.member, 0) + entry.delta
    return Plan(issue, value, wanted, tuple(entries), after)


def _reason(issue: IssueFacts, kind: str, target: int) -> str:
    if kind == "award":
        return "closed as not planned (triage)" if issue.not_planned else "closed as completed"
    if issue.state == "open":
        return "reopened"
    if target:
        return "award label changed"
    return "no longer earns (label, assignee or close reason changed)"
