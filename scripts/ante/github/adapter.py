"""The one door to GitHub: PyGithub configured for Actions, behind plain frozen values.

Only the CLI builds a `GitHubAdapter` (with `connect`); domain code sees the values of
`github/types.py` and `GitHubError`, never PyGithub. Requests go through PyGithub's requester
with explicit JSON, so each method costs a known number of calls: PyGithub's objects fetch
lazily (an attribute a list item lacks costs a hidden GET) and its label helpers send bodies
GitHub's published description does not allow. POST and PATCH are never repeated by the HTTP
layer, since a 502 or a timeout can come after GitHub did the work; methods that matter re-read
and repeat what's missing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException
from github.GithubRetry import GithubRetry
from urllib3.response import BaseHTTPResponse

from ante.github.types import (
    Comment,
    GitHubError,
    Issue,
    Pull,
    SearchResult,
    Timeline,
    TimelineEvent,
    User,
    marker_tag,
    own_comment,
)

DEFAULT_API_URL = "https://api.github.com"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class _WriteSafeRetry(GithubRetry):
    """Retry reads and rate-limit refusals; never repeat a write GitHub may have carried out."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code in (403, 429):
            # GitHub refused before acting, so even a POST may go again; GithubRetry then
            # retries only real rate limits and raises the rest.
            return True
        return super().is_retry(method, status_code, has_retry_after)

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        # Honour Retry-After, but never sit out more than the run's patience.
        seconds = super().get_retry_after(response)
        if seconds is None or self.max_rate_limit_wait is None:
            return seconds
        return min(seconds, self.max_rate_limit_wait)


