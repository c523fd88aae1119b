"""A stateful fake of GitHub's REST API that PyGithub talks to over real HTTP.

Every request and every response is checked against GitHub's official OpenAPI description
(``tests/node_modules/@octokit/openapi``); anything off-contract lands in ``fake.violations`` and
the ``github_fake`` fixture fails the test. The fake counts calls (``fake.calls``), keeps issues,
pull requests, comments, labels and timelines in memory, and can inject faults (5xx, secondary
rate limits, slow responses) before or after a write takes effect.

Seeding helpers (``add_repo``, ``add_issue`` ...) change state directly, without HTTP, and record
the same timeline events the HTTP handlers do. Use one fake for all tests; extend it here.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import math
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import PathNotFound
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

SPEC_PATH = Path(__file__).parent / "node_modules/@octokit/openapi/generated/api.github.com.json"
API = "https://api.github.com"
WEB = "https://github.com"
DOCS = "https://docs.github.com/rest"
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
ROLES = ("none", "read", "triage", "write", "maintain", "admin")
# The legacy `permission` field folds the fine-grained roles into four.
LEGACY_PERMISSION = {"triage": "read", "maintain": "write"}
SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)

Json = dict[str, Any]
Reply = tuple[int, Any, dict[str, str]]


# ---------------------------------------------------------------------------------------------
# The contract: GitHub's OpenAPI description, loaded once per test session.


@dataclass(frozen=True)
class Spec:
    document: Json
    openapi: OpenAPI
    load_seconds: float


@cache
def spec() -> Spec:
    """Load and prepare the 13 MB description once per process."""
    started = time.perf_counter()
    document = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    _allow_null_in_nullable_enums(document)
    prepared = dict(document, servers=[{"url": "/"}])
    openapi = OpenAPI.from_dict(prepared, config=Config(spec_validator_cls=None))
    return Spec(document, openapi, time.perf_counter() - started)


def _allow_null_in_nullable_enums(node: Any) -> None:
    """The one deliberate patch to the description.

    About 70 schemas say `nullable: true` but leave null out of their `enum` (an open issue's
    `state_reason` among them). OpenAPI 3.0.3 requires null to be listed, so a strict validator
    rejects what GitHub really sends; we list it.
    """
    if isinstance(node, dict):
        if node.get("nullable") is True and "enum" in node and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
        for value in node.values():
            _allow_null_in_nullable_enums(value)
    elif isinstance(node, list):
        for value in node:
            _allow_null_in_nullable_enums(value)


# One validator serves every fake; the lock keeps its lazy caches single-threaded.
_validation_lock = threading.Lock()


@dataclass(frozen=True)
class Violation:
    kind: str  # "request", "response" or "fake"
    method: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind} {self.method} {self.path}: {self.message}"


def _describe(error: Exception) -> str:
    """One line per schema error, with its JSON path; never the whole offending document."""
    details: list[str] = []
    cause: BaseException | None = error
    while cause is not None:
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors:
            for schema_error in schema_errors:
                details.extend(_leaf_errors(schema_error))
            break
        cause = cause.__cause__
    return f"{type(error).__name__}: " + ("; ".join(details) or str(error)[:500])


def _leaf_errors(error: Any) -> list[str]:
    """The most specific reasons under a oneOf/anyOf failure, where the useful detail hides."""
    if error.context:
        best = min(error.context, key=lambda e: len(e.context or ()))
        return _leaf_errors(best) if best.context else [_where(best)]
    return [_where(error)]


def _where(error: Any) -> str:
    path = "/".join(str(p) for p in error.absolute_path)
    return f"at /{path}: {error.message[:200]}"


# ---------------------------------------------------------------------------------------------
# State records. Tests read them through the accessors; JSON is rendered from them on demand.


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

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int | None
    delay: float
    times: int
    after_effect: bool
    retry_after: int | None
    message: str | None


@dataclass
class Tamper:
    method: str
    path: re.Pattern[str]
    mutate: Callable[[Any], Any]
    times: int


# ---------------------------------------------------------------------------------------------
# JSON factories: complete, schema-valid objects with api.github.com URLs (rewritten on the way
# out so that follow-up requests land on the fake).


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _node_id(kind: str, number: int) -> str:
    return f"{kind}_kw{number:08d}"


def _sha(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


def simple_user(user: User) -> Json:
    api = f"{API}/users/{quote(user.login)}"
    return {
        "login": user.login,
        "id": user.id,
        "node_id": _node_id("U", user.id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user.id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{WEB}/{quote(user.login)}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": user.type,
        "user_view_type": "public",
        "site_admin": False,
    }


def public_user(user: User) -> Json:
    return simple_user(user) | {
        "name": user.name,
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "hireable": None,
        "bio": None,
        "twitter_username": None,
        "public_repos": 1,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": _iso(START - timedelta(days=365)),
        "updated_at": _iso(START - timedelta(days=1)),
    }


def repository(repo: Repo, owner: User) -> Json:
    api = f"{API}/repos/{repo.full_name}"
    web = f"{WEB}/{repo.full_name}"
    templated = {
        "archive_url": "{archive_format}{/ref}",
        "assignees_url": "assignees{/user}",
        "blobs_url": "git/blobs{/sha}",
        "branches_url": "branches{/branch}",
        "collaborators_url": "collaborators{/collaborator}",
        "comments_url": "comments{/number}",
        "commits_url": "commits{/sha}",
        "compare_url": "compare/{base}...{head}",
        "contents_url": "contents/{+path}",
        "git_commits_url": "git/commits{/sha}",
        "git_refs_url": "git/refs{/sha}",
        "git_tags_url": "git/tags{/sha}",
        "issue_comment_url": "issues/comments{/number}",
        "issue_events_url": "issues/events{/number}",
        "issues_url": "issues{/number}",
        "keys_url": "keys{/key_id}",
        "labels_url": "labels{/name}",
        "milestones_url": "milestones{/number}",
        "notifications_url": "notifications{?since,all,participating}",
        "pulls_url": "pulls{/number}",
        "releases_url": "releases{/id}",
        "statuses_url": "statuses/{sha}",
        "trees_url": "git/trees{/sha}",
    }
    plain = (
        "contributors",
        "deployments",
        "downloads",
        "events",
        "forks",
        "hooks",
        "languages",
        "merges",
        "stargazers",
        "subscribers",
        "subscription",
        "tags",
        "teams",
    )
    open_issues = sum(1 for i in repo.issues.values() if i.state == "open")
    data: Json = {
        "id": repo.id,
        "node_id": _node_id("R", repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "owner": simple_user(owner),
        "private": False,
        "html_url": web,
        "description": None,
        "fork": False,
        "url": api,
        **{key: f"{api}/{suffix}" for key, suffix in templated.items()},
        **{f"{name}_url": f"{api}/{name}" for name in plain},
        "git_url": f"git://github.com/{repo.full_name}.git",
        "ssh_url": f"git@github.com:{repo.full_name}.git",
        "clone_url": f"{web}.git",
        "svn_url": web,
        "mirror_url": None,
        "homepage": None,
        "language": "Python",
        "size": 1,
        "default_branch": repo.default_branch,
        "forks": 0,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers": 0,
        "watchers_count": 0,
        "open_issues": open_issues,
        "open_issues_count": open_issues,
        "has_issues": True,
        "has_projects": False,
        "has_wiki": False,
        "has_pages": False,
        "has_downloads": True,
        "has_discussions": False,
        "archived": False,
        "disabled": False,
        "visibility": "public",
        "license": None,
        "topics": [],
        "pushed_at": _iso(repo.created_at),
        "created_at": _iso(repo.created_at),
        "updated_at": _iso(repo.created_at),
    }
    # The archive_url template has no separating slash on GitHub either.
    data["archive_url"] = f"{api}/{{archive_format}}{{/ref}}"
    return data


def full_repository(repo: Repo, owner: User) -> Json:
    return repository(repo, owner) | {"network_count": 0, "subscribers_count": 0}


def label_json(repo: Repo, label: Label) -> Json:
    return {
        "id": label.id,
        "node_id": _node_id("LA", label.id),
        "url": f"{API}/repos/{repo.full_name}/labels/{quote(label.name)}",
        "name": label.name,
        "color": label.color,
        "description": label.description,
        "default": False,
    }


# ---------------------------------------------------------------------------------------------
# Search query parsing (the qualifiers ante uses; anything else is reported, not guessed).

_TOKEN = re.compile(r'(-?)([a-z-]+):("[^"]*"|\S+)|("[^"]*"|\S+)')
Predicate = Callable[[Repo, Issue], bool]


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _parse_when(text: str) -> tuple[datetime, datetime]:
    """The inclusive interval a search date means: a whole day, or one instant."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        start = datetime.fromisoformat(text).replace(tzinfo=UTC)
        return start, start + timedelta(days=1) - timedelta(microseconds=1)
    moment = datetime.fromisoformat(text)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment, moment


