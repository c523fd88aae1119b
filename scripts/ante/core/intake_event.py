"""What one `issues` event changes in the intake section of ante's comment, pure.

`ante intake --event` reads the event and GitHub; this module decides: an open overhead issue
is told its place in the queue (once, and again only when the estimate moved), a closed one its
resolution, an issue that left the Overhead queue loses the section. The service carries it out
(`services/intake.py`) and records the note `acknowledged` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from ante.core.awards import IssueFacts
from ante.core.intake import Estimate, Note, moved

# `issues` actions that (re)enter an issue in the queue or change whether it is in it.
ACK_ACTIONS = ("opened", "labeled", "reopened", "unlabeled", "transferred")
SWEPT_TEXT = "**Resolved**: closed as not planned"  # how the sweep's own close starts


@dataclass(frozen=True)
class Answer:
    """What the event asks of the intake section."""

    kind: Literal["nothing", "resolve", "drop", "queue"]
    state: str = ""  # resolve: the close reason (completed, not_planned, duplicate)
    closer: str | None = None  # resolve: who closed it, as far as the event says

    @property
    def swept(self) -> bool:
        """Closed as not planned: listed among the noise swept out of the backlog."""
        return self.kind == "resolve" and self.state == "not_planned"


def answer(
    action: str, facts: IssueFacts, *, overhead: bool, note: Note | None, sender: str | None
) -> Answer:
    """The section's fate; "queue" still needs the queue position (`needs_telling`)."""
    if action not in (*ACK_ACTIONS, "closed") or (not overhead and note is None):
        return Answer("nothing")
    if facts.state == "closed":
        closer = facts.closer.login if facts.closer else sender
        return Answer("resolve", facts.state_reason or "completed", closer)
    if not overhead:
        return Answer("drop")  # no longer overhead: the section goes
    return Answer("queue")


def needs_telling(note: Note | None, guess: Estimate) -> bool:
    """An issue not told yet, or whose pickup window moved (and that is not asked about)."""
    return note is None or (note.asked is None and moved(note.told, guess))


def keeps_sweep_text(facts: IssueFacts, said: str) -> bool:
    """The sweep closed it and its comment already says why: leave that text as it is."""
    return facts.not_planned and said.startswith(SWEPT_TEXT)


def acknowledged(
    facts: IssueFacts, guess: Estimate, *, touched: datetime, comment: int, shared: bool
) -> Note:
    """The note after telling `facts` its place in the queue (`touched`: GitHub's time)."""
    return Note(
        facts.url,
        max(touched, facts.updated_at),
        facts.updated_at,
        comment,
        shared,
        None,
        guess.earliest,
        guess.latest,
    )
