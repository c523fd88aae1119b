"""What STATUS.md shows, as plain data (pure): built from the repo's data, zero API calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .ledger import Ledger


@dataclass(frozen=True)
class BalanceRow:
    login: str
    name: str
    chips: int
    change: int  # over the last four weeks

    @property
    def in_debt(self) -> bool:
        return self.chips < 0


def balance_rows(ledger: Ledger, today: date) -> list[BalanceRow]:
    """Current members, most chips first, then by name: a leaderboard without a last place."""
    since = today - timedelta(weeks=4)
    balances = ledger.balances()
    change: dict[str, int] = {}
    for entry in ledger.entries:
        if entry.date > since:
            change[entry.member] = change.get(entry.member, 0) + entry.delta
    rows = [
        BalanceRow(login, member.display_name, balances.get(login, 0), change.get(login, 0))
        for login, member in ledger.members.items()
        if member.active_on(today)
    ]
    return sorted(rows, key=lambda r: (-r.chips, r.name.lower()))


def latest_data_date(ledger: Ledger) -> date | None:
    """The date of the newest journal entry: STATUS.md shows this, never the wall clock."""
    return max((entry.date for entry in ledger.entries), default=None)


def view(ledger: Ledger, today: date) -> dict[str, object]:
    return {
        "balances": balance_rows(ledger, today),
        "as_of": latest_data_date(ledger),
        "total_chips": sum(ledger.balances().values()),
    }
