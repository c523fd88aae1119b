"""The intake section of ante's one comment on an issue: its text, and reading and writing it.

The text comes from `templates/intake-comment.md.j2`; the section shares the comment with the
award's (`core/comment.py`), so writing it keeps the other sections as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ante.context import Context
from ante.core import awards, comment, intake
from ante.core.intake import Note
from ante.core.models import Policy
from ante.github.types import Comment, Issue, Timeline, TimelineEvent, marker_tag, own_comment
from ante.render import templates

if TYPE_CHECKING:
    from ante.github.adapter import GitHubAdapter

TAG = marker_tag(comment.MARKER)  # the first line of ante's one comment


def section(ctx: Context, state: str, policy: Policy, **view: Any) -> str:
    """The intake section's text for `state` (see templates/intake-comment.md.j2)."""
    defaults: dict[str, Any] = {
        "position": None,
        "earliest": None,
        "latest": None,
        "pace": intake.Pace(0, 0.0, 0.0, 0.0),
        "stale_days": policy.intake.stale_days,
        "grace_days": policy.intake.grace_days,
        "since": None,
        "close_on": None,
        "label": policy.intake.triage_label,
        "closer": None,
        "swept": False,
        "day": ctx.now.date(),
    }
    return templates.render(ctx.repo, "intake-comment.md.j2", state=state, **(defaults | view))


def queued(ctx: Context, policy: Policy, guess: intake.Estimate, state: str = "queued") -> str:
    return section(
        ctx,
        state,
        policy,
        position=guess.position,
        earliest=guess.earliest,
        latest=guess.latest,
        pace=guess.pace,
    )


@dataclass(frozen=True)
class Written:
    comment: Comment
    shared: bool  # the comment holds other sections too


def existing(gh: GitHubAdapter, issue: Issue, note: Note | None, reads: int) -> Timeline:
    """What ante needs to know of the issue's comments to edit its own (≤ 1 read when planned)."""
    if reads:
        found = gh.comments(issue.repo, issue.number)
        return Timeline(
            tuple(TimelineEvent("commented", c.author, c.created_at, comment=c) for c in found)
        )
    if note is not None and note.comment is not None:
        # Nobody touched the issue since ante wrote its comment alone: it is what ante wrote.
        mine = Comment(note.comment, gh.identity, TAG, note.touched, note.touched, "")
        return Timeline((TimelineEvent("commented", None, note.touched, comment=mine),))
    return Timeline(())  # no comments at all


def write_section(gh: GitHubAdapter, issue: Issue, known: Timeline, text: str) -> Written:
    """Set the intake section of ante's one comment, keeping the other sections."""
    mine = gh.own_comment(known.comments, comment.MARKER)
    old = mine.body[len(TAG) :].lstrip("\n") if mine and mine.body != TAG else None
    body = comment.compose(old, "intake", text)
    written = gh.upsert_comment(
        issue.repo, issue.number, comment.MARKER, body, known_timeline=known
    )
    others = set(comment.sections(body)) - {"intake"}
    return Written(written, bool(others))


def intake_said(known: Timeline, identity: str) -> str:
    """What the intake section of ante's comment says now ("" without one)."""
    mine = own_comment(known.comments, comment.MARKER, identity)
    return comment.sections(mine.body).get("intake", "") if mine else ""


def issue_of(facts: awards.IssueFacts, count: int) -> Issue:
    return Issue(
        repo=facts.repo,
        number=facts.number,
        title=facts.title,
        body="",
        state=facts.state,
        state_reason=facts.state_reason,
        labels=facts.labels,
        author="",
        assignees=tuple(p.login for p in facts.assignees),
        created_at=facts.created_at,
        updated_at=facts.updated_at,
        closed_at=None,
        closed_by=None,
        is_pull=False,
        url=facts.url,
        comments=count,
    )
