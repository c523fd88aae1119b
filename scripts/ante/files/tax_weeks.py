"""The weekly tax files on main (`ledger/journal/<YYYY>/tax-<week>.yaml`) read as `TaxWeek`s."""

from __future__ import annotations

from pathlib import Path

from ante.core.models import JournalFile
from ante.core.tax import TaxWeek
from ante.files import yamlio


def weeks_on_main(repo: Path) -> list[TaxWeek]:
    """Every week's tax file in the checkout, oldest first."""
    paths = (repo / "ledger" / "journal").glob("*/tax-*.yaml")
    return [_read(repo, path) for path in sorted(paths, key=lambda p: p.name)]


def _read(repo: Path, path: Path) -> TaxWeek:
    journal = yamlio.load(path, JournalFile, repo, empty={})
    week = journal.week or path.stem.removeprefix("tax-")
    return TaxWeek(week, journal.rate or 0, journal.reason or "", yamlio.display(path, repo))


def latest(repo: Path) -> TaxWeek | None:
    """The newest week's tax on main (rate and reason), for STATUS.md; None before the first."""
    paths = (repo / "ledger" / "journal").glob("*/tax-*.yaml")
    newest = max(paths, key=lambda p: p.name, default=None)
    return _read(repo, newest) if newest is not None else None