def connect(
    environ: Mapping[str, str],
    *,
    seconds_between_requests: float | None = 0.25,
    seconds_between_writes: float | None = 1.0,
    timeout: int = 15,
    max_wait: int = 60,
    retries: int = 3,
) -> GitHubAdapter | None:
    """The adapter for this run, or None without a token (callers say what they would do)."""
    token = environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        return None
    retry = _WriteSafeRetry(
        total=retries,
        backoff_factor=0.5,
        allowed_methods=IDEMPOTENT_METHODS,
        status_forcelist=[429, *range(500, 600)],
        raise_on_status=False,  # hand the last answer to PyGithub, which raises GithubException
        secondary_rate_wait=max_wait,
        max_rate_limit_wait=max_wait,
    )
    client = Github(
        auth=Auth.Token(token),
        base_url=(environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
        timeout=timeout,
        retry=retry,
        seconds_between_requests=seconds_between_requests,
        seconds_between_writes=seconds_between_writes,
        user_agent="ante",
    )
    return GitHubAdapter(client, repository=environ.get("GITHUB_REPOSITORY") or None)


class GitHubAdapter:
    """The calls ante makes, each returning plain values."""

    def __init__(self, client: Github, *, repository: str | None = None) -> None:
        self._client = client
        self.repository = repository
        self._permissions: dict[tuple[str, str], str] = {}
        self._users: dict[str, User] = {}

    @property
    def api_url(self) -> str:
        return self._client.requester.base_url

    # -- reads ----------------------------------------------------------------------------------

    def issue(self, repo: str, number: int) -> Issue:
        return _issue(repo, self._call("GET", f"/repos/{repo}/issues/{number}"))

    def timeline(self, repo: str, number: int) -> Timeline:
        path = f"/repos/{repo}/issues/{number}/timeline"
        return Timeline(tuple(_event(data) for data in self._pages(path, {})))

    def comments(self, repo: str, number: int) -> tuple[Comment, ...]:
        path = f"/repos/{repo}/issues/{number}/comments"
        return tuple(_comment(data) for data in self._pages(path, {}))

    def permission(self, repo: str, login: str) -> str:
        """The user's role: admin, maintain, write, triage, read or none (cached for the run)."""
        key = (repo.lower(), login.lower())
        if key not in self._permissions:
            path = f"/repos/{repo}/collaborators/{quote(login)}/permission"
            data = self._call("GET", path)
            self._permissions[key] = str(data.get("role_name") or data["permission"])
        return self._permissions[key]

    def user(self, login: str) -> User:
        if login.lower() not in self._users:
            data = self._call("GET", f"/users/{quote(login)}")
            self._users[login.lower()] = User(
                data["login"], data.get("name"), data["type"], data["avatar_url"], data["html_url"]
            )
        return self._users[login.lower()]

    def search_issues(
        self,
        query: str,
        *,
        per_page: int = 100,
        limit: int = 1000,
        sort: str = "updated",
        order: str = "asc",
    ) -> SearchResult:
        """Matches up to `limit` (GitHub stops at 1,000), one request per page of `per_page`."""
        params = {"q": query, "sort": sort, "order": order}
        total, incomplete, items = 0, False, []
        for page in range(1, 1001):
            data = self._call(
                "GET", "/search/issues", params | {"per_page": per_page, "page": page}
            )
            total, incomplete = int(data["total_count"]), incomplete or data["incomplete_results"]
            items += [_issue(_repo_of(item), item) for item in data["items"]]
            if len(data["items"]) < per_page or len(items) >= min(total, limit, 1000):
                break
        return SearchResult(total, tuple(items[:limit]), incomplete)

    def find_open_pull(self, repo: str, head: str) -> Pull | None:
        """The open pull request from branch `head` (or `owner:branch`), if there is one."""
        owner_head = head if ":" in head else f"{repo.partition('/')[0]}:{head}"
        params = {"state": "open", "head": owner_head}
        found = self._call("GET", f"/repos/{repo}/pulls", params)
        return _pull(repo, found[0]) if found else None

    def count_issues(self, query: str) -> int:
        """How many issues and pull requests match: one request, no items read."""
        data = self._call("GET", "/search/issues", {"q": query, "per_page": 1})
        return int(data["total_count"])

    def find_pulls(self, repo: str, head: str, *, state: str = "all") -> tuple[Pull, ...]:
        """Pull requests from branch `head`, newest first (one request: the first 100)."""
        owner_head = head if ":" in head else f"{repo.partition('/')[0]}:{head}"
        params = {"state": state, "head": owner_head, "per_page": 100}
        found = self._call("GET", f"/repos/{repo}/pulls", params)
        return tuple(_pull(repo, data) for data in found)

    # -- writes ---------------------------------------------------------------------------------

    def create_issue(
        self,
        repo: str,
        title: str,
        body: str,
        *,
        labels: Sequence[str] = (),
        assignees: Sequence[str] = (),
    ) -> Issue:
        data = {"title": title, "body": body, "labels": list(labels), "assignees": list(assignees)}
        return _issue(repo, self._call("POST", f"/repos/{repo}/issues", body=data))

    def edit_issue(
        self,
        repo: str,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        labels: Sequence[str] | None = None,
        assignees: Sequence[str] | None = None,
        state: str | None = None,
        state_reason: str | None = None,
    ) -> Issue:
        changes = _given(
            title=title,
            body=body,
            labels=None if labels is None else list(labels),
            assignees=None if assignees is None else list(assignees),
            state=state,
            state_reason=state_reason,
        )
        return _issue(repo, self._call("PATCH", f"/repos/{repo}/issues/{number}", body=changes))

    def close_issue(self, repo: str, number: int, *, reason: str = "completed") -> Issue:
        return self.edit_issue(repo, number, state="closed", state_reason=reason)

    def add_labels(self, repo: str, number: int, labels: Sequence[str]) -> tuple[str, ...]:
        """Add labels (created on first use); returns the issue's labels afterwards."""
        path = f"/repos/{repo}/issues/{number}/labels"
        data = self._call("POST", path, body={"labels": list(labels)})
        return tuple(label["name"] for label in data)

    def remove_label(self, repo: str, number: int, label: str) -> None:
        """Remove a label; a label that is already gone is fine."""
        try:
            self._call("DELETE", f"/repos/{repo}/issues/{number}/labels/{quote(label, safe='')}")
        except GitHubError as error:
            if error.status != 404:
                raise

    def upsert_comment(
        self,
        repo: str,
        number: int,
        marker: str,
        body: str,
        *,
        known_timeline: Timeline | None = None,
    ) -> Comment:
        """Create or update ante's one `marker` comment; a failed POST never leaves two."""
        tag = marker_tag(marker)
        text = f"{tag}\n{body}"
        known = known_timeline.comments if known_timeline is not None else None
        existing = own_comment(known if known is not None else self.comments(repo, number), marker)
        if existing is None:
            try:
                return _comment(self._post_comment(repo, number, text))
            except GitHubError as error:
                if error.status is not None and error.status < 500:
                    raise
            # The POST may have landed before the failure: look before posting again.
            existing = own_comment(self.comments(repo, number), marker)
            if existing is None:
                return _comment(self._post_comment(repo, number, text))
        if existing.body == text:
            return existing
        path = f"/repos/{repo}/issues/comments/{existing.id}"
        return _comment(self._call("PATCH", path, body={"body": text}))

    def _post_comment(self, repo: str, number: int, text: str) -> Any:
        return self._call("POST", f"/repos/{repo}/issues/{number}/comments", body={"body": text})

    def create_pull(
        self, repo: str, *, title: str, head: str, base: str, body: str = "", draft: bool = False
    ) -> Pull:
        """Open a pull request, or return the open one GitHub already has for `head`."""
        data = {"title": title, "head": head, "base": base, "body": body, "draft": draft}
        try:
            return _pull(repo, self._call("POST", f"/repos/{repo}/pulls", body=data))
        except GitHubError as error:
            # 422: one exists already; 5xx/timeout: ours may have been created anyway.
            if error.status is not None and error.status not in (422, *range(500, 600)):
                raise
            existing = self.find_open_pull(repo, head)
            if existing is None:
                raise
            return existing

    def edit_pull(
        self,
        repo: str,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
    ) -> Pull:
        changes = _given(title=title, body=body, state=state)
        return _pull(repo, self._call("PATCH", f"/repos/{repo}/pulls/{number}", body=changes))

    def request_reviewers(self, repo: str, number: int, reviewers: Sequence[str]) -> None:
        path = f"/repos/{repo}/pulls/{number}/requested_reviewers"
        self._call("POST", path, body={"reviewers": list(reviewers)})

    # -- plumbing -------------------------------------------------------------------------------

    def _call(self, verb: str, path: str, params: Any = None, *, body: Any = None) -> Any:
        return self._request(verb, path, params, body)[1]

    def _request(
        self, verb: str, path: str, params: Any = None, body: Any = None
    ) -> tuple[dict[str, Any], Any]:
        """One HTTP request; every failure becomes a GitHubError."""
        requester = self._client.requester
        try:
            return requester.requestJsonAndCheck(verb, path, parameters=params, input=body)
        except GithubException as error:
            message = error.message or (error.data or {}).get("message") or "request failed"
            raise GitHubError(f"{verb} {path}: {error.status} {message}", error.status) from error
        except requests.RequestException as error:
            raise GitHubError(f"{verb} {path}: {type(error).__name__}: {error}") from error

    def _pages(self, path: str, params: Mapping[str, Any]) -> Iterator[Any]:
        """Every item of a paginated list, 100 per request."""
        for page in range(1, 10_000):
            headers, data = self._request("GET", path, {**params, "per_page": 100, "page": page})
            yield from data
            if 'rel="next"' not in str(headers.get("link", "")):
                return


def _given(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _login(user: Mapping[str, Any] | None) -> str | None:
    return None if user is None else str(user["login"])


def _repo_of(item: Mapping[str, Any]) -> str:
    return "/".join(str(item["repository_url"]).split("/")[-2:])


def _issue(repo: str, data: Mapping[str, Any]) -> Issue:
    return Issue(
        repo=repo,
        number=int(data["number"]),
        title=str(data["title"]),
        body=data.get("body") or "",
        state=str(data["state"]),
        state_reason=data.get("state_reason"),
        labels=tuple(label["name"] for label in data["labels"]),
        author=_login(data["user"]) or "ghost",
        assignees=tuple(str(a["login"]) for a in data.get("assignees") or ()),
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
        closed_at=_time(data.get("closed_at")),
        closed_by=_login(data.get("closed_by")),
        is_pull="pull_request" in data,
        url=str(data["html_url"]),
        comments=int(data.get("comments") or 0),
    )


def _comment(data: Mapping[str, Any]) -> Comment:
    return Comment(
        id=int(data["id"]),
        author=_login(data.get("user")) or "ghost",
        body=data.get("body") or "",
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
        url=str(data["html_url"]),
    )


def _event(data: Mapping[str, Any]) -> TimelineEvent:
    kind = str(data.get("event", ""))
    label = data.get("label") or {}
    return TimelineEvent(
        kind=kind,
        actor=_login(data.get("actor") or data.get("user")),
        created_at=_time(data.get("created_at")),
        label=label.get("name"),
        comment=_comment(data) if kind == "commented" else None,
    )


def _pull(repo: str, data: Mapping[str, Any]) -> Pull:
    return Pull(
        repo=repo,
        number=int(data["number"]),
        title=str(data["title"]),
        body=data.get("body") or "",
        state=str(data["state"]),
        head=str(data["head"]["ref"]),
        base=str(data["base"]["ref"]),
        merged=bool(data.get("merged") or data.get("merged_at")),
        url=str(data["html_url"]),
    )
