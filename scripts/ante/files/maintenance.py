"""The captain's maintenance queue: open `product-maintenance-duty` issues, most urgent first.

The handoff takes a snapshot into `ledger/queue.yaml` so STATUS.md can show it without API
calls. Priority comes from a label (`P0`…`P4`, `priority:critical|high|medium|low`), the due
date from a `due:YYYY-MM-DD` label or a `Due: YYYY-MM-DD` line in the issue body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from pydantic import Field

from ante.core.models import Strict
from ante.files import yamlio

DUTY_LABEL = "product-maintenance-duty"
QUEUE_HEADER = (
    "# The product-maintenance-duty queue at the last handoff, most urgent first.\n"
    "# Written by ante; edit the issues on GitHub instead.\n"
)
NAMED = {"critical": 0, "urgent": 0, "high": 1, "medium": 2, "normal": 2, "low": 3}
_P = re.compile(r"^p([0-9])$", re.IGNORECASE)
_PRIORITY = re.compile(r"^priority[:/ -]*\s*(\w+)$", re.IGNORECASE)
_DUE_LABEL = re.compile(r"^due[:/ ]\s*(\d{4}-\d{2}-\d{2})$", re.IGNORECASE)
_DUE_LINE = re.compile(
    r"^\W*due(?: date)?\W*:?\W*(\d{4}-\d{2}-\d{2})", re.IGNORECASE | re.MULTILINE
)


class QueueItem(Strict):
    number: int
    title: str
    url: str
    priority: str | None = None
    due: date | None = None

    def fields(self) -> list[tuple[str, object]]:
        return [
            ("number", self.number),
            ("title", self.title),
            ("url", self.url),
            ("priority", self.priority),
            ("due", self.due),
        ]


class QueueFile(Strict):
    taken: datetime | None = None
    issues: list[QueueItem] = Field(default_factory=list)


def priority_of(labels: Iterable[str]) -> tuple[int, str | None]:
    """(rank, label): lower rank is more urgent; unlabelled issues come last."""
    best: tuple[int, str | None] = (99, None)
    for label in labels:
        rank = None
        if match := _P.match(label.strip()):
            rank = int(match[1])
        elif (match := _PRIORITY.match(label.strip())) and match[1].lower() in NAMED:
            rank = NAMED[match[1].lower()]
        if rank is not None and rank < best[0]:
            best = (rank, label)
    return best


def due_of(labels: Iterable[str], body: str) -> date | None:
    for label in labels:
        if match := _DUE_LABEL.match(label.strip()):
            return _date(match[1])
    match = _DUE_LINE.search(body or "")
    return _date(match[1]) if match else None


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def ordered(items: Sequence[QueueItem]) -> list[QueueItem]:
    """By priority label, then due date (undated last), then issue number."""
    return sorted(
        items,
        key=lambda i: (
            priority_of([i.priority] if i.priority else [])[0],
            i.due or date.max,
            i.number,
        ),
    )


def item(number: int, title: str, url: str, labels: Sequence[str], body: str) -> QueueItem:
    return QueueItem(
        number=number,
        title=title,
        url=url,
        priority=priority_of(labels)[1],
        due=due_of(labels, body),
    )


def queue_path(repo: Path) -> Path:
    return repo / "ledger" / "queue.yaml"


def queue_text(items: Sequence[QueueItem], taken: datetime) -> str:
    lines = [f"- {yamlio.flow(i.fields())}" for i in ordered(items)]
    body = f"taken: {yamlio.scalar(taken)}\n"
    return yamlio.append_to_list(QUEUE_HEADER + body + "issues: []\n", "issues", lines)


def load_queue(repo: Path) -> list[QueueItem]:
    """The queue as the last handoff saw it (empty before the first handoff)."""
    path = queue_path(repo)
    if not path.exists():
        return []
    return ordered(yamlio.load(path, QueueFile, repo, empty={}).issues)
