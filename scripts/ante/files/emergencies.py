"""Emergency pages: one record per `product-emergency` issue, in `ledger/pages/<YYYY>.yaml`.

A page is opened when the issue is opened or labelled, counted as in-hours or out-of-hours by
the rotation's working hours, and closed (with its post-mortem's URL) when the issue closes.
The files are tool-written, one flow mapping per line, one file per year of `opened` (so the
cost of reading this month's pages does not grow with the years); every change is idempotent by
issue: its URL, GitHub's id for it (the same after its repository is renamed) or an address it
had before (`former`: the page follows an issue that moved, see `services/emergency.py`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import Field, field_validator

from ante.core.models import Strict
from ante.files import yamlio

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
    # Who was woken and when (routing and escalation, `ante escalate`):
    paged_rotation: str | None = None  # whose person was paged first (the volunteers' at night)
    woken: list[str] = Field(default_factory=list)  # everybody paged, in order
    paged_at: datetime | None = None
    first_mate_at: datetime | None = None
    managers_at: datetime | None = None
    acknowledged: datetime | None = None
    acknowledged_by: str | None = None  # a GitHub login, or PagerDuty's name for the person
    acknowledged_via: str | None = None  # "pagerduty" when acknowledged there, not on GitHub
    issue_id: int | None = Field(None, ge=1)  # GitHub's id of the issue (older pages have none)
    former: list[str] = Field(default_factory=list)  # the issue's earlier URLs, oldest first

    @field_validator("opened", "closed", "paged_at", "first_mate_at", "managers_at", "acknowledged")
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
            ("paged_rotation", self.paged_rotation),
            ("woken", self.woken or None),
            ("paged_at", self.paged_at),
            ("first_mate_at", self.first_mate_at),
            ("managers_at", self.managers_at),
            ("acknowledged", self.acknowledged),
            ("acknowledged_by", self.acknowledged_by),
            ("acknowledged_via", self.acknowledged_via),
            ("issue_id", self.issue_id),
            ("former", self.former or None),
        ]

    def names(self, url: str, issue_id: int | None = None) -> bool:
        """Whether this page is the one of the issue at `url` (now or before) or with that id."""
        same_id = issue_id is not None and issue_id == self.issue_id
        return same_id or url == self.issue or url in self.former

    def same_issue(self, other: Page) -> bool:
        return any(self.names(url, other.issue_id) for url in (other.issue, *other.former))


class PagesFile(Strict):
    pages: list[Page] = Field(default_factory=list)


def pages_path(repo: Path, year: int) -> Path:
    return repo / "ledger" / "pages" / f"{year}.yaml"


def load_pages(
    repo: Path, *, since: datetime | None = None, skip: Collection[int] = ()
) -> list[Page]:
    """Every page, or those in the years from `since` on (a page opened before `since` in the
    same year is included: callers filter by time); the years in `skip` are not read."""
    folder = repo / "ledger" / "pages"
    if not folder.is_dir():
        return []
    years = sorted(int(p.stem) for p in folder.glob("*.yaml") if p.stem.isdigit())
    found: list[Page] = []
    for year in years:
        if (since is None or year >= since.year) and year not in skip:
            found.extend(yamlio.load(pages_path(repo, year), PagesFile, repo, empty={}).pages)
    return found


def save(repo: Path, page: Page) -> bool:
    """Add or replace `page` in its year's file; False when it was already recorded so."""
    year = page.opened.astimezone(UTC).year
    path = pages_path(repo, year)
    records = yamlio.load(path, PagesFile, repo, empty={}).pages if path.exists() else []
    if next((p for p in records if p.same_issue(page)), None) == page:
        return False
    yamlio.write_text(path, pages_text(upsert(records, page)))
    return True


def pages_text(pages: Sequence[Page]) -> str:
    lines = [f"- {yamlio.flow(page.fields())}" for page in pages]
    return yamlio.append_to_list(PAGES_HEADER + "pages: []\n", "pages", lines)


def find(pages: Sequence[Page], url: str, issue_id: int | None = None) -> Page | None:
    """The page of the issue at `url` (now or at an earlier address), or with GitHub id."""
    return next((p for p in pages if p.names(url, issue_id)), None)


def find_same(pages: Sequence[Page], page: Page) -> Page | None:
    """The record of `page`'s issue, under any of its addresses."""
    return next((p for p in pages if p.same_issue(page)), None)


def upsert(pages: Sequence[Page], page: Page) -> list[Page]:
    """`pages` with `page` added, or replacing the record of the same issue."""
    out = [p for p in pages if not p.same_issue(page)]
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
