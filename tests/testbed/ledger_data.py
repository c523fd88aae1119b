"""Builds big ledgers for benchmarks: N members, Y years of history, ~25k entries a year."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from ante.core.ledger import Ledger
from ante.core.models import Entry, Kind, Member, Policy
from ante.files import formats
from ante.files.journal import Store, journal_text

PER_YEAR = 25_000


def build(root: Path, *, members: int = 500, years: int = 10, last_year: int = 2026) -> Store:
    rng = random.Random(years)
    logins = [f"dev{i:03d}" for i in range(members)]
    first = last_year - years + 1
    (root / "ledger").mkdir(parents=True)
    (root / formats.FILE).write_text(formats.text())
    (root / "ledger" / "members.yaml").write_text(
        "members:\n"
        + "".join(f"  - login: {login}\n    joined: {first}-01-01\n" for login in logins)
    )
    store = Store(root)
    ledger = Ledger({m: Member(login=m, joined=date(first, 1, 1)) for m in logins}, Policy())
    for year in range(first, last_year + 1):
        if year > first:
            store.open_period(year, ledger.balances(), year - 1)
            ledger = Ledger(ledger.members, ledger.policy, ledger.balances(), [], year)
        entries = []
        if year == first:
            entries += [
                Entry(
                    id=f"grant:{m}",
                    date=date(year, 1, 1),
                    kind="grant",
                    member=m,
                    delta=2,
                    ref="ledger/members.yaml",
                )
                for m in logins
            ]
        for i in range(PER_YEAR - len(entries)):
            day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            member = rng.choice(logins)
            kind: Kind
            if i % 5 == 4:
                kind, delta, ref = (
                    "tax",
                    -1,
                    f"tax/{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}",
                )
            else:
                kind, delta, ref = "award", 1, f"https://github.com/acme/app/issues/{year}{i}"
            entries.append(
                Entry(
                    id=f"{kind}:{year}:{i}",
                    date=day,
                    kind=kind,
                    member=member,
                    delta=delta,
                    ref=ref,
                )
            )
        ledger.entries.extend(entries)
        path = root / "ledger" / "journal" / str(year) / "entries.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(journal_text(year, entries))
    return store