def date_matcher(expression: str) -> Callable[[datetime | None], bool]:
    """`>=2025-01-01`, `<2025-01-01T10:00:00Z`, `2025-01-01..2025-01-31`, `*..2025-01-31`."""
    low, high = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    for operator in (">=", "<=", ">", "<"):
        if expression.startswith(operator):
            first, last = _parse_when(expression[len(operator) :])
            if operator == ">=":
                low = first
            elif operator == ">":
                low = last + timedelta(microseconds=1)
            elif operator == "<=":
                high = last
            else:
                high = first - timedelta(microseconds=1)
            break
    else:
        if ".." in expression:
            start, end = expression.split("..", 1)
            low = low if start == "*" else _parse_when(start)[0]
            high = high if end == "*" else _parse_when(end)[1]
        else:
            low, high = _parse_when(expression)
    return lambda when: when is not None and low <= when <= high


def parse_search(query: str) -> list[Predicate]:
    """Turn a search `q` into predicates; raises ValueError for what the fake can't answer."""
    predicates: list[Predicate] = []
    repos: set[str] = set()  # GitHub reads several `repo:` qualifiers as "any of these"
    for negated, key, raw_value, word in _TOKEN.findall(query):
        if key == "repo" and not negated:
            repos.add(_unquote(raw_value).lower())
            continue
        if word:
            text = _unquote(word).lower()
            predicates.append(
                lambda _r, i, t=text: t in f"{i.title}\n{i.body or ''}".lower(),
            )
            continue
        value = _unquote(raw_value)
        predicate = _qualifier(key, value)
        if negated:
            predicates.append(lambda r, i, p=predicate: not p(r, i))
        else:
            predicates.append(predicate)
    if repos:
        predicates.append(lambda r, _i: r.full_name.lower() in repos)
    return predicates


def _qualifier(key: str, value: str) -> Predicate:
    if key == "repo":
        return lambda r, _i: r.full_name.lower() == value.lower()
    if key in ("is", "type", "state"):
        return _state_qualifier(f"{key}:{value}")
    if key == "label":
        wanted = {v.strip().lower() for v in value.split(",")}  # a comma means "any of"
        return lambda _r, i: bool(wanted & {label.lower() for label in i.labels})
    if key == "no" and value in ("label", "assignee"):
        return lambda _r, i: not (i.labels if value == "label" else i.assignees)
    if key in ("author", "assignee"):
        if key == "author":
            return lambda _r, i: i.user.lower() == value.lower()
        return lambda _r, i: value.lower() in {a.lower() for a in i.assignees}
    if key == "reason":
        reason = value.lower().replace(" ", "_")
        return lambda _r, i: i.state_reason == reason
    if key in ("created", "updated", "closed", "merged"):
        matches = date_matcher(value)
        if key == "merged":
            return lambda _r, i: i.pull is not None and matches(i.pull.merged_at)
        return lambda _r, i: matches(getattr(i, f"{key}_at"))
    if key == "in" and value in ("title", "body", "title,body", "body,title"):
        return lambda _r, _i: True
    raise ValueError(f"search qualifier {key}:{value} is not supported by the fake")


