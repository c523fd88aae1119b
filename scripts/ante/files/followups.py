"""The post-mortem actions at the last follow-up run (`ledger/followups.yaml`), so STATUS.md and
the handoff show open and overdue ones without API calls. Tool-written, one line per action."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from pydantic import Field

from ante.core.models import Strict
from ante.files import yamlio

HEADER = (
    "# Post-mortem actions (follow-up issues) at the last `ante followup`, written by ante.\n"
    "# Edit the post-mortem's checklist or the issues on GitHub instead.\n"
)


class FollowUp(Strict):
    number: int
    title: str
    url: str
    owner: str | None = None
    due: date | None = None
    state: str = "open"  # open, done, dropped
    postmortem: str  # the post-mortem issue's URL

    def fields(self) -> list[tuple[str, object]]:
        return [
            ("number", self.number),
            ("title", self.title),
            ("url", self.url),
            ("owner", self.owner),
            ("due", self.due),
            ("state", self.state),
            ("postmortem", self.postmortem),
        ]


class FollowUpsFile(Strict):
    taken: datetime | None = None
    actions: list[FollowUp] = Field(default_factory=list)


def path(repo: Path) -> Path:
    return repo / "ledger" / "followups.yaml"


def load(repo: Path) -> list[FollowUp]:
    target = path(repo)
    if not target.exists():
        return []
    return yamlio.load(target, FollowUpsFile, repo, empty={}).actions


def write(repo: Path, items: Sequence[FollowUp], taken: datetime) -> bool:
    """Replace the snapshot; False when it already said this (the time aside)."""
    ordered = sorted(items, key=lambda i: (i.due or date.max, i.number))
    if path(repo).exists() and load(repo) == ordered:
        return False
    lines = [f"- {yamlio.flow(i.fields())}" for i in ordered]
    text = HEADER + f"taken: {yamlio.scalar(taken)}\nactions: []\n"
    yamlio.write_text(path(repo), yamlio.append_to_list(text, "actions", lines))
    return True
