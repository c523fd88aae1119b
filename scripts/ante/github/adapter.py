"""The one door to GitHub: PyGithub configured for Actions, behind plain frozen values.

Over 300 lines on purpose: every GitHub call, with its retry, rate-limit and 301/410 rules,
stays behind this one door, so no other module imports PyGithub.

Only the CLI builds a `GitHubAdapter` (with `connect`); domain code sees the values of
`github/types.py` and `GitHubError`, never PyGithub. Requests go through PyGithub's requester
with explicit JSON, so each method costs a known number of calls: PyGithub's objects fetch
lazily (an attribute a list item lacks costs a hidden GET) and its label helpers send bodies
GitHub's published description does not allow. POST and PATCH are never repeated by the HTTP
layer, since a 502 or a timeout can come after GitHub did the work; methods that matter re-read
and repeat what's missing.

Rate limits are handled here, not by PyGithub's retry (which waits 0, 1 and 2 seconds or a fixed
minute): GitHub's documented rule is to wait `retry-after` seconds when given, until
`x-ratelimit-reset` when `x-ratelimit-remaining` is 0, otherwise at least a minute, doubling on
each further refusal; a wait longer than the run's patience fails the run with a clear message.
A refusal that is not a rate limit (401, 403, a private repository's 404) is a `CredentialError`
naming the credential, the repository and the permission it lacks. A transferred issue (301) is
followed and reported at its new address (`Issue.moved_from` keeps the old one); a deleted one
(410) is `IssueGone`.

A renamed or transferred repository answers its former name with 301 to GET and 307 to other
methods. PyGithub follows the 301 but drops the query (a listing's `state`, `since`, `labels`,
`page` are lost: the wrong issues, or the first page for ever) and does not follow the 307. So
before its first request with a query or a body to a repository, a run asks GitHub for the
repository's current name (one GET; never for the run's own repository, which Actions names as
it is now) and uses it from then on; issues read under a former name carry it in `moved_from`.

Size: one class with one method per GitHub call ante makes, their converters and the rate-limit
rules: the one door stays one file (the values it returns are in `types.py`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests
from urllib3.util.retry import Retry

from ante import clock
from ante.github.requester import GithubException, Requester, token_auth
from ante.github.types import (
    DEFAULT_IDENTITY,
    Comment,
    CredentialError,
    GitHubError,
    Issue,
    IssueGone,
    Pull,
    RateLimited,
    Reaction,
    SearchResult,
    Timeline,
    TimelineEvent,
    User,
    is_own,
    marker_tag,
    own_comment,
)

DEFAULT_API_URL = "https://api.github.com"
_REPO_PATH = re.compile(r"^/repos/([^/]+/[^/]+)(/.*)?$")
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


# The settings that hold ante's credential, as the README's setup names them.
APP_ID_VARIABLE, APP_KEY_SECRET, REPOS_VARIABLE = (
    "ANTE_APP_CLIENT_ID",
    "ANTE_APP_PRIVATE_KEY",
    "ANTE_REPOSITORIES",
)


@dataclass(frozen=True)
class Credential:
    """Which credential this run holds, to name it (and its fix) when GitHub refuses it."""

    app: bool  # a GitHub App installation token; else the job's GITHUB_TOKEN
    own_repository: str | None

    def name(self) -> str:
        if self.app:
            return f"the GitHub App token (variable {APP_ID_VARIABLE}, secret {APP_KEY_SECRET})"
        return "GITHUB_TOKEN"

    def fix(self, repo: str, permission: str) -> str:
        scope, _, level = permission.partition(": ")
        if self.app:
            return (
                f"install the App on {repo}, list {repo.partition('/')[2]} in the variable "
                f"{REPOS_VARIABLE}, grant the App the repository permission `{scope}: {level}` "
                f"and give the job `permission-{scope.lower().replace(' ', '-')}: {level}`"
            )
        if self.own_repository and repo.lower() != self.own_repository.lower():
            return (
                f"GITHUB_TOKEN reaches only {self.own_repository}; set up ante's GitHub App "
                f"(variable {APP_ID_VARIABLE}, secret {APP_KEY_SECRET}; README: Running on GitHub)"
            )
        return f"add `{scope.lower().replace(' ', '-')}: {level}` to the job's permissions:"


def permission_for(verb: str, path: str) -> tuple[str | None, str]:
    """The repository a request touches and the permission it needs (`Issues: write`)."""
    found = re.match(r"^/repos/([^/]+/[^/]+)(/.*)?$", path)
    repo = found.group(1) if found else None
    rest = (found.group(2) or "") if found else path
    level = "read" if verb in ("GET", "HEAD") else "write"
    if rest.startswith("/pulls"):
        scope = "Pull requests"
    elif rest.startswith(("/contents", "/git")):
        scope = "Contents"
    elif rest.startswith("/collaborators") or not rest:
        scope, level = "Metadata", "read"
    else:
        scope = "Issues"
    return repo, f"{scope}: {level}"


@dataclass
class Patience:
    """How ante waits out rate limits, as GitHub documents (sleep injectable for tests)."""

    attempts: int = 4  # tries of one request while GitHub keeps refusing with a rate limit
    minimum: float = 60.0  # no retry-after and no reset given: at least a minute, then doubling
    longest: float = 900.0  # a single wait beyond this fails the run (re-run it later)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    waited: list[float] = field(default_factory=list)

    def wait_for(self, headers: Mapping[str, Any], attempt: int) -> float:
        """Seconds to wait before try `attempt + 1` (attempt counts from 1)."""
        lower = {str(k).lower(): str(v) for k, v in headers.items()}
        after = lower.get("retry-after", "")
        if after.strip().isdigit():
            return float(after)
        if (
            lower.get("x-ratelimit-remaining") == "0"
            and lower.get("x-ratelimit-reset", "").isdigit()
        ):
            return max(1.0, float(lower["x-ratelimit-reset"]) - self.clock() + 1)
        return float(self.minimum * 2 ** (attempt - 1))


def is_rate_limit(status: int | None, headers: Mapping[str, Any], message: str) -> bool:
    if status == 429:
        return True
    if status != 403:
        return False
    lower = {str(k).lower(): str(v) for k, v in headers.items()}
    return (
        "retry-after" in lower
        or lower.get("x-ratelimit-remaining") == "0"
        or "rate limit" in message.lower()
    )


def connect(
    environ: Mapping[str, str],
    *,
    seconds_between_requests: float | None = 0.25,
    seconds_between_writes: float | None = 1.0,
    timeout: int = 15,
    max_wait: float = 900,
    retries: int = 3,
    sleep: Callable[[float], None] = time.sleep,
) -> GitHubAdapter | None:
    """The adapter for this run, or None without a token (callers say what they would do)."""
    token = environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        return None
    # PyGithub's own retry, set explicitly: server errors and lost connections of reads only
    # (a POST GitHub may have carried out is never repeated blindly); no rate-limit handling
    # there, since `_request` waits as GitHub documents.
    retry = Retry(
        total=retries,
        backoff_factor=0.5,
        allowed_methods=IDEMPOTENT_METHODS,
        status_forcelist=list(range(500, 600)),
        raise_on_status=False,  # hand the last answer to PyGithub, which raises GithubException
        respect_retry_after_header=False,
    )
    # What `Github(auth=Auth.Token(token), ...)` builds, and all of it the adapter uses.
    requester = Requester(
        auth=token_auth(token),
        base_url=(environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
        timeout=timeout,
        user_agent="ante",
        per_page=30,
        verify=True,
        retry=retry,
        pool_size=None,
        seconds_between_requests=seconds_between_requests,
        seconds_between_writes=seconds_between_writes,
    )
    own = environ.get("GITHUB_REPOSITORY") or None
    credential = Credential(app=bool(environ.get(APP_ID_VARIABLE, "").strip()), own_repository=own)
    patience = Patience(longest=max_wait, sleep=sleep)
    return GitHubAdapter(
        requester,
        repository=own,
        credential=credential,
        patience=patience,
        identity=environ.get("ANTE_IDENTITY", "").strip() or DEFAULT_IDENTITY,
    )


class GitHubAdapter:
    """The calls ante makes, each returning plain values."""

    def __init__(
        self,
        requester: Requester,
        *,
        repository: str | None = None,
        credential: Credential | None = None,
        patience: Patience | None = None,
        identity: str = DEFAULT_IDENTITY,
    ) -> None:
        self._requester = requester
        self.repository = repository
        self.identity = identity
        self.credential = credential or Credential(app=False, own_repository=repository)
        self.patience = patience or Patience()
        self._permissions: dict[tuple[str, str], str] = {}
        self._users: dict[str, User] = {}
        # A repository's name as ante asked for it (lower case) -> its name now, as GitHub said.
        self._names: dict[str, str] = {repository.lower(): repository} if repository else {}

    def is_mine(self, author: str | None) -> bool:
        """Whether `author` is ante itself (GitHub logins ignore case)."""
        return is_own(author, self.identity)

    def own_comment(self, comments: Iterable[Comment], marker: str) -> Comment | None:
        """ante's `marker` comment: written by ante's identity, not merely starting so."""
        return own_comment(comments, marker, self.identity)

    @property
    def api_url(self) -> str:
        return self._requester.base_url

    # -- reads ----------------------------------------------------------------------------------

    def issue(self, repo: str, number: int) -> Issue:
        """The issue as GitHub has it now: followed to its new home if it was transferred (its
        `moved_from` is then the address asked for); IssueGone if it was deleted."""
        data = self._call("GET", f"/repos/{repo}/issues/{number}")
        found = _issue(_repo_of(data, repo), data)
        if (found.repo.lower(), found.number) != (repo.lower(), number):
            server = found.url.split(f"/{found.repo}/")[0]
            return _moved(found, f"{server}/{repo}/issues/{number}")
        return found

    def list_issues(
        self,
        repo: str,
        *,
        since: datetime | None = None,
        state: str = "all",
        labels: Sequence[str] = (),
        sort: str = "updated",
        direction: str = "asc",
        limit: int | None = None,
    ) -> tuple[Issue, ...]:
        """Issues (not pull requests) as GitHub has them now, read through the issues API: no
        search index, so nothing lags. `labels` must all be present (GitHub's rule); `since`
        keeps those updated at or after it. One request per 100 issues and pull requests."""
        params: dict[str, Any] = {"state": state, "sort": sort, "direction": direction}
        if since is not None:
            params["since"] = clock.utc_text(since)
        if labels:
            params["labels"] = ",".join(labels)
        found: list[Issue] = []
        for data in self._pages(f"/repos/{repo}/issues", params):
            if "pull_request" in data:
                continue
            found.append(_renamed(_issue(_repo_of(data, repo), data), repo))
            if limit is not None and len(found) >= limit:
                break
        return tuple(found)

    def timeline(self, repo: str, number: int) -> Timeline:
        path = f"/repos/{repo}/issues/{number}/timeline"
        return Timeline(tuple(_event(data) for data in self._pages(path, {})))

    def comments(self, repo: str, number: int) -> tuple[Comment, ...]:
        path = f"/repos/{repo}/issues/{number}/comments"
        return tuple(_comment(data) for data in self._pages(path, {}))

    def reactions(self, repo: str, number: int) -> tuple[Reaction, ...]:
        """The reactions on the issue itself (not on its comments)."""
        path = f"/repos/{repo}/issues/{number}/reactions"
        return tuple(
            Reaction(
                _login(data.get("user")) or "ghost",
                str(data["content"]),
                datetime.fromisoformat(data["created_at"]),
                (data.get("user") or {}).get("type") == "Bot",
            )
            for data in self._pages(path, {})
        )

    def permission(self, repo: str, login: str) -> str:
        """The user's role: admin, maintain, write, triage, read or none (cached for the run)."""
        key = (repo.lower(), login.lower())
        if key not in self._permissions:
            path = f"/repos/{repo}/collaborators/{quote(login)}/permission"
            data = self._call("GET", path)
            self._permissions[key] = str(data.get("role_name") or data["permission"])
        return self._permissions[key]

    def team_member(self, team: str, login: str) -> bool:
        """Whether `login` is an active member of `org/team` (False where ante may not see)."""
        org, _, slug = team.partition("/")
        path = f"/orgs/{quote(org)}/teams/{quote(slug)}/memberships/{quote(login)}"
        try:
            return str(self._call("GET", path).get("state")) == "active"
        except GitHubError as error:
            if error.status in (403, 404):
                return False
            raise

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
            items += [_issue(_repo_of(item, ""), item) for item in data["items"]]
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
        """Open an issue. A body carrying a hidden `<!-- ante:... -->` key is opened once: when
        the POST fails after GitHub may have carried it out, ante looks for it before trying
        again (listing by its first label, newest first)."""
        data = {"title": title, "body": body, "labels": list(labels), "assignees": list(assignees)}
        key = re.search(r"<!-- ante:[^>]*-->", body)
        try:
            return _issue_in(repo, self._call("POST", f"/repos/{repo}/issues", body=data))
        except GitHubError as error:
            if key is None or (error.status is not None and error.status < 500):
                raise
        landed = self.find_keyed_issue(repo, key.group(0), labels=labels[:1])
        if landed is not None:
            return landed
        return _issue_in(repo, self._call("POST", f"/repos/{repo}/issues", body=data))

    def find_keyed_issue(
        self, repo: str, key: str, *, labels: Sequence[str] = (), state: str = "all"
    ) -> Issue | None:
        """ante's own issue carrying the hidden `key` in its body (stable, never searched)."""
        mine = self.list_issues(repo, labels=labels, state=state, sort="created", direction="desc")
        return next((i for i in mine if self.is_mine(i.author) and key in i.body), None)

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
        data = self._call("PATCH", f"/repos/{repo}/issues/{number}", body=changes)
        return _issue_in(repo, data)

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
        existing = self.own_comment(
            known if known is not None else self.comments(repo, number), marker
        )
        if existing is None:
            try:
                return _comment(self._post_comment(repo, number, text))
            except GitHubError as error:
                if error.status is not None and error.status < 500:
                    raise
            # The POST may have landed before the failure: look before posting again.
            existing = self.own_comment(self.comments(repo, number), marker)
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
        """One HTTP request, rate limits waited out; every failure becomes a GitHubError."""
        path = self._current(path, bool(params) or body is not None or verb != "GET")
        patience = self.patience
        for attempt in range(1, patience.attempts + 1):
            try:
                return self._once(verb, path, params, body)
            except _Refused as refused:
                if not is_rate_limit(refused.status, refused.headers, refused.message):
                    raise self._refusal(verb, path, refused) from None
                wait = patience.wait_for(refused.headers, attempt)
                if attempt == patience.attempts or wait > patience.longest:
                    raise RateLimited(
                        f"{verb} {path}: rate limited by GitHub ({refused.status} "
                        f"{refused.message}); it asks for {wait:.0f} s more after {attempt} "
                        "tries. Nothing was lost: re-run this workflow later.",
                        refused.status,
                    ) from None
                patience.waited.append(wait)
                patience.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, verb: str, path: str, params: Any, body: Any) -> tuple[dict[str, Any], Any]:
        try:
            return self._requester.requestJsonAndCheck(verb, path, parameters=params, input=body)
        except GithubException as error:
            data = error.data if isinstance(error.data, dict) else {}
            message = error.message or data.get("message") or "request failed"
            raise _Refused(error.status, dict(error.headers or {}), str(message)) from None
        except requests.RequestException as error:
            raise GitHubError(f"{verb} {path}: {type(error).__name__}: {error}") from error

    def _refusal(self, verb: str, path: str, refused: _Refused) -> GitHubError:
        """The error for a refusal: the credential's when it lacks access, else plain."""
        status, message = refused.status, refused.message
        plain = f"{verb} {path}: {status} {message}"
        if status == 410:
            return IssueGone(plain, status)
        repo, permission = permission_for(verb, path)
        lacking = status == 401 or (status == 403 and "not accessible" in message.lower())
        if status == 404 and repo is not None and not path.endswith(f"/repos/{repo}"):
            lacking = not self._sees(repo)
        if not lacking:
            return GitHubError(plain, status)
        if status == 401:
            return CredentialError(
                f"{self.credential.name()} was refused by GitHub (401 {message}): it is missing, "
                "expired or revoked; check the secret.",
                status,
            )
        where = repo or "GitHub"
        seen = "cannot see" if status == 404 else "lacks"
        return CredentialError(
            f"{self.credential.name()} {seen} `{permission}` on {where} ({verb} {path}: "
            f"{status} {message}). Fix: {self.credential.fix(where, permission)}.",
            status,
        )

    def _current(self, path: str, redirect_unsafe: bool) -> str:
        """`path` under its repository's current name, asked of GitHub once per run before the
        first request PyGithub could not carry through a redirect (one with a query or a body).
        """
        named = _REPO_PATH.match(path)
        if named is None:
            return path
        repo, rest = named.group(1), named.group(2) or ""
        if repo.lower() not in self._names and redirect_unsafe:
            self._names[repo.lower()] = repo  # while asking: the GET below is redirect-safe
            try:
                now = str(self._call("GET", f"/repos/{repo}")["full_name"])
            except GitHubError:
                now = repo  # the request itself will say what is wrong
            self._names[repo.lower()] = now
        return f"/repos/{self._names.get(repo.lower(), repo)}{rest}"

    def name_now(self, repo: str) -> str:
        """The repository's current name, as far as this run has asked GitHub (else `repo`)."""
        return self._names.get(repo.lower(), repo)

    def _sees(self, repo: str) -> bool:
        try:
            self._once("GET", f"/repos/{repo}", None, None)
        except _Refused:
            return False
        return True

    def _pages(self, path: str, params: Mapping[str, Any]) -> Iterator[Any]:
        """Every item of a paginated list, 100 per request."""
        for page in range(1, 10_000):
            headers, data = self._request("GET", path, {**params, "per_page": 100, "page": page})
            yield from data
            if 'rel="next"' not in str(headers.get("link", "")):
                return


