"""Intake's two tool-written files: what ante told each open overhead issue, and what was swept.

`ledger/intake.yaml` holds one note per open overhead issue ante wrote to (see `intake.Note`):
the sweep reads it instead of each issue's comments. `ledger/sweeps.yaml` lists the overhead
issues closed as not planned, by the sweep or by people; STATUS.md and the weekly handoff read
it without any API call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

from pydantic import Field

from ante.core.intake import Note
from ante.core.models import Strict
from ante.errors import DataError, Problem
from ante.files import yamlio

NOTES = "ledger/intake.yaml"
SWEEPS = "ledger/sweeps.yaml"
KEEP = timedelta(weeks=26)  # sweeps older than this leave the file
NOTES_HEADER = (
    "# ante's notes on open overhead issues: when it last wrote to each (GitHub's time), the\n"
    "# last activity before that, and the pickup window it told. Written by `ante intake` and\n"
    "# `ante triage` so the sweep never counts ante's own comment as activity; do not edit.\n"
)
SWEEPS_HEADER = (
    "# Overhead issues closed as not planned: noise swept from the backlog, oldest first.\n"
    "# Written by `ante triage` and `ante intake`; do not edit by hand.\n"
)


class _Note(Strict):
    issue: str
    touched: datetime
    active: datetime
    comment: int | None = None
    shared: bool = False
    asked: datetime | None = None
    earliest: date | None = None
    latest: date | None = None


class NotesFile(Strict):
    issues: list[_Note] = Field(default_factory=list)


class Swept(Strict):
    date: date
    issue: str
    title: str = ""
    by: str  # `ante` for the sweep, else who closed it
    reason: str | None = None

    def fields(self) -> list[tuple[str, object]]:
        return [
            ("date", self.date),
            ("issue", self.issue),
            ("title", self.title),
            ("by", self.by),
            ("reason", self.reason),
        ]


class SweepsFile(Strict):
    swept: list[Swept] = Field(default_factory=list)


# ---- notes -----------------------------------------------------------------------------------


def load_notes(repo: Path) -> dict[str, Note]:
    path = repo / NOTES
    if not path.exists():
        return {}
    data = yamlio.load(path, NotesFile, repo, empty={})
    return {n.issue: Note(**n.model_dump()) for n in data.issues}


def notes_text(notes: Mapping[str, Note]) -> str:
    lines = []
    for url in sorted(notes):
        n = notes[url]
        fields = [
            ("issue", n.issue),
            ("touched", n.touched),
            ("active", n.active),
            ("comment", n.comment),
            ("shared", n.shared or None),
            ("asked", n.asked),
            ("earliest", n.earliest),
            ("latest", n.latest),
        ]
        lines.append(f"- {yamlio.flow(fields)}")
    return yamlio.append_to_list(NOTES_HEADER + "issues: []\n", "issues", lines)


def save_notes(repo: Path, changes: Mapping[str, Note | None]) -> bool:
    """Apply `changes` (None forgets an issue) to the file; False when nothing changed."""
    notes = load_notes(repo)
    for url, note in changes.items():
        if note is None:
            notes.pop(url, None)
        else:
            notes[url] = note
    return _write(repo / NOTES, notes_text(notes))


# ---- sweeps ----------------------------------------------------------------------------------


def load_sweeps(repo: Path) -> list[Swept]:
    path = repo / SWEEPS
    if not path.exists():
        return []
    return list(yamlio.load(path, SweepsFile, repo, empty={}).swept)


def record_sweeps(repo: Path, new: Iterable[Swept], today: date) -> bool:
    """Add sweeps (once per issue and day) and drop those older than half a year."""
    kept = {(s.issue, s.date): s for s in load_sweeps(repo) if today - s.date <= KEEP}
    for item in new:
        kept.setdefault((item.issue, item.date), item)
    lines = [f"- {yamlio.flow(s.fields())}" for s in sorted(kept.values(), key=_order)]
    text = yamlio.append_to_list(SWEEPS_HEADER + "swept: []\n", "swept", lines)
    return _write(repo / SWEEPS, text)


def check_files(repo: Path) -> list[Problem]:
    """`ante validate`: the notes and the sweeps, as every writer will read them."""
    problems: list[Problem] = []
    for loader in (load_notes, load_sweeps):
        try:
            loader(repo)
        except DataError as exc:
            problems.extend(exc.problems)
    return problems


def swept_since(repo: Path, since: date) -> list[Swept]:
    """What was swept on or after `since`, oldest first: for STATUS.md and the handoff."""
    return [s for s in load_sweeps(repo) if s.date >= since]


def _order(item: Swept) -> tuple[date, str]:
    return (item.date, item.issue)


def _write(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    yamlio.write_text(path, text)
    return True