def _state_qualifier(token: str) -> Predicate:
    checks: dict[str, Predicate] = {
        "is:issue": lambda _r, i: i.pull is None,
        "type:issue": lambda _r, i: i.pull is None,
        "is:pr": lambda _r, i: i.pull is not None,
        "type:pr": lambda _r, i: i.pull is not None,
        "is:open": lambda _r, i: i.state == "open",
        "state:open": lambda _r, i: i.state == "open",
        "is:closed": lambda _r, i: i.state == "closed",
        "state:closed": lambda _r, i: i.state == "closed",
        "is:merged": lambda _r, i: i.pull is not None and i.pull.merged_at is not None,
        "is:unmerged": lambda _r, i: (
            i.pull is not None and i.state == "closed" and i.pull.merged_at is None
        ),
    }
    if token not in checks:
        raise ValueError(f"search qualifier {token} is not supported by the fake")
    return checks[token]


# ---------------------------------------------------------------------------------------------
# The fake itself.


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class FakeGitHub:
    """An in-memory GitHub behind a real HTTP server on 127.0.0.1 (see the module docstring)."""

    def __init__(self, *, token_user: str = "github-actions[bot]") -> None:
        self.token_user = token_user
        self.now = START
        self.calls: list[tuple[str, str]] = []
        self.violations: list[Violation] = []
        self.validation_seconds = 0.0
        self.faults: list[Fault] = []
        self.tampers: list[Tamper] = []
        self.url = ""
        self._repos: dict[str, Repo] = {}
        self._users: dict[str, User] = {}
        self._comments: dict[int, tuple[Repo, Comment]] = {}
        self._ids = itertools.count(1001)
        self._lock = threading.RLock()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._routes = Map(
            [Rule(rule, endpoint=name, methods=[method]) for method, rule, name in _ROUTES],
            strict_slashes=False,
        )

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        self._server = make_server(
            "127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_QuietHandler
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- counting and contract ------------------------------------------------------------------

    def count(self, method: str | None = None, path_prefix: str | None = None) -> int:
        return sum(
            1
            for m, p in self.calls
            if (method is None or m == method.upper())
            and (path_prefix is None or p.startswith(path_prefix))
        )

    def take_violations(self) -> list[Violation]:
        """Return and forget the violations (for tests that provoke them on purpose)."""
        with self._lock:
            taken, self.violations = self.violations, []
        return taken

    def inject(
        self,
        method: str,
        path_regex: str,
        *,
        status: int | None = 502,
        delay: float = 0.0,
        times: int = 1,
        after_effect: bool = False,
        retry_after: int | None = 1,
        message: str | None = None,
    ) -> Fault:
        """Make the next `times` matching requests fail.

        Without `after_effect` the request is lost: after `delay` seconds it answers `status`
        and changes nothing (status None: it is then carried out and answered normally, late).
        With `after_effect` GitHub does the work at once, then the answer takes `delay` seconds
        and is `status` (the nasty "created, but the client saw a 502/timeout" case). A 403 or
        429 is a secondary rate limit with `Retry-After: retry_after` (None: no header).
        """
        fault = Fault(
            method.upper(),
            re.compile(path_regex),
            status,
            delay,
            times,
            after_effect,
            retry_after,
            message,
        )
        with self._lock:
            self.faults.append(fault)
        return fault

    def tamper(
        self, method: str, path_regex: str, mutate: Callable[[Any], Any], *, times: int = 1
    ) -> None:
        """Pass the next matching response body through `mutate` before it is checked and sent."""
        with self._lock:
            self.tampers.append(Tamper(method.upper(), re.compile(path_regex), mutate, times))

    # -- seeding (no HTTP) ----------------------------------------------------------------------

    def add_user(self, login: str, *, type: str = "User", name: str | None = None) -> User:
        with self._lock:
            user = self._user(login)
            user.type, user.name = type, name
            return user

    def add_repo(self, full_name: str, *, default_branch: str = "main") -> Repo:
        owner, name = full_name.split("/")
        with self._lock:
            self._user(owner)
            repo = Repo(owner, name, next(self._ids), self.now, default_branch)
            self._repos[full_name.lower()] = repo
            return repo

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
            self._user(login)
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

    # -- accessors for assertions ---------------------------------------------------------------

    def repo(self, full_name: str) -> Repo:
        return self._repo(full_name)

    def issue(self, full_name: str, number: int) -> Issue:
        return self._issue(self._repo(full_name), number)

    def comments(self, full_name: str, number: int) -> list[Comment]:
        with self._lock:
            issue = self.issue(full_name, number)
            return [self._comments[c][1] for c in issue.comments]

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

    def _user(self, login: str) -> User:
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
            self._user(login)
        number = max(repo.issues, default=0) + 1
        issue = Issue(number, next(self._ids), title, body, user, at, at, pull=pull)
        issue.assignees = list(assignees or [])
        repo.issues[number] = issue
        return issue

    def _touch(self, issue: Issue, at: datetime | None = None) -> datetime:
        at = at or self._tick()
        issue.updated_at = max(issue.updated_at, at)
        return at

    def _add_labels(
        self, repo: Repo, issue: Issue, names: Any, actor: str, at: datetime | None = None
    ) -> None:
        self._user(actor)
        for name in names:
            label = self._label(repo, name)
            if label.name not in issue.labels:
                issue.labels.append(label.name)
                issue.events.append(
                    Event(next(self._ids), "labeled", actor, self._touch(issue, at), label.name)
                )

    def _remove_label(self, repo: Repo, issue: Issue, name: str, actor: str) -> bool:
        label = self._label(repo, name)
        if label.name not in issue.labels:
            return False
        issue.labels.remove(label.name)
        issue.events.append(
            Event(next(self._ids), "unlabeled", actor, self._touch(issue), label.name)
        )
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
        self._user(actor)
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

    def _comment(self, repo: Repo, issue: Issue, body: str, user: str) -> Comment:
        self._user(user)
        at = self._touch(issue)
        comment = Comment(next(self._ids), issue.number, body, user, at, at)
        self._comments[comment.id] = (repo, comment)
        issue.comments.append(comment.id)
        issue.events.append(Event(comment.id, "commented", user, at, comment_id=comment.id))
        return comment

    # -- rendering ------------------------------------------------------------------------------

    def _association(self, repo: Repo, login: str) -> str:
        if login.lower() == repo.owner.lower():
            return "OWNER"
        role = repo.permissions.get(login.lower(), "read")
        return "COLLABORATOR" if ROLES.index(role) >= ROLES.index("triage") else "NONE"

    def _issue_json(self, repo: Repo, issue: Issue, *, single: bool = True) -> Json:
        api = f"{API}/repos/{repo.full_name}/issues/{issue.number}"
        kind = "issues" if issue.pull is None else "pull"
        users = [simple_user(self._user(a)) for a in issue.assignees]
        data: Json = {
            "id": issue.id,
            "node_id": _node_id("I" if issue.pull is None else "PR", issue.id),
            "url": api,
            "repository_url": f"{API}/repos/{repo.full_name}",
            "labels_url": f"{api}/labels{{/name}}",
            "comments_url": f"{api}/comments",
            "events_url": f"{api}/events",
            "timeline_url": f"{api}/timeline",
            "html_url": f"{WEB}/{repo.full_name}/{kind}/{issue.number}",
            "number": issue.number,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "title": issue.title,
            "body": issue.body,
            "user": simple_user(self._user(issue.user)),
            "labels": [label_json(repo, repo.labels[name]) for name in issue.labels],
            "assignee": users[0] if users else None,
            "assignees": users,
            "milestone": None,
            "locked": False,
            "active_lock_reason": None,
            "comments": len(issue.comments),
            "closed_at": _iso(issue.closed_at),
            "created_at": _iso(issue.created_at),
            "updated_at": _iso(issue.updated_at),
            "author_association": self._association(repo, issue.user),
            "performed_via_github_app": None,
        }
        if issue.pull is not None:
            pulls = f"{WEB}/{repo.full_name}/pull/{issue.number}"
            data["draft"] = issue.pull.draft
            data["pull_request"] = {
                "url": f"{API}/repos/{repo.full_name}/pulls/{issue.number}",
                "html_url": pulls,
                "diff_url": f"{pulls}.diff",
                "patch_url": f"{pulls}.patch",
                "merged_at": _iso(issue.pull.merged_at),
            }
        if single:  # GitHub sends closed_by only on the single-issue endpoints
            closer = issue.closed_by
            data["closed_by"] = simple_user(self._user(closer)) if closer else None
        return data

    def _search_item(self, repo: Repo, issue: Issue) -> Json:
        data = self._issue_json(repo, issue, single=False) | {"score": 1.0}
        if data["body"] is None:  # the search schema types body as a plain string
            del data["body"]
        return data

    def _comment_json(self, repo: Repo, comment: Comment) -> Json:
        issue_api = f"{API}/repos/{repo.full_name}/issues/{comment.issue}"
        kind = "issues" if repo.issues[comment.issue].pull is None else "pull"
        return {
            "id": comment.id,
            "node_id": _node_id("IC", comment.id),
            "url": f"{API}/repos/{repo.full_name}/issues/comments/{comment.id}",
            "html_url": f"{WEB}/{repo.full_name}/{kind}/{comment.issue}#issuecomment-{comment.id}",
            "issue_url": issue_api,
            "body": comment.body,
            "user": simple_user(self._user(comment.user)),
            "created_at": _iso(comment.created_at),
            "updated_at": _iso(comment.updated_at),
            "author_association": self._association(repo, comment.user),
            "performed_via_github_app": None,
        }

    def _event_json(self, repo: Repo, issue: Issue, event: Event) -> Json:
        actor = simple_user(self._user(event.actor))
        if event.comment_id is not None:
            _, comment = self._comments[event.comment_id]
            return self._comment_json(repo, comment) | {"event": "commented", "actor": actor}
        data: Json = {
            "id": event.id,
            "node_id": _node_id("E", event.id),
            "url": f"{API}/repos/{repo.full_name}/issues/events/{event.id}",
            "actor": actor,
            "event": event.event,
            "commit_id": _sha(repo.full_name, issue.number) if event.event == "merged" else None,
            "commit_url": None,
            "created_at": _iso(event.created_at),
            "performed_via_github_app": None,
        }
        if event.label is not None:
            data["label"] = {"name": event.label, "color": repo.labels[event.label].color}
        if event.event in ("closed", "reopened"):
            data["state_reason"] = event.state_reason
        return data

    def _pull_json(self, repo: Repo, issue: Issue, *, simple: bool = False) -> Json:
        assert issue.pull is not None
        pull = issue.pull
        api = f"{API}/repos/{repo.full_name}/pulls/{issue.number}"
        issue_api = f"{API}/repos/{repo.full_name}/issues/{issue.number}"
        web = f"{WEB}/{repo.full_name}/pull/{issue.number}"
        head_sha = _sha(repo.full_name, pull.head, issue.updated_at)
        owner = self._user(repo.owner)
        users = [simple_user(self._user(a)) for a in issue.assignees]

        def end(ref: str, who: str, sha: str) -> Json:
            return {
                "label": f"{who}:{ref}",
                "ref": ref,
                "sha": sha,
                "user": simple_user(self._user(who)),
                "repo": repository(repo, owner),
            }

        data: Json = {
            "url": api,
            "id": issue.id,
            "node_id": _node_id("PR", issue.id),
            "html_url": web,
            "diff_url": f"{web}.diff",
            "patch_url": f"{web}.patch",
            "issue_url": issue_api,
            "commits_url": f"{api}/commits",
            "review_comments_url": f"{api}/comments",
            "review_comment_url": f"{API}/repos/{repo.full_name}/pulls/comments{{/number}}",
            "comments_url": f"{issue_api}/comments",
            "statuses_url": f"{API}/repos/{repo.full_name}/statuses/{head_sha}",
            "number": issue.number,
            "state": issue.state,
            "locked": False,
            "title": issue.title,
            "user": simple_user(self._user(issue.user)),
            "body": issue.body,
            # The pulls schemas, unlike the others, type a label description as a plain string.
            "labels": [
                label_json(repo, repo.labels[name])
                | {"description": repo.labels[name].description or ""}
                for name in issue.labels
            ],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": _iso(issue.created_at),
            "updated_at": _iso(issue.updated_at),
            "closed_at": _iso(issue.closed_at),
            "merged_at": _iso(pull.merged_at),
            "merge_commit_sha": _sha(repo.full_name, issue.number) if pull.merged_at else None,
            "assignee": users[0] if users else None,
            "assignees": users,
            "requested_reviewers": [simple_user(self._user(r)) for r in pull.requested_reviewers],
            "requested_teams": [],
            "head": end(pull.head, pull.head_owner, head_sha),
            "base": end(pull.base, repo.owner, _sha(repo.full_name, pull.base)),
            "_links": {
                name: {"href": href}
                for name, href in {
                    "self": api,
                    "html": web,
                    "issue": issue_api,
                    "comments": f"{issue_api}/comments",
                    "review_comments": f"{api}/comments",
                    "review_comment": f"{API}/repos/{repo.full_name}/pulls/comments{{/number}}",
                    "commits": f"{api}/commits",
                    "statuses": f"{API}/repos/{repo.full_name}/statuses/{head_sha}",
                }.items()
            },
            "author_association": self._association(repo, issue.user),
            "auto_merge": None,
            "draft": pull.draft,
        }
        if simple:
            return data
        return data | {
            "merged": pull.merged_at is not None,
            "mergeable": None if issue.state == "closed" else True,
            "rebaseable": None if issue.state == "closed" else True,
            "mergeable_state": "unknown" if issue.state == "closed" else "clean",
            "merged_by": simple_user(self._user(pull.merged_by)) if pull.merged_by else None,
            "comments": len(issue.comments),
            "review_comments": 0,
            "maintainer_can_modify": False,
            "commits": 1,
            "additions": 1,
            "deletions": 0,
            "changed_files": 1,
        }

    # -- HTTP plumbing --------------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        request = Request(environ)
        response = self._respond(request)
        return response(environ, start_response)  # type: ignore[no-any-return]

    def _take(self, pending: list[Any], method: str, path: str) -> Any:
        for item in pending:
            if item.method == method and item.path.search(path):
                item.times -= 1
                if item.times <= 0:
                    pending.remove(item)
                return item
        return None

    def _respond(self, request: Request) -> Response:
        method, path = request.method, request.path
        with self._lock:
            self.calls.append((method, path))
            fault: Fault | None = self._take(self.faults, method, path)
            tamper: Tamper | None = self._take(self.tampers, method, path)
        openapi_request = WerkzeugOpenAPIRequest(request)
        request_errors = self._check(
            lambda: list(spec().openapi.iter_request_errors(openapi_request))
        )
        if request_errors:
            for error in request_errors:
                self._violate("request", method, path, _describe(error))
            unknown = any(isinstance(e, PathNotFound) for e in request_errors)
            return self._error(404 if unknown else 422, "Not Found" if unknown else "Invalid")
        if "Authorization" not in request.headers:
            return self._error(401, "Requires authentication")
        if fault is not None and not fault.after_effect:
            time.sleep(fault.delay)  # outside the lock: other requests go on meanwhile
            if fault.status is not None:
                return self._fault_response(fault)
        status, body, headers = self._handle(request)
        if fault is not None and fault.after_effect:
            time.sleep(fault.delay)
            if fault.status is not None:
                return self._fault_response(fault)
        if tamper is not None:
            body = tamper.mutate(copy.deepcopy(body))
        response = self._encode(status, body, headers)
        openapi_response = WerkzeugOpenAPIResponse(response)
        response_errors = self._check(
            lambda: list(spec().openapi.iter_response_errors(openapi_request, openapi_response))
        )
        for error in response_errors:
            self._violate("response", method, path, _describe(error))
        return response

    def _handle(self, request: Request) -> Reply:
        try:
            with self._lock:
                return self._dispatch(request)
        except _Refusal as refusal:
            return refusal.status, refusal.body, {}
        except Exception:  # a bug in the fake: say so instead of a bare 500
            self._violate("fake", request.method, request.path, traceback.format_exc())
            return 500, {"message": "the fake crashed", "documentation_url": DOCS}, {}

    def _check(self, validate: Callable[[], list[Exception]]) -> list[Exception]:
        started = time.perf_counter()
        with _validation_lock:
            errors = validate()
        self.validation_seconds += time.perf_counter() - started
        return errors

    def _violate(self, kind: str, method: str, path: str, message: str) -> None:
        with self._lock:
            self.violations.append(Violation(kind, method, path, message))

    def _encode(self, status: int, body: Any, headers: dict[str, str]) -> Response:
        remaining = max(0, 5000 - len(self.calls))
        headers = {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Used": str(5000 - remaining),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Resource": "core",
            **headers,
        }
        if body is None:
            return Response(status=status, headers=headers)
        text = json.dumps(body).replace(API, self.url)
        return Response(text, status=status, headers=headers, mimetype="application/json")

    def _error(self, status: int, message: str) -> Response:
        return self._encode(status, {"message": message, "documentation_url": DOCS}, {})

    def _fault_response(self, fault: Fault) -> Response:
        assert fault.status is not None
        headers: dict[str, str] = {}
        message = fault.message
        if fault.status in (403, 429):
            message = message or SECONDARY_RATE_LIMIT
            if fault.retry_after is not None:
                headers["Retry-After"] = str(fault.retry_after)
        body = {"message": message or "Server Error", "documentation_url": DOCS}
        return self._encode(fault.status, body, headers)

    def _dispatch(self, request: Request) -> Reply:
        adapter = self._routes.bind("127.0.0.1")
        try:
            endpoint, args = adapter.match(request.path, method=request.method)
        except (NotFound, MethodNotAllowed):
            message = "the fake does not implement this operation; add it to tests/fakegithub.py"
            self._violate("fake", request.method, request.path, message)
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        except HTTPException as error:  # pragma: no cover - redirects from strict slashes
            return error.code or 500, {"message": str(error)}, {}
        handler: Callable[..., Reply] = getattr(self, f"_on_{endpoint}")
        return handler(request, **args)

    def _page(self, request: Request, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
        per_page = max(1, min(int(request.args.get("per_page", 30)), 100))
        page = max(1, int(request.args.get("page", 1)))
        last = max(1, math.ceil(len(items) / per_page))

        def link(number: int) -> str:
            args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
            return f"{self.url}{quote(request.path)}?{urlencode([*args, ('page', number)])}"

        rels = []
        if page < last:
            rels += [("next", page + 1), ("last", last)]
        if page > 1:
            rels += [("prev", page - 1), ("first", 1)]
        headers = {"Link": ", ".join(f'<{link(n)}>; rel="{rel}"' for rel, n in rels)}
        return items[(page - 1) * per_page : page * per_page], headers if rels else {}

    def _json(self, request: Request) -> Json:
        body = request.get_json(silent=True)
        return body if isinstance(body, dict) else {}

    def _found_repo(self, owner: str, repo: str) -> Repo:
        found = self._repos.get(f"{owner}/{repo}".lower())
        if found is None:
            raise _Refusal(404, {"message": "Not Found", "documentation_url": DOCS})
        return found

    def _found(self, owner: str, repo: str, number: int) -> tuple[Repo, Issue]:
        found = self._found_repo(owner, repo)
        if number not in found.issues:
            raise _Refusal(404, {"message": "Not Found", "documentation_url": DOCS})
        return found, found.issues[number]

    # -- handlers: repos, users, rate limit -----------------------------------------------------

    def _on_get_repo(self, request: Request, owner: str, repo: str) -> Reply:
        found = self._found_repo(owner, repo)
        return 200, full_repository(found, self._user(found.owner)), {}

    def _on_get_user(self, request: Request, username: str) -> Reply:
        if username.lower() not in self._users:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        return 200, public_user(self._users[username.lower()]), {}

    def _on_get_viewer(self, request: Request) -> Reply:
        return 200, public_user(self._user(self.token_user)), {}

    def _on_get_rate_limit(self, request: Request) -> Reply:
        used = len(self.calls)
        reset = int(time.time()) + 3600
        core = {"limit": 5000, "used": used, "remaining": max(0, 5000 - used), "reset": reset}
        search = {"limit": 30, "used": 0, "remaining": 30, "reset": reset}
        return 200, {"resources": {"core": core, "search": search}, "rate": core}, {}

    def _on_get_permission(self, request: Request, owner: str, repo: str, username: str) -> Reply:
        found = self._found_repo(owner, repo)
        user = self._user(username)
        role = "admin" if username.lower() == found.owner.lower() else "read"
        role = found.permissions.get(username.lower(), role)
        collaborator = simple_user(user) | {"role_name": role}
        collaborator["permissions"] = {
            "pull": role != "none",
            "triage": ROLES.index(role) >= ROLES.index("triage"),
            "push": ROLES.index(role) >= ROLES.index("write"),
            "maintain": ROLES.index(role) >= ROLES.index("maintain"),
            "admin": role == "admin",
        }
        permission = LEGACY_PERMISSION.get(role, role)
        return 200, {"permission": permission, "role_name": role, "user": collaborator}, {}

    # -- handlers: issues -----------------------------------------------------------------------

    def _on_list_issues(self, request: Request, owner: str, repo: str) -> Reply:
        found = self._found_repo(owner, repo)
        args = request.args
        state = args.get("state", "open")
        wanted = [w.strip().lower() for w in args.get("labels", "").split(",") if w.strip()]
        since = datetime.fromisoformat(args["since"]) if "since" in args else None
        items = [
            i
            for i in found.issues.values()
            if state in ("all", i.state)
            and all(w in {n.lower() for n in i.labels} for w in wanted)
            and (since is None or i.updated_at >= since)
            and ("creator" not in args or i.user.lower() == args["creator"].lower())
            and ("assignee" not in args or args["assignee"].lower() in map(str.lower, i.assignees))
        ]
        items = _sorted(items, args.get("sort", "created"), args.get("direction", "desc"))
        page, headers = self._page(request, items)
        return 200, [self._issue_json(found, i, single=False) for i in page], headers

    def _on_get_issue(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        return 200, self._issue_json(found, issue), {}

    def _on_create_issue(self, request: Request, owner: str, repo: str) -> Reply:
        found = self._found_repo(owner, repo)
        body = self._json(request)
        assignees = list(body.get("assignees") or [])
        if body.get("assignee"):
            assignees.append(body["assignee"])
        issue = self._create(
            found,
            title=str(body["title"]),
            body=body.get("body"),
            user=self.token_user,
            assignees=assignees,
        )
        self._add_labels(found, issue, _label_names(body.get("labels") or []), self.token_user)
        headers = {"Location": f"{self.url}/repos/{found.full_name}/issues/{issue.number}"}
        return 201, self._issue_json(found, issue), headers

    def _on_update_issue(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        self._edit(found, issue, self._json(request))
        return 200, self._issue_json(found, issue), {}

    def _edit(self, repo: Repo, issue: Issue, body: Json) -> None:
        if body.get("title") is not None:
            issue.title = str(body["title"])
            self._touch(issue)
        if "body" in body:
            issue.body = body["body"]
            self._touch(issue)
        if body.get("assignees") is not None:
            issue.assignees = [self._user(a).login for a in body["assignees"]]
            self._touch(issue)
        if body.get("labels") is not None:
            self._set_labels(repo, issue, _label_names(body["labels"]), self.token_user)
        if body.get("state") in ("open", "closed"):
            reason = body.get("state_reason") or (
                "completed" if body["state"] == "closed" else None
            )
            self._set_state(repo, issue, body["state"], reason, self.token_user)

    def _on_add_issue_labels(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        body = request.get_json(silent=True)
        names = _label_names(body.get("labels", []) if isinstance(body, dict) else body or [])
        self._add_labels(found, issue, names, self.token_user)
        return 200, [label_json(found, found.labels[n]) for n in issue.labels], {}

    def _on_set_issue_labels(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        body = request.get_json(silent=True)
        names = _label_names(body.get("labels", []) if isinstance(body, dict) else body or [])
        self._set_labels(found, issue, names, self.token_user)
        return 200, [label_json(found, found.labels[n]) for n in issue.labels], {}

    def _on_list_issue_labels(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        page, headers = self._page(
            request, [label_json(found, found.labels[n]) for n in issue.labels]
        )
        return 200, page, headers

    def _on_remove_issue_label(
        self, request: Request, owner: str, repo: str, number: int, name: str
    ) -> Reply:
        found, issue = self._found(owner, repo, number)
        if not self._remove_label(found, issue, name, self.token_user):
            return 404, {"message": "Label does not exist", "documentation_url": DOCS}, {}
        return 200, [label_json(found, found.labels[n]) for n in issue.labels], {}

    def _on_remove_all_issue_labels(
        self, request: Request, owner: str, repo: str, number: int
    ) -> Reply:
        found, issue = self._found(owner, repo, number)
        self._set_labels(found, issue, [], self.token_user)
        return 204, None, {}

    # -- handlers: comments and timeline --------------------------------------------------------

    def _on_list_comments(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        comments = [self._comments[c][1] for c in issue.comments]
        if "since" in request.args:
            since = datetime.fromisoformat(request.args["since"])
            comments = [c for c in comments if c.updated_at >= since]
        page, headers = self._page(request, comments)
        return 200, [self._comment_json(found, c) for c in page], headers

    def _on_create_comment(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        comment = self._comment(found, issue, self._json(request)["body"], self.token_user)
        location = f"{self.url}/repos/{found.full_name}/issues/comments/{comment.id}"
        return 201, self._comment_json(found, comment), {"Location": location}

    def _found_comment(self, owner: str, repo: str, comment_id: int) -> tuple[Repo, Comment]:
        found = self._found_repo(owner, repo)
        if comment_id not in self._comments or self._comments[comment_id][0] is not found:
            raise _Refusal(404, {"message": "Not Found", "documentation_url": DOCS})
        return self._comments[comment_id]

    def _on_get_comment(self, request: Request, owner: str, repo: str, comment_id: int) -> Reply:
        found, comment = self._found_comment(owner, repo, comment_id)
        return 200, self._comment_json(found, comment), {}

    def _on_update_comment(self, request: Request, owner: str, repo: str, comment_id: int) -> Reply:
        found, comment = self._found_comment(owner, repo, comment_id)
        comment.body = self._json(request)["body"]
        comment.updated_at = self._tick()
        return 200, self._comment_json(found, comment), {}

    def _on_list_timeline(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        page, headers = self._page(request, issue.events)
        return 200, [self._event_json(found, issue, e) for e in page], headers

    # -- handlers: search -----------------------------------------------------------------------

    def _on_search_issues(self, request: Request) -> Reply:
        query = request.args.get("q", "")
        try:
            predicates = parse_search(query)
        except ValueError as error:
            self._violate("fake", request.method, request.path, str(error))
            return 422, {"message": str(error), "documentation_url": DOCS}, {}
        matches = [
            (repo, issue)
            for repo in self._repos.values()
            for issue in repo.issues.values()
            if all(p(repo, issue) for p in predicates)
        ]
        sort = request.args.get("sort", "best-match")
        order = request.args.get("order", "desc")
        matches.sort(key=lambda m: (_sort_key(m[1], sort), m[0].full_name), reverse=order != "asc")
        page, headers = self._page(request, matches)
        items = [self._search_item(r, i) for r, i in page]
        body = {
            "total_count": len(matches),
            "incomplete_results": False,
            "search_type": "lexical",
            "items": items,
        }
        return 200, body, headers

    # -- handlers: pull requests ----------------------------------------------------------------

    def _on_list_pulls(self, request: Request, owner: str, repo: str) -> Reply:
        found = self._found_repo(owner, repo)
        args = request.args
        state = args.get("state", "open")
        head_owner, _, head = args.get("head", "").rpartition(":")
        items = [
            i
            for i in found.issues.values()
            if i.pull is not None
            and state in ("all", i.state)
            and (
                not head
                or (i.pull.head == head and i.pull.head_owner.lower() == head_owner.lower())
            )
            and ("base" not in args or i.pull.base == args["base"])
        ]
        items = _sorted(items, args.get("sort", "created"), args.get("direction", "desc"))
        page, headers = self._page(request, items)
        return 200, [self._pull_json(found, i, simple=True) for i in page], headers

    def _on_get_pull(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        if issue.pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        return 200, self._pull_json(found, issue), {}

    def _on_create_pull(self, request: Request, owner: str, repo: str) -> Reply:
        found = self._found_repo(owner, repo)
        body = self._json(request)
        head_owner, _, head = str(body["head"]).rpartition(":")
        head_owner = head_owner or found.owner
        for other in found.issues.values():
            if (
                other.pull is not None
                and other.state == "open"
                and other.pull.head == head
                and other.pull.head_owner.lower() == head_owner.lower()
                and other.pull.base == body["base"]
            ):
                error = {
                    "resource": "PullRequest",
                    "code": "custom",
                    "message": f"A pull request already exists for {head_owner}:{head}.",
                }
                message = {"message": "Validation Failed", "errors": [error]}
                return 422, message | {"documentation_url": DOCS, "status": "422"}, {}
        pull = Pull(head, head_owner, body["base"], bool(body.get("draft", False)))
        title = str(body.get("title") or head)
        issue = self._create(
            found, title=title, body=body.get("body"), user=self.token_user, pull=pull
        )
        location = f"{self.url}/repos/{found.full_name}/pulls/{issue.number}"
        return 201, self._pull_json(found, issue), {"Location": location}

    def _on_update_pull(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        if issue.pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        body = self._json(request)
        if body.get("base"):
            issue.pull.base = body["base"]
        self._edit(found, issue, {k: body[k] for k in ("title", "body", "state") if k in body})
        return 200, self._pull_json(found, issue), {}

    def _on_request_reviewers(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        if issue.pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        for login in self._json(request).get("reviewers", []):
            if self._user(login).login not in issue.pull.requested_reviewers:
                issue.pull.requested_reviewers.append(self._user(login).login)
        self._touch(issue)
        return 201, self._pull_json(found, issue, simple=True), {}


class _Refusal(Exception):
    def __init__(self, status: int, body: Json) -> None:
        super().__init__(status)
        self.status, self.body = status, body


def _label_names(labels: list[Any]) -> list[str]:
    return [label["name"] if isinstance(label, dict) else str(label) for label in labels]


def _sort_key(issue: Issue, sort: str) -> Any:
    if sort == "updated":
        return (issue.updated_at, issue.number)
    if sort == "comments":
        return (len(issue.comments), issue.number)
    return (issue.created_at, issue.number)


def _sorted(items: list[Issue], sort: str, direction: str) -> list[Issue]:
    return sorted(items, key=lambda i: _sort_key(i, sort), reverse=direction != "asc")


_ROUTES = [
    ("GET", "/repos/<owner>/<repo>", "get_repo"),
    ("GET", "/users/<username>", "get_user"),
    ("GET", "/user", "get_viewer"),
    ("GET", "/rate_limit", "get_rate_limit"),
    ("GET", "/repos/<owner>/<repo>/collaborators/<username>/permission", "get_permission"),
    ("GET", "/repos/<owner>/<repo>/issues", "list_issues"),
    ("POST", "/repos/<owner>/<repo>/issues", "create_issue"),
    ("GET", "/repos/<owner>/<repo>/issues/<int:number>", "get_issue"),
    ("PATCH", "/repos/<owner>/<repo>/issues/<int:number>", "update_issue"),
    ("GET", "/repos/<owner>/<repo>/issues/<int:number>/labels", "list_issue_labels"),
    ("POST", "/repos/<owner>/<repo>/issues/<int:number>/labels", "add_issue_labels"),
    ("PUT", "/repos/<owner>/<repo>/issues/<int:number>/labels", "set_issue_labels"),
    ("DELETE", "/repos/<owner>/<repo>/issues/<int:number>/labels", "remove_all_issue_labels"),
    (
        "DELETE",
        "/repos/<owner>/<repo>/issues/<int:number>/labels/<path:name>",
        "remove_issue_label",
    ),
    ("GET", "/repos/<owner>/<repo>/issues/<int:number>/comments", "list_comments"),
    ("POST", "/repos/<owner>/<repo>/issues/<int:number>/comments", "create_comment"),
    ("GET", "/repos/<owner>/<repo>/issues/comments/<int:comment_id>", "get_comment"),
    ("PATCH", "/repos/<owner>/<repo>/issues/comments/<int:comment_id>", "update_comment"),
    ("GET", "/repos/<owner>/<repo>/issues/<int:number>/timeline", "list_timeline"),
    ("GET", "/search/issues", "search_issues"),
    ("GET", "/repos/<owner>/<repo>/pulls", "list_pulls"),
    ("POST", "/repos/<owner>/<repo>/pulls", "create_pull"),
    ("GET", "/repos/<owner>/<repo>/pulls/<int:number>", "get_pull"),
    ("PATCH", "/repos/<owner>/<repo>/pulls/<int:number>", "update_pull"),
    ("POST", "/repos/<owner>/<repo>/pulls/<int:number>/requested_reviewers", "request_reviewers"),
]
