"""What ante knows of GitHub, as plain frozen values: issues, comments, timelines, pulls, users.

Everything above the GitHub layer speaks in these and `GitHubError`; importing them costs
nothing (no PyGithub). `adapter.py` fills them in from GitHub's answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ante.errors import AnteError


class GitHubError(AnteError):
    """GitHub refused or could not be reached; `status` is None for timeouts."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class CredentialError(GitHubError):
    """The token is missing, refused, or lacks a permission on a repository: fix the setup."""


class IssueGone(GitHubError):
    """The issue was deleted (410 Gone)."""


class RateLimited(GitHubError):
    """GitHub asked for a longer wait than the run is willing to sit out."""


@dataclass(frozen=True)
class Issue:
    repo: str
    number: int
    title: str
    body: str
    state: str  # "open" or "closed"
    state_reason: str | None  # completed, not_planned, duplicate, reopened
    labels: tuple[str, ...]
    author: str
    assignees: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    closed_by: str | None  # only from issue(); search and lists do not carry it
    is_pull: bool
    url: str
    comments: int = 0  # how many comments it has (search and lists carry it)
    moved_from: str | None = None  # the address asked for, when GitHub answered 301 (transfer)
    id: int | None = None  # GitHub's issue id: kept across repository renames, new on a transfer


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    body: str
    created_at: datetime
    updated_at: datetime
    url: str
    association: str | None = None  # OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE…
    bot: bool = False


@dataclass(frozen=True)
class Reaction:
    login: str
    content: str  # +1, -1, laugh, confused, heart, hooray, rocket, eyes
    created_at: datetime
    bot: bool = False


@dataclass(frozen=True)
class TimelineEvent:
    kind: str  # labeled, unlabeled, commented, closed, reopened, ...
    actor: str | None
    created_at: datetime | None
    label: str | None = None
    comment: Comment | None = None


@dataclass(frozen=True)
class Timeline:
    events: tuple[TimelineEvent, ...]

    @property
    def comments(self) -> tuple[Comment, ...]:
        return tuple(e.comment for e in self.events if e.comment is not None)

    def labeled_by(self, label: str) -> str | None:
        """Who most recently applied `label` (case-insensitive), if anyone did."""
        actors = [
            e.actor
            for e in self.events
            if e.kind == "labeled" and (e.label or "").lower() == label.lower()
        ]
        return actors[-1] if actors else None


@dataclass(frozen=True)
class SearchResult:
    total_count: int
    items: tuple[Issue, ...]
    incomplete: bool


@dataclass(frozen=True)
class Pull:
    repo: str
    number: int
    title: str
    body: str
    state: str
    head: str
    base: str
    merged: bool
    url: str


@dataclass(frozen=True)
class User:
    login: str
    name: str | None
    type: str
    avatar_url: str
    url: str


def marker_tag(marker: str) -> str:
    """The hidden line that identifies ante's one comment of a kind on an issue."""
    return f"<!-- ante:{marker} -->"


# Who ante is on GitHub: the Actions token's bot, or a GitHub App's `<slug>[bot]` set in
# ANTE_IDENTITY. Only what this identity wrote is ante's own: anyone can type the marker.
DEFAULT_IDENTITY = "github-actions[bot]"


def is_own(author: str | None, identity: str) -> bool:
    """Whether `author` is ante itself (GitHub logins ignore case)."""
    return bool(author) and str(author).lower() == identity.lower()


def own_comment(comments: Iterable[Comment], marker: str, identity: str) -> Comment | None:
    """ante's one comment of the kind `marker`: written by `identity`, starting with the tag.

    A comment that merely starts with the tag is someone else's (anyone can type it).
    """
    tag = marker_tag(marker)
    return next(
        (c for c in comments if is_own(c.author, identity) and c.body.startswith(tag)), None
    )
