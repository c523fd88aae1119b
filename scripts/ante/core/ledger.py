"""The chip ledger, pure: balances derived from the journal, invariants, idempotent appends.

Nothing here touches files or the clock; `store` reads and writes, commands decide when.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from ante.core.models import Entry, Member, Policy


@dataclass(frozen=True)
class Violation:
    """An invariant broken by one journal entry (`index` into `Ledger.entries`), or globally."""

    index: int | None
    field: str | None
    message: str


@dataclass
class Ledger:
    """One period of the journal on top of its opening checkpoint."""

    members: dict[str, Member]
    policy: Policy
    opening: dict[str, int] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    period: int | None = None

    def __post_init__(self) -> None:
        self._ids = {entry.id for entry in self.entries}

    def has(self, entry_id: str) -> bool:
        return entry_id in self._ids

    def balances(self) -> dict[str, int]:
        """Chips per member: opening balance plus every delta, members first in file order."""
        totals: dict[str, int] = {login: 0 for login in self.members}
        for login, chips in self.opening.items():
            totals[login] = totals.get(login, 0) + chips
        for entry in self.entries:
            totals[entry.member] = totals.get(entry.member, 0) + entry.delta
        return totals

    def balance(self, login: str) -> int:
        return self.balances().get(self.canonical(login) or login, 0)

    def canonical(self, login: str) -> str | None:
        """The member's login as written in the members file (GitHub logins ignore case)."""
        if login in self.members:
            return login
        lowered = login.lower()
        return next((m for m in self.members if m.lower() == lowered), None)

    def entries_for(self, ref: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.ref == ref]

    def add(self, candidates: Iterable[Entry]) -> list[Entry]:
        """Append what is new; an entry whose id is already here is a replay and changes nothing.

        Raises ValueError if a new entry breaks an invariant; the ledger is then unchanged.
        """
        fresh: list[Entry] = []
        seen = set(self._ids)
        for entry in candidates:
            if entry.id in seen:
                continue
            seen.add(entry.id)
            fresh.append(entry)
        problems = check(self.members, self.opening, fresh, known_ids=self._ids)
        if problems:
            raise ValueError("; ".join(p.message for p in problems))
        self.entries.extend(fresh)
        self._ids.update(e.id for e in fresh)
        return fresh


def check(
    members: Mapping[str, Member],
    opening: Mapping[str, int],
    entries: list[Entry],
    *,
    known_ids: set[str] | frozenset[str] = frozenset(),
) -> list[Violation]:
    """Every invariant of the journal that can be checked from the data alone."""
    problems: list[Violation] = []
    counts = Counter(entry.id for entry in entries)
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry.id in known_ids or (counts[entry.id] > 1 and entry.id in seen):
            problems.append(Violation(index, "id", f"duplicate entry id {entry.id!r}"))
        seen.add(entry.id)
        if entry.member not in members:
            problems.append(
                Violation(index, "member", f"{entry.member!r} is not in ledger/members.yaml")
            )
    for login in opening:
        if login not in members:
            problems.append(Violation(None, None, f"opening balance for unknown member {login!r}"))
    balances: dict[str, int] = dict(opening)
    for entry in entries:
        balances[entry.member] = balances.get(entry.member, 0) + entry.delta
    if sum(balances.values()) != sum(opening.values()) + sum(e.delta for e in entries):
        problems.append(Violation(None, None, "balances do not add up to the journal's deltas"))
    return problems


def grants_due(ledger: Ledger, today: date) -> list[Entry]:
    """The starting grant for every current member who never received one."""
    granted = set(ledger.opening) | {e.member for e in ledger.entries if e.kind == "grant"}
    chips = ledger.policy.starting_grant
    return [
        Entry(
            id=f"grant:{login}",
            date=today,
            kind="grant",
            member=login,
            delta=chips,
            ref="ledger/members.yaml",
        )
        for login, member in ledger.members.items()
        if login not in granted and member.active_on(today) and chips > 0
    ]
