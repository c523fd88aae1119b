"""A member's chip statement, pure: their journal entries in a date range, with a running balance.

The statement starts from the year's checkpoint (the balances carried into the period), so
reading it costs the years it spans, never the whole history. Each line links to what caused
it: the overhead issue of an award or revoke, the pull request of a weekly tax or an
adjustment, the members file for the starting grant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar
from urllib.parse import quote

TAX_BRANCH = "ante/tax/{week}"
ADJUST_BRANCH = "ante/adjust/{slug}"


class EntryLike(Protocol):
    """What a statement needs of a journal entry (an `Entry` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def kind(self) -> str: ...
    @property
    def member(self) -> str: ...
    @property
    def delta(self) -> int: ...
    @property
    def ref(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def by(self) -> str | None: ...


@dataclass(frozen=True)
class Line:
    date: date
    kind: str
    delta: int
    balance: int  # after this entry
    ref: str
    link: str | None  # a URL (or a path in the repository), None when nothing to point at
    note: str  # what it was: the issue, the week, the reason

    def json(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "delta": self.delta,
            "balance": self.balance,
            "ref": self.ref,
            "link": self.link,
            "note": self.note,
        }


@dataclass(frozen=True)
class Statement:
    login: str
    start: date
    end: date
    opening: int  # the balance at the start of `start`
    lines: tuple[Line, ...]

    @property
    def closing(self) -> int:
        return self.lines[-1].balance if self.lines else self.opening

    def json(self) -> dict[str, object]:
        return {
            "member": self.login,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "opening": self.opening,
            "closing": self.closing,
            "entries": [line.json() for line in self.lines],
        }


def statement(
    login: str,
    carried: int,
    entries: Iterable[EntryLike],
    start: date,
    end: date,
    *,
    repository: str | None = None,
    server: str = "https://github.com",
) -> Statement:
    """`login`'s lines from `start` to `end` (both included).

    `carried` is their balance at the checkpoint that `entries` (every entry of the periods
    from there on, in journal order) continue from; entries before `start` only move the
    opening balance. With `repository` (owner/name) taxes and adjustments link to their pull
    requests; without, to their place in the repository.
    """
    key = login.lower()
    mine = [e for e in entries if e.member.lower() == key and e.date <= end]
    mine.sort(key=lambda e: e.date)  # stable: the journal's order within a day
    opening = carried + sum(e.delta for e in mine if e.date < start)
    balance = opening
    lines: list[Line] = []
    for entry in mine:
        if entry.date < start:
            continue
        balance += entry.delta
        link, note = describe(entry, repository, server)
        lines.append(Line(entry.date, entry.kind, entry.delta, balance, entry.ref, link, note))
    return Statement(login, start, end, opening, tuple(lines))


def describe(
    entry: EntryLike, repository: str | None, server: str = "https://github.com"
) -> tuple[str | None, str]:
    """Where an entry points, and the few words that say what it was."""
    ref = entry.ref
    if entry.kind in ("award", "revoke") and ref.startswith(("https://", "http://")):
        return ref, short_issue(ref)
    if entry.kind == "tax" and ref.startswith("tax/"):
        week = ref.removeprefix("tax/")
        if repository:
            return pull_search(server, repository, TAX_BRANCH.format(week=week)), f"tax {week}"
        return f"ledger/journal/{week[:4]}/tax-{week}.yaml", f"tax {week}"
    if entry.kind == "adjust":
        asked = f" (asked by @{entry.by})" if entry.by else ""
        note = f"{entry.reason or 'adjustment'}{asked}"
        if ref.startswith("adjust/") and repository:
            branch = ADJUST_BRANCH.format(slug=ref.removeprefix("adjust/"))
            return pull_search(server, repository, branch), note
        if ref.startswith(("https://", "http://")):
            return ref, note
        return None, note
    if entry.kind == "grant":
        return ref if ref.endswith(".yaml") else None, "starting chips"
    return (ref if ref.startswith(("https://", "http://")) else None), entry.reason or ref


def short_issue(url: str) -> str:
    """`owner/repo#12` for an issue or pull request URL."""
    parts = url.rstrip("/").split("/")
    if len(parts) >= 7 and parts[-2] in ("issues", "pull"):
        return f"{parts[-4]}/{parts[-3]}#{parts[-1]}"
    return url


def pull_search(server: str, repository: str, branch: str) -> str:
    """The pull request(s) from `branch`: GitHub's search finds it by its head branch."""
    query = quote(f"is:pr head:{branch}", safe="")
    return f"{server.rstrip('/')}/{repository}/pulls?q={query}"


E = TypeVar("E", bound=EntryLike)


def by_member(entries: Iterable[E]) -> dict[str, list[E]]:
    """Entries per member (lowercased login), each list in journal order: one pass."""
    found: dict[str, list[E]] = {}
    for entry in entries:
        found.setdefault(entry.member.lower(), []).append(entry)
    return found


def periods_for(periods: Sequence[int], start: date, end: date) -> tuple[int | None, list[int]]:
    """The checkpoint to start from and the periods to read for a statement `start`..`end`.

    The checkpoint is the latest period that opens in `start`'s year or before; everything
    before it is summed up in its opening balances, so ten years cost what one year costs.
    """
    if not periods:
        return None, []
    earlier = [p for p in periods if p <= start.year]
    first = earlier[-1] if earlier else periods[0]
    return first, [p for p in periods if first <= p <= max(end.year, first)]
