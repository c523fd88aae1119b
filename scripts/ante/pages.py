"""Emergency pages: one record per `product-emergency` issue, in `ledger/pages.yaml`.

A page is opened when the issue is opened or labelled, counted as in-hours or out-of-hours by
the rotation's working hours, and closed (with its post-mortem's URL) when the issue closes.
The file is tool-written, one flow mapping per line; every change is idempotent by issue URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import Field, field_validator

from . import yamlio
from .models import Strict

PAGES_HEADER = (
    "# Emergency pages (issues labelled product-emergency), written by ante.\n"
    "# One line per page; out_of_hours is judged by the rotation's working hours.\n"
)


class Page(Strict):
    issue: str  # the emergency issue's URL
    number: int
    title: str = ""
    rotation: str
    opened: datetime
    out_of_hours: bool
    captain: str | None = None
    first_mate: str | None = None
    closed: datetime | None = None
    postmortem: str | None = None  # the post-mortem issue's URL

    @field_validator("opened", "closed")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value

    def fields(self) -> list[tuple[str, object]]:
        return [
            ("issue", self.issue),
            ("number", self.number),
            ("title", self.title),
            ("rotation", self.rotation),
            ("opened", self.opened),
            ("out_of_hours", self.out_of_hours),
            ("captain", self.captain),
            ("first_mate", self.first_mate),
            ("closed", self.closed),
            ("postmortem", self.postmortem),
        ]


class PagesFile(Strict):
    pages: list[Page] = Field(default_factory=list)


def pages_path(repo: Path) -> Path:
    return repo / "ledger" / "pages.yaml"


def load_pages(repo: Path) -> list[Page]:
    path = pages_path(repo)
    if not path.exists():
        return []
    return yamlio.load(path, PagesFile, repo, empty={}).pages


def pages_text(pages: Sequence[Page]) -> str:
    lines = [f"- {yamlio.flow(page.fields())}" for page in pages]
    return yamlio.append_to_list(PAGES_HEADER + "pages: []\n", "pages", lines)


def find(pages: Sequence[Page], url: str) -> Page | None:
    return next((p for p in pages if p.issue == url), None)


def upsert(pages: Sequence[Page], page: Page) -> list[Page]:
    """`pages` with `page` added, or replacing the record of the same issue."""
    out = [p for p in pages if p.issue != page.issue]
    out.append(page)
    return sorted(out, key=lambda p: (p.opened, p.issue))


@dataclass(frozen=True)
class WeekNumbers:
    pages: int
    in_hours: int
    out_of_hours: int


def count(
    pages: Sequence[Page], start: datetime, end: datetime, rotation: str | None = None
) -> WeekNumbers:
    """Pages opened in [start, end), optionally for one rotation."""
    chosen = [
        p for p in pages if start <= p.opened < end and (rotation is None or p.rotation == rotation)
    ]
    night = sum(1 for p in chosen if p.out_of_hours)
    return WeekNumbers(len(chosen), len(chosen) - night, night)
