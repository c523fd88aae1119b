"""The fake's state and every change to it, shared by seeding helpers and HTTP handlers.

Seeding helpers (`add_repo`, `add_issue` ...) change state directly, without HTTP, as people
would on github.com; they record the same timeline events, activity and search versions the
HTTP handlers do. The clock (`now`) is the test's: every write moves it one second on (a seeded
write dated later moves it to that date), and `advance()`/`clock_to()` move it further (search lag
and the search rate limit read it). A test whose story jumps ahead ("five days later, the
refresh runs") moves GitHub's clock with it, or search still sees the moment of the last write.

Over 300 lines because every change a test or a request can make lives here, once, so that
seeding and HTTP record the same timeline, activity and search versions.
"""

from __future__ import annotations

import itertools
import threading
from datetime import datetime, timedelta
from typing import Any

from .model import (
    ROLES,
    START,
    Activity,
    Comment,
    Event,
    Issue,
    Label,
    Pull,
    Reaction,
    Repo,
    User,
)
from .search import DEFAULT_LAG, Index


class State:
    """Repositories, users, issues, pull requests, comments and what happened to them."""

    def __init__(self, *, search_lag: timedelta = DEFAULT_LAG) -> None:
        self.now = START
        self.activity: list[Activity] = []
        self.search_index = Index(lag=search_lag)
        self.comments_by_id: dict[int, tuple[Repo, Comment]] = {}
        self._repos: dict[str, Repo] = {}
        self._moved_repos: dict[str, Repo] = {}  # former names (lower case) that redirect
        self._users: dict[str, User] = {}
        self._ids = itertools.count(1001)
        self._lock = threading.RLock()
        # Who the writes being made now are by, and how: set per request by the server.
        self._via = "web"

    # -- seeding (no HTTP) ----------------------------------------------------------------------

    def add_user(self, login: str, *, type: str = "User", name: str | None = None) -> User:
        with self._lock:
            user = self.user(login)
            user.type, user.name = type, name
            return user

    def add_repo(
        self, full_name: str, *, default_branch: str = "main", private: bool = False
    ) -> Repo:
        owner, name = full_name.split("/")
        with self._lock:
            self.user(owner)
            repo = Repo(owner, name, next(self._ids), self.now, default_branch, private=private)
            self._repos[full_name.lower()] = repo
            self._moved_repos.pop(full_name.lower(), None)  # a new repository ends a redirect
            return repo

    def rename_repo(self, full_name: str, to: str) -> Repo:
        """Rename a repository, or transfer it to another owner (`to` is owner/name): its
        issues go with it, tokens granted it keep it, and its former name answers as GitHub's
        API does: 301 to GET and 307 to other methods, to `/repositories/{id}/...`."""
        owner, _ = to.split("/")
        with self._lock:
            repo = self._repo(full_name)
            former = repo.full_name
            self.user(owner)
            del self._repos[former.lower()]
            repo.owner, repo.name = to.split("/")
            repo.former_names.append(former)
            self._repos[to.lower()] = repo
            self._moved_repos[former.lower()] = repo
            self.search_index.rename_repo(former, repo)
            self._tick()
            return repo

    def moved_repo(self, full_name: str) -> Repo | None:
        """The repository formerly called `full_name`, while that name redirects to it."""
        if full_name.lower() in self._repos:
            return None
        return self._moved_repos.get(full_name.lower())

    def repo_by_id(self, repo_id: int) -> Repo | None:
        return next((r for r in self._repos.values() if r.id == repo_id), None)

    def add_label(
        self, full_name: str, name: str, *, color: str = "ededed", description: str | None = None
    ) -> Label:
        with self._lock:
            label = self._label(self._repo(full_name), name)
            label.color, label.description = color, description
            return label

    def set_permission(self, full_name: str, login: str, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        with self._lock:
            self.user(login)
            self._repo(full_name).permissions[login.lower()] = role

    def add_issue(
        self,
        full_name: str,
        *,
        title: str = "An issue",
        body: str | None = None,
        labels: tuple[str, ...] | list[str] = (),
        user: str = "octocat",
        assignees: tuple[str, ...] | list[str] = (),
        state: str = "open",
        state_reason: str | None = None,
        closed_by: str | None = None,
        label_actor: str | None = None,
        created_at: datetime | None = None,
        closed_at: datetime | None = None,
    ) -> int:
        """Create an issue as if people had; returns its number."""
        with self._lock:
            repo = self._repo(full_name)
            issue = self._create(
                repo, title=title, body=body, user=user, assignees=list(assignees), at=created_at
            )
            self._add_labels(repo, issue, labels, label_actor or user, created_at)
            if state == "closed":
                self._set_state(
                    repo,
                    issue,
                    "closed",
                    state_reason or "completed",
                    closed_by or user,
                    at=closed_at,
                )
            return issue.number

    def add_pull(
        self,
        full_name: str,
        *,
        head: str,
        base: str | None = None,
        title: str = "A change",
        body: str | None = None,
        user: str = "octocat",
        labels: tuple[str, ...] | list[str] = (),
        draft: bool = False,
    ) -> int:
        with self._lock:
            repo = self._repo(full_name)
            owner, _, branch = head.rpartition(":")
            pull = Pull(branch, owner or repo.owner, base or repo.default_branch, draft)
            issue = self._create(repo, title=title, body=body, user=user, pull=pull)
            self._add_labels(repo, issue, labels, user)
            return issue.number

    def merge_pull(self, full_name: str, number: int, *, by: str = "octocat") -> None:
        with self._lock:
            repo = self._repo(full_name)
            issue = self._issue(repo, number)
            if issue.pull is None:
                raise ValueError(f"#{number} is not a pull request")
            at = self._tick()
            issue.pull.merged_at, issue.pull.merged_by = at, by
            self._set_state(repo, issue, "closed", None, by, at=at)
            issue.events.append(Event(next(self._ids), "merged", by, at))

    def close_issue(
        self,
        full_name: str,
        number: int,
        *,
        by: str = "octocat",
        reason: str = "completed",
        at: datetime | None = None,
    ) -> None:
        with self._lock:
            repo = self._repo(full_name)
            self._set_state(repo, self._issue(repo, number), "closed", reason, by, at=at)

    def reopen_issue(self, full_name: str, number: int, *, by: str = "octocat") -> None:
        with self._lock:
            repo = self._repo(full_name)
            self._set_state(repo, self._issue(repo, number), "open", "reopened", by)

    def label_issue(self, full_name: str, number: int, *labels: str, by: str = "octocat") -> None:
        with self._lock:
            repo = self._repo(full_name)
            self._add_labels(repo, self._issue(repo, number), labels, by)

    def unlabel_issue(
        self, full_name: str, number: int, label: str, *, by: str = "octocat"
    ) -> None:
        with self._lock:
            repo = self._repo(full_name)
            self._remove_label(repo, self._issue(repo, number), label, by)

    def add_comment(self, full_name: str, number: int, body: str, *, user: str = "octocat") -> int:
        with self._lock:
            repo = self._repo(full_name)
            return self._comment(repo, self._issue(repo, number), body, user).id

    def add_reaction(self, full_name: str, number: int, content: str, *, user: str) -> int:
        """A reaction on the issue itself (as people acknowledge a page with 👀 or 👍)."""
        with self._lock:
            self.user(user)
            issue = self._issue(self._repo(full_name), number)
            reaction = Reaction(next(self._ids), content, user, self._tick())
            issue.reactions.append(reaction)
            return reaction.id

    def transfer_issue(self, full_name: str, number: int, to: str, *, by: str = "octocat") -> int:
        """Move an issue to another repository, as GitHub's docs say: it gets a new number and
        a new id (and node id); its comments, timeline, assignees and creation time are kept,
        and its labels only where the target has a label of that name. The old address answers
        301."""
        with self._lock:
            source, target = self._repo(full_name), self._repo(to)
            old = self._issue(source, number)
            new = self._create(
                target, title=old.title, body=old.body, user=old.user, assignees=old.assignees
            )
            new.created_at = old.created_at
            new.state, new.state_reason = old.state, old.state_reason
            new.closed_at, new.closed_by = old.closed_at, old.closed_by
            for comment_id in old.comments:
                _, comment = self.comments_by_id[comment_id]
                comment.issue = new.number
                self.comments_by_id[comment_id] = (target, comment)
            new.comments, old.comments = old.comments, []
            new.events = [*old.events, *new.events]  # the timeline is kept too
            there = {name.lower() for name in target.labels}
            kept = [name for name in old.labels if name.lower() in there]
            self._add_labels(target, new, kept, by)
            old.moved_to = (target.full_name, new.number)
            self._happened(source, old, self.now, "transferred", by)
            return new.number

    def delete_issue(self, full_name: str, number: int, *, by: str = "octocat") -> None:
        """Delete an issue (an admin can); its address answers 410 Gone from now on."""
        with self._lock:
            repo = self._repo(full_name)
            issue = self._issue(repo, number)
            issue.deleted = True
            self._happened(repo, issue, self._tick(), "deleted", by)

    def rename_label(self, full_name: str, old: str, new: str, *, by: str = "octocat") -> Label:
        """Rename a label: every issue keeps it, under its new name."""
        with self._lock:
            repo = self._repo(full_name)
            label = self._label(repo, old)
            previous = label.name
            del repo.labels[previous]
            label.name = new
            repo.labels[new] = label
            for issue in repo.issues.values():
                issue.labels = [new if n == previous else n for n in issue.labels]
                for event in issue.events:
                    if event.label == previous:
                        event.label = new
            self.search_index.rename_label(previous, new)
            at = self._tick()
            self.activity.append(
                Activity(
                    len(self.activity) + 1,
                    at,
                    "label",
                    "edited",
                    repo.full_name,
                    by,
                    self._via,
                    label=new,
                    changes={"name": previous},
                )
            )
            return label

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        """Move GitHub's clock on (`advance(60)`, `advance(minutes=5)`); returns the new now."""
        with self._lock:
            self.now += timedelta(seconds=seconds, **delta)
            return self.now

    def clock_to(self, when: datetime) -> datetime:
        """Set GitHub's clock: what happens next happens at `when`."""
        with self._lock:
            self.now = when
            return when

    def activity_since(self, seq: int = 0) -> list[Activity]:
        """What happened after activity number `seq` (0: everything), oldest first."""
        with self._lock:
            return self.activity[seq:]

    # -- accessors for assertions ---------------------------------------------------------------

    def repo(self, full_name: str) -> Repo:
        return self._repo(full_name)

    def issue(self, full_name: str, number: int) -> Issue:
        return self._issue(self._repo(full_name), number)

    def comments(self, full_name: str, number: int) -> list[Comment]:
        with self._lock:
            issue = self.issue(full_name, number)
            return [self.comments_by_id[c][1] for c in issue.comments]

    def pulls(self, full_name: str) -> list[Issue]:
        with self._lock:
            return [i for i in self._repo(full_name).issues.values() if i.pull is not None]

    def issues(self, full_name: str) -> list[Issue]:
        with self._lock:
            return list(self._repo(full_name).issues.values())

    # -- state changes shared by seeding and HTTP -----------------------------------------------

    def _tick(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def user(self, login: str) -> User:
        key = login.lower()
        if key not in self._users:
            kind = "Bot" if login.endswith("[bot]") else "User"
            self._users[key] = User(login, next(self._ids), kind)
        return self._users[key]

    def _repo(self, full_name: str) -> Repo:
        try:
            return self._repos[full_name.lower()]
        except KeyError:
            raise KeyError(f"no repository {full_name}; seed it with add_repo()") from None

    def _issue(self, repo: Repo, number: int) -> Issue:
        try:
            return repo.issues[number]
        except KeyError:
            raise KeyError(f"no issue {repo.full_name}#{number}") from None

    def _label(self, repo: Repo, name: str) -> Label:
        existing = {n.lower(): n for n in repo.labels}
        if name.lower() not in existing:  # GitHub creates a label the first time it is used
            repo.labels[name] = Label(next(self._ids), name)
            return repo.labels[name]
        return repo.labels[existing[name.lower()]]

    def _create(
        self,
        repo: Repo,
        *,
        title: str,
        body: str | None,
        user: str,
        assignees: list[str] | None = None,
        at: datetime | None = None,
        pull: Pull | None = None,
    ) -> Issue:
        at = at or self._tick()
        for login in [user, *(assignees or [])]:
            self.user(login)
        number = max(repo.issues, default=0) + 1
        issue = Issue(number, next(self._ids), title, body, user, at, at, pull=pull)
        issue.assignees = list(assignees or [])
        repo.issues[number] = issue
        self._happened(repo, issue, at, "opened", user)
        return issue

    def _touch(self, issue: Issue, at: datetime | None = None) -> datetime:
        at = at or self._tick()
        issue.updated_at = max(issue.updated_at, at)
        return at

    def _add_labels(
        self, repo: Repo, issue: Issue, names: Any, actor: str, at: datetime | None = None
    ) -> None:
        self.user(actor)
        for name in names:
            label = self._label(repo, name)
            if label.name not in issue.labels:
                issue.labels.append(label.name)
                when = self._touch(issue, at)
                issue.events.append(Event(next(self._ids), "labeled", actor, when, label.name))
                self._happened(repo, issue, when, "labeled", actor, label=label.name)

    def _remove_label(self, repo: Repo, issue: Issue, name: str, actor: str) -> bool:
        label = self._label(repo, name)
        if label.name not in issue.labels:
            return False
        issue.labels.remove(label.name)
        when = self._touch(issue)
        issue.events.append(Event(next(self._ids), "unlabeled", actor, when, label.name))
        self._happened(repo, issue, when, "unlabeled", actor, label=label.name)
        return True

    def _set_labels(self, repo: Repo, issue: Issue, names: list[str], actor: str) -> None:
        wanted = [self._label(repo, n).name for n in names]
        for name in [n for n in issue.labels if n not in wanted]:
            self._remove_label(repo, issue, name, actor)
        self._add_labels(repo, issue, wanted, actor)

    def _set_state(
        self,
        repo: Repo,
        issue: Issue,
        state: str,
        reason: str | None,
        actor: str,
        *,
        at: datetime | None = None,
    ) -> None:
        if state == issue.state:
            return
        self.user(actor)
        at = self._touch(issue, at)
        issue.state = state
        if state == "closed":
            issue.state_reason = reason if issue.pull is None else None
            issue.closed_at, issue.closed_by = at, actor
        else:
            issue.state_reason = "reopened" if issue.pull is None else None
            issue.closed_at, issue.closed_by = None, None
        event = "closed" if state == "closed" else "reopened"
        issue.events.append(Event(next(self._ids), event, actor, at, state_reason=reason))
        self._happened(repo, issue, at, event, actor)

    def _comment(self, repo: Repo, issue: Issue, body: str, user: str) -> Comment:
        self.user(user)
        at = self._touch(issue)
        comment = Comment(next(self._ids), issue.number, body, user, at, at)
        self.comments_by_id[comment.id] = (repo, comment)
        issue.comments.append(comment.id)
        issue.events.append(Event(comment.id, "commented", user, at, comment_id=comment.id))
        self._happened(repo, issue, at, "created", user, comment_id=comment.id)
        return comment

    def _edit_comment(self, repo: Repo, comment: Comment, body: str, actor: str) -> None:
        comment.body = body
        comment.updated_at = self._tick()
        self.activity.append(
            Activity(
                len(self.activity) + 1,
                comment.updated_at,
                "issue_comment",
                "edited",
                repo.full_name,
                actor,
                self._via,
                comment.issue,
                comment_id=comment.id,
            )
        )

    def _happened(
        self, repo: Repo, issue: Issue, at: datetime, action: str, actor: str, **details: Any
    ) -> None:
        """Record a write: a new version for search, an entry in the activity log.

        A write seeded with a date later than GitHub's clock moves the clock there: GitHub's
        clock is never behind what happened on it, so what a test does next comes after."""
        self.now = max(self.now, at)
        if issue.deleted or issue.moved_to is not None:
            self.search_index.forget(repo, issue)
        else:  # searchable `lag` after the write
            self.search_index.record(repo, issue, at)
        if "comment_id" in details:
            event = "issue_comment"
        else:
            event = "issues" if issue.pull is None else "pull_request"
        self.activity.append(
            Activity(
                len(self.activity) + 1,
                at,
                event,
                action,
                repo.full_name,
                actor,
                self._via,
                issue.number,
                **details,
            )
        )
