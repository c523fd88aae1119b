"""Webhook deliveries for what happened on the fake: an Activity turned into the event GitHub
would send, built from GitHub's own examples and checked against its schema.

A delivery describes the issue or pull request as the fake holds it now (a runner turns writes
into deliveries as they happen) and carries `starts_runs` from the activity: what a workflow's
GITHUB_TOKEN did starts no workflow runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import payloads
from . import render
from .render import iso

if TYPE_CHECKING:
    from datetime import datetime

    from .model import Activity, Issue
    from .state import State

Json = dict[str, Any]


@dataclass(frozen=True)
class Delivery:
    event: str  # the X-GitHub-Event header: issues, issue_comment, pull_request
    payload: Json
    starts_runs: bool


def delivery(fake: State, activity: Activity) -> Delivery:
    """The webhook for `activity` (KeyError for kinds GitHub's examples do not cover)."""
    repo = fake.repo(activity.repo)
    issue = repo.issues[activity.number] if activity.number is not None else None
    if issue is None:
        raise KeyError(f"no webhook for {activity.event}.{activity.action} without an issue")
    sender = activity.actor
    if activity.event == "issue_comment":
        _, comment = fake.comments_by_id[activity.comment_id or 0]
        payload = payloads.issue_comment_event(
            activity.action,
            repo=repo.full_name,
            number=issue.number,
            body=comment.body,
            commenter=comment.user,
            labels=issue.labels,
            sender=sender,
        )
    elif activity.event == "pull_request":
        assert issue.pull is not None
        payload = payloads.pull_request_event(
            activity.action,
            repo=repo.full_name,
            number=issue.number,
            title=issue.title,
            head=issue.pull.head,
            base=issue.pull.base,
            merged=issue.pull.merged_at is not None,
            labels=issue.labels,
            author=issue.user,
            sender=sender,
        )
    else:
        payload = issues_payload(
            repo.full_name, issue, activity.action, sender, activity.label, activity.at
        )
    if sender.endswith("[bot]"):
        payload["sender"]["type"] = "Bot"
    key = f"{activity.event.replace('_', '-')}-{activity.action}"
    return Delivery(activity.event, payloads.validated(key, payload), activity.starts_runs)


def issues_payload(
    repo: str, issue: Issue, action: str, sender: str, label: str | None, at: datetime
) -> Json:
    """The `issues` event GitHub sends for `action` on `issue` as it is now: its state, state
    reason, labels (the one just labeled among them), body and counts."""
    payload = payloads.issues_event(
        action,
        repo=repo,
        number=issue.number,
        title=issue.title,
        body=issue.body,
        labels=issue.labels,
        label=label,
        state=issue.state,
        state_reason=issue.state_reason if issue.state == "closed" else None,
        assignees=issue.assignees,
        author=issue.user,
        sender=sender,
        closed_at=iso(issue.closed_at or at) or "",
    )
    payload["issue"].update(
        id=issue.id,  # the REST id: the same issue, however it is read
        node_id=render.node_id("I", issue.id),
        created_at=iso(issue.created_at),
        updated_at=iso(issue.updated_at),
        comments=len(issue.comments),
    )
    if sender.endswith("[bot]"):
        payload["sender"]["type"] = "Bot"
    return payload
