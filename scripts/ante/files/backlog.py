"""The overhead backlog, week by week: `ledger/metrics/backlog.yaml`, written by `ante tax`.

Each weekly tax run records one row per ISO week: the overhead issues open when it was
recorded, and how many were opened and closed during that week. The adaptive tax averages the
inflow over these rows, and STATUS.md draws its chart from them, without any API call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field

from ante.core.backlog import WeekMetrics
from ante.core.models import Strict
from ante.files import flowrows, yamlio

if TYPE_CHECKING:
    from ante.errors import Problem

PATH = "ledger/metrics/backlog.yaml"
WEEK = r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$"
HEADER = (
    "# The overhead backlog per ISO week, written by `ante tax`; do not edit by hand.\n"
    "# open: overhead issues open when the week was recorded; opened/closed: during the week.\n"
)


class _Row(Strict):
    week: str = Field(pattern=WEEK)
    open: int = Field(ge=0)
    opened: int = Field(ge=0)
    closed: int = Field(ge=0)


class BacklogFile(Strict):
    weeks: list[_Row] = Field(default_factory=list)


# A line as `WeekMetrics.line` writes it (files/flowrows.py); anything else: the strict loader.
_LINE = re.compile(
    rf"- \{{week: (\d{{4}}-W\d\d), open: ({flowrows.COUNT}), opened: ({flowrows.COUNT}), "
    rf"closed: ({flowrows.COUNT})\}}"
)
read_weeks = flowrows.reader(
    "weeks",
    _LINE,
    lambda m: {"week": m[1], "open": int(m[2]), "opened": int(m[3]), "closed": int(m[4])},
)


def load_history(repo: Path) -> list[WeekMetrics]:
    """Every recorded week, oldest first; [] when nothing was recorded yet."""
    path = repo / PATH
    if not path.exists():
        return []
    data = yamlio.load(path, BacklogFile, repo, empty={}, fast=read_weeks)
    rows = {row.week: WeekMetrics(row.week, row.open, row.opened, row.closed) for row in data.weeks}
    return sorted(rows.values())


def record(history: Iterable[WeekMetrics], row: WeekMetrics) -> list[WeekMetrics]:
    """The history with `row` added, or replacing the row of the same week (re-runs)."""
    kept = {m.week: m for m in history}
    kept[row.week] = row
    return sorted(kept.values())


def text(history: Iterable[WeekMetrics]) -> str:
    lines = [m.line() for m in sorted(history)]
    return HEADER + ("weeks:\n" + "\n".join(lines) + "\n" if lines else "weeks: []\n")


def write(repo: Path, history: Iterable[WeekMetrics]) -> bool:
    """Write the file; False when it already said exactly this."""
    path = repo / PATH
    new = text(history)
    if path.exists() and path.read_text(encoding="utf-8") == new:
        return False
    yamlio.write_text(path, new)
    return True


def check_file(repo: Path) -> list[Problem]:
    """`ante validate`: the metrics file parses (a bad row raises DataError at its line)."""
    load_history(repo)
    return []


def is_week(value: str) -> bool:
    return re.fullmatch(WEEK, value) is not None
