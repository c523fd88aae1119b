"""Builds big ledgers for benchmarks: N members, Y years of history, ~25k entries a year; and
`team_history`, Y years of everything else a team repository keeps (pages, metrics, rotation
with a swap a week, published shifts, the maintenance queue, a tax week)."""

from __future__ import annotations

import random
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ante.clock import iso_week
from ante.core import rotation
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


URL = "https://github.com/acme/app/issues/{}"


def team_history(repo: Path, logins: list[str], years: int = 10) -> None:
    """`years` of every other record STATUS.md reads, beside the ledger's journal."""
    first = date(2026 - years, 11, 23)
    weeks = [first + timedelta(weeks=i) for i in range(52 * years + 1)]

    metrics = [
        f"- {{week: {iso_week(day)}, open: {40 + i % 30}, "
        f"opened: {5 + i % 4}, closed: {6 + i % 3}}}"
        for i, day in enumerate(weeks[:-1])
    ]
    (repo / "ledger" / "metrics").mkdir(parents=True)
    (repo / "ledger" / "metrics" / "backlog.yaml").write_text("weeks:\n" + "\n".join(metrics))

    pages = []
    for i in range(365 * years):  # one emergency a day
        opened = datetime(2026 - years, 11, 20, 3, tzinfo=UTC) + timedelta(days=i, hours=i % 24)
        closed = (
            f"closed: {(opened + timedelta(hours=3)).isoformat()}, " if i < 365 * years - 1 else ""
        )
        pm = f"postmortem: '{URL.format(100000 + i)}'" if i % 7 == 0 else "postmortem: null"
        pages.append(
            f"- {{issue: '{URL.format(50000 + i)}', number: {50000 + i}, title: Page {i}, "
            f"rotation: product, opened: {opened.isoformat()}, "
            f"out_of_hours: {'true' if opened.hour < 9 else 'false'}, {closed}{pm}}}"
        )
    by_year: dict[str, list[str]] = {}
    for line in pages:
        by_year.setdefault(line.split("opened: ")[1][:4], []).append(line)
    (repo / "ledger" / "pages").mkdir()
    for year, lines in by_year.items():
        (repo / "ledger" / "pages" / f"{year}.yaml").write_text(
            "pages:\n" + "\n".join(lines) + "\n"
        )

    queue = [
        f"- {{number: {i}, title: Maintenance {i}, url: '{URL.format(i)}', priority: P{i % 4}}}"
        for i in range(60)
    ]
    (repo / "ledger" / "queue.yaml").write_text("issues:\n" + "\n".join(queue) + "\n")

    (repo / "rotations").mkdir()
    rota = rotation.example(logins[:60], date(2026 - years, 11, 1)).replace(
        "escalation: [dev000]", "escalation: [dev498, dev499]"
    )
    # A swap a week, kept in the file ever since (people rarely prune their overrides).
    swaps = [
        f"  - {{from: {day + timedelta(days=1)}, to: {day + timedelta(days=2)}, "
        f"role: {'captain' if i % 2 else 'first-mate'}, cover: {logins[(i + 3) % 60]}, "
        f"note: swap {i}}}"
        for i, day in enumerate(weeks[:-3])
    ]
    rota = rota.replace("overrides: []", "overrides:\n" + "\n".join(swaps))
    (repo / "rotations" / "product.yaml").write_text(rota)
    published = []
    for i, day in enumerate(weeks[:-1]):
        start = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        end = start + timedelta(weeks=1)
        a, b = logins[i % 60], logins[(i + 7) % 60]
        published.append(
            f"- {{start: {start.isoformat()}, end: {end.isoformat()}, "
            f"roles: {{captain: {a}, first-mate: {b}}}}}"
        )
    (repo / "ledger" / "schedule").mkdir()
    (repo / "ledger" / "schedule" / "product.yaml").write_text(
        "shifts:\n" + "\n".join(published) + "\n"
    )

    tax = "week: 2026-W47\nrate: 1\nreason: The backlog is draining.\nentries:\n" + "".join(
        f"- {{id: 'tax:2026-W47:{m}', date: 2026-11-18, kind: tax, member: {m}, "
        f"delta: -1, ref: tax/2026-W47}}\n"
        for m in logins
    )
    (repo / "ledger" / "journal" / "2026" / "tax-2026-W47.yaml").write_text(tax)


def commit_history(repo: Path) -> None:
    """A built repository as one commit (what validate's append-only check reads at HEAD)."""
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "history"]):
        subprocess.run(
            ["git", "-c", "user.name=b", "-c", "user.email=b@example.com", *args],
            cwd=repo,
            check=True,
        )
