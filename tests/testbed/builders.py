"""Small builders many tests share, each defined once: journal entries, rotations, backlog
weeks, instants."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from ante.core.backlog import WeekMetrics
from ante.core.rotation import Rotation

JOURNAL_2026 = "ledger/journal/2026/entries.yaml"


def journal(source: Path | str, *kinds: str) -> list[dict[str, Any]]:
    """The 2026 journal entries of a team repository (a Path) or of a journal file's text,
    only those of `kinds` when given."""
    text = (source / JOURNAL_2026).read_text() if isinstance(source, Path) else source
    entries: list[dict[str, Any]] = yaml.safe_load(text)["entries"]
    return [e for e in entries if not kinds or e["kind"] in kinds]


def rotation(data: dict[str, Any] | None = None, /, **fields: Any) -> Rotation:
    """A rotation from a rotation file's mapping, or four volunteers (ann, ben, cat, dan, from
    2026-11-01) when none is given; `fields` override."""
    if data is None:
        people = [{"login": x, "from": "2026-11-01"} for x in ("ann", "ben", "cat", "dan")]
        data = {"volunteers": people}
    return Rotation.model_validate({**data, **fields})


def weeks(rows: Sequence[int | tuple[int, int, int]], first: int = 40) -> list[WeekMetrics]:
    """Backlog weeks from 2026-W{first} on: each row (open, opened, closed), or only the number
    closed (then 10 open, 3 opened)."""
    full = [row if isinstance(row, tuple) else (10, 3, row) for row in rows]
    return [WeekMetrics(f"2026-W{first + i:02d}", o, a, c) for i, (o, a, c) in enumerate(full)]


def at(day: int, hour: int = 10) -> datetime:
    """`hour`:00 UTC on `day` November 2026."""
    return datetime(2026, 11, day, hour, tzinfo=UTC)