class _Refused(Exception):
    """GitHub answered with an error status (internal: becomes a GitHubError)."""

    def __init__(self, status: int, headers: dict[str, Any], message: str) -> None:
        super().__init__(message)
        self.status, self.headers, self.message = status, headers, message


def _given(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _login(user: Mapping[str, Any] | None) -> str | None:
    return None if user is None else str(user["login"])


def _repo_of(item: Mapping[str, Any], default: str) -> str:
    """owner/name of the repository an issue lives in now (after a transfer or a rename)."""
    url = item.get("repository_url")
    return "/".join(str(url).split("/")[-2:]) if url else default


def _moved(issue: Issue, old_url: str) -> Issue:
    return replace(issue, moved_from=old_url)


def _renamed(issue: Issue, asked: str) -> Issue:
    """An issue listed under the repository's former name `asked`: that address is its old one."""
    if issue.repo.lower() == asked.lower():
        return issue
    return _moved(issue, issue.url.replace(f"/{issue.repo}/issues/", f"/{asked}/issues/"))


def _issue_in(asked: str, data: Mapping[str, Any]) -> Issue:
    """An issue written under the repository name `asked`: where it is now, and its old address."""
    return _renamed(_issue(_repo_of(data, asked), data), asked)


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
        id=data["id"] if type(data.get("id")) is int and data["id"] > 0 else None,
    )


def _comment(data: Mapping[str, Any]) -> Comment:
    return Comment(
        id=int(data["id"]),
        author=_login(data.get("user")) or "ghost",
        body=data.get("body") or "",
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
        url=str(data["html_url"]),
        association=data.get("author_association"),
        bot=(data.get("user") or {}).get("type") == "Bot",
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
    base_repo = (data.get("base") or {}).get("repo") or {}
    return Pull(
        repo=str(base_repo.get("full_name") or repo),
        number=int(data["number"]),
        title=str(data["title"]),
        body=data.get("body") or "",
        state=str(data["state"]),
        head=str(data["head"]["ref"]),
        base=str(data["base"]["ref"]),
        merged=bool(data.get("merged") or data.get("merged_at")),
        url=str(data["html_url"]),
    )
