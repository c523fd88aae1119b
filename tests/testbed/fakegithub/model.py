"""State records: what the fake GitHub holds. Tests read them; JSON is rendered from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
ROLES = ("none", "read", "triage", "write", "maintain", "admin")


@dataclass
class User:
    login: str
    id: int
    type: str = "User"
    name: str | None = None


@dataclass
class Label:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None


@dataclass
class Comment:
    id: int
    issue: int
    body: str
    user: str
    created_at: datetime
    updated_at: datetime


@dataclass
class Reaction:
    id: int
    content: str  # +1, -1, laugh, confused, heart, hooray, rocket, eyes
    user: str
    created_at: datetime


@dataclass
class Event:
    id: int
    event: str  # labeled, unlabeled, closed, reopened, commented, merged
    actor: str
    created_at: datetime
    label: str | None = None
    comment_id: int | None = None
    state_reason: str | None = None


@dataclass
class Pull:
    head: str
    head_owner: str
    base: str
    draft: bool = False
    merged_at: datetime | None = None
    merged_by: str | None = None
    requested_reviewers: list[str] = field(default_factory=list)


@dataclass
class Issue:
    number: int
    id: int
    title: str
    body: str | None
    user: str
    created_at: datetime
    updated_at: datetime
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    state: str = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    comments: list[int] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    pull: Pull | None = None
    reactions: list[Reaction] = field(default_factory=list)
    moved_to: tuple[str, int] | None = None  # transferred: (repository, number) it lives at now
    deleted: bool = False


@dataclass
class Repo:
    owner: str
    name: str
    id: int
    created_at: datetime
    default_branch: str = "main"
    labels: dict[str, Label] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    permissions: dict[str, str] = field(default_factory=dict)
    private: bool = False
    former_names: list[str] = field(default_factory=list)  # renamed or transferred from

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass(frozen=True)
class Activity:
    """One thing that happened on GitHub, as a webhook would report it.

    `via` says how: "workflow" (a workflow's GITHUB_TOKEN), "app" or "personal" (an App
    installation or personal token), "web" (a person, seeded by a test). Events caused by a
    GITHUB_TOKEN start no workflow runs (`starts_runs`), except dispatches.
    """

    seq: int
    at: datetime
    event: str  # the webhook event: issues, issue_comment, pull_request, label
    action: str  # opened, closed, reopened, labeled, unlabeled, edited, created, transferred...
    repo: str
    actor: str
    via: str
    number: int | None = None
    label: str | None = None
    comment_id: int | None = None
    changes: dict[str, str] = field(default_factory=dict)

    @property
    def starts_runs(self) -> bool:
        return self.via != "workflow"
