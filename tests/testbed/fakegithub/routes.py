"""The REST operations the fake answers: one handler each, and what a token needs for it.

Handlers are methods of `Routes` (the state, plus answering requests), which `FakeGitHub`
extends with its HTTP pipeline; each returns (status, body,
headers) and raises `Refusal` to answer an error. `ROUTES` lists every operation with the
permission it needs on the repository in its path (scope, "read" or "write"); the server checks
the token against it before the handler runs. An operation missing here is reported as a
violation ("the fake does not implement this operation"): add it here.

Over 300 lines because it holds one handler per REST operation the fake answers, next to the
table of routes and permissions; splitting it would scatter that table.
"""

from __future__ import annotations

import math
import time
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from werkzeug.wrappers import Request

from . import render
from .model import ROLES, Comment, Issue, Pull, Repo
from .search import MAX_RESULTS, PER_MINUTE, parse_search, repositories
from .state import State
from .tokens import Token

DOCS = "https://docs.github.com/rest"
# The legacy `permission` field folds the fine-grained roles into four.
LEGACY_PERMISSION = {"triage": "read", "maintain": "write"}
Json = dict[str, Any]
Reply = tuple[int, Any, dict[str, str]]


class Refusal(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.headers = status, headers or {}
        self.body: Json = {"message": message, "documentation_url": DOCS, "status": str(status)}


NOT_FOUND = "Not Found"
CANNOT_SEARCH = (
    "Validation Failed: The listed users and repositories cannot be searched either because "
    "the resources do not exist or you do not have permission to view them."
)


class Routes(State):
    """The handlers (see the module docstring), on the state; `self` is the FakeGitHub, whose
    HTTP pipeline sets the request's token and supplies what is declared here."""

    url: str  # where the server listens
    calls: list[tuple[str, str]]  # (method, path) of every request so far
    _token: Token | None = None  # the token of the request being handled

    def _violate(self, kind: str, method: str, path: str, message: str) -> None:
        raise NotImplementedError  # the server's: it records contract violations

    @property
    def token(self) -> Token:
        """The token of the request being handled."""
        assert self._token is not None, "only handlers ask for the current token"
        return self._token

    @property
    def actor(self) -> str:
        return self.token.identity

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

    # -- finding what a request names ------------------------------------------------------------

    def _found_repo(self, owner: str, repo: str) -> Repo:
        """The repository, if the token may see it (a private one it cannot is Not Found)."""
        found = self._repos.get(f"{owner}/{repo}".lower())
        if found is None or not self.token.sees(found):
            raise Refusal(404, NOT_FOUND)
        return found

    def _found(self, owner: str, repo: str, number: int) -> tuple[Repo, Issue]:
        """The issue; a transferred one answers 301 to its new address, a deleted one 410."""
        found = self._found_repo(owner, repo)
        issue = found.issues.get(number)
        if issue is None:
            raise Refusal(404, NOT_FOUND)
        if issue.deleted:
            raise Refusal(410, "This issue was deleted")
        if issue.moved_to is not None:
            where, new = issue.moved_to
            target = self._repos.get(where.lower()) or self._moved_repos[where.lower()]
            if not self.token.sees(target):
                raise Refusal(404, NOT_FOUND)
            url = f"{self.url}/repos/{target.full_name}/issues/{new}"
            raise Refusal(301, "Moved Permanently", {"Location": url}) from None
        return found, issue

    # -- handlers: repos, users, rate limit -----------------------------------------------------

    def _on_get_repo(self, request: Request, owner: str, repo: str) -> Reply:
        found = self._found_repo(owner, repo)
        return 200, render.full_repository(found, self.user(found.owner)), {}

    def _on_get_user(self, request: Request, username: str) -> Reply:
        if username.lower() not in self._users:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        return 200, render.public_user(self._users[username.lower()]), {}

    def _on_get_viewer(self, request: Request) -> Reply:
        if self.token.kind != "personal":  # installation tokens have no user behind them
            raise Refusal(403, self.token.refusal)
        return 200, render.public_user(self.user(self.actor)), {}

    def _on_get_rate_limit(self, request: Request) -> Reply:
        used = len(self.calls)
        reset = int(time.time()) + 3600
        core = {"limit": 5000, "used": used, "remaining": max(0, 5000 - used), "reset": reset}
        window = self.search_index.windows.get(self.token.value)
        searched = 0 if window is None or window.reset_in(self.now) <= 1 else window.used
        search = {
            "limit": PER_MINUTE,
            "used": searched,
            "remaining": max(0, PER_MINUTE - searched),
            "reset": reset,
        }
        return 200, {"resources": {"core": core, "search": search}, "rate": core}, {}

    def _on_get_permission(self, request: Request, owner: str, repo: str, username: str) -> Reply:
        found = self._found_repo(owner, repo)
        user = self.user(username)
        role = "admin" if username.lower() == found.owner.lower() else "read"
        role = found.permissions.get(username.lower(), role)
        collaborator = render.simple_user(user) | {"role_name": role}
        collaborator["permissions"] = {
            "pull": role != "none",
            "triage": ROLES.index(role) >= ROLES.index("triage"),
            "push": ROLES.index(role) >= ROLES.index("write"),
            "maintain": ROLES.index(role) >= ROLES.index("maintain"),
            "admin": role == "admin",
        }
        permission = LEGACY_PERMISSION.get(role, role)
        return 200, {"permission": permission, "role_name": role, "user": collaborator}, {}

    # -- handlers: labels -----------------------------------------------------------------------

    def _found_label(self, owner: str, repo: str, name: str) -> tuple[Repo, Any]:
        found = self._found_repo(owner, repo)
        existing = {n.lower(): label for n, label in found.labels.items()}
        if name.lower() not in existing:
            raise Refusal(404, NOT_FOUND)
        return found, existing[name.lower()]

    def _on_get_label(self, request: Request, owner: str, repo: str, name: str) -> Reply:
        found, label = self._found_label(owner, repo, name)
        return 200, render.label_json(found, label), {}

    def _on_update_label(self, request: Request, owner: str, repo: str, name: str) -> Reply:
        found, label = self._found_label(owner, repo, name)
        body = self._json(request)
        if body.get("new_name") and body["new_name"] != label.name:
            self.rename_label(found.full_name, label.name, body["new_name"], by=self.actor)
        if body.get("color"):
            label.color = body["color"]
        if "description" in body:
            label.description = body["description"]
        return 200, render.label_json(found, label), {}

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
            if i.moved_to is None  # transferred away: GitHub lists it where it lives now
            and not i.deleted
            and state in ("all", i.state)
            and all(w in {n.lower() for n in i.labels} for w in wanted)
            and (since is None or i.updated_at >= since)
            and ("creator" not in args or i.user.lower() == args["creator"].lower())
            and ("assignee" not in args or args["assignee"].lower() in map(str.lower, i.assignees))
        ]
        items = _sorted(items, args.get("sort", "created"), args.get("direction", "desc"))
        page, headers = self._page(request, items)
        return 200, [render.issue_json(self, found, i, single=False) for i in page], headers

    def _on_get_issue(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        return 200, render.issue_json(self, found, issue), {}

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
            user=self.actor,
            assignees=assignees,
        )
        self._add_labels(found, issue, _label_names(body.get("labels") or []), self.actor)
        headers = {"Location": f"{self.url}/repos/{found.full_name}/issues/{issue.number}"}
        return 201, render.issue_json(self, found, issue), headers

    def _on_update_issue(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        self._edit(found, issue, self._json(request))
        return 200, render.issue_json(self, found, issue), {}

    def _edit(self, repo: Repo, issue: Issue, body: Json) -> None:
        if body.get("title") is not None:
            issue.title = str(body["title"])
            self._touch(issue)
        if "body" in body:
            issue.body = body["body"]
            self._touch(issue)
        if body.get("assignees") is not None:
            issue.assignees = [self.user(a).login for a in body["assignees"]]
            self._touch(issue)
        if body.get("labels") is not None:
            self._set_labels(repo, issue, _label_names(body["labels"]), self.actor)
        if body.get("state") in ("open", "closed"):
            reason = body.get("state_reason") or (
                "completed" if body["state"] == "closed" else None
            )
            self._set_state(repo, issue, body["state"], reason, self.actor)

    def _on_add_issue_labels(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        body = request.get_json(silent=True)
        names = _label_names(body.get("labels", []) if isinstance(body, dict) else body or [])
        self._add_labels(found, issue, names, self.actor)
        return 200, [render.label_json(found, found.labels[n]) for n in issue.labels], {}

    def _on_set_issue_labels(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        body = request.get_json(silent=True)
        names = _label_names(body.get("labels", []) if isinstance(body, dict) else body or [])
        self._set_labels(found, issue, names, self.actor)
        return 200, [render.label_json(found, found.labels[n]) for n in issue.labels], {}

    def _on_list_issue_labels(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        page, headers = self._page(
            request, [render.label_json(found, found.labels[n]) for n in issue.labels]
        )
        return 200, page, headers

    def _on_remove_issue_label(
        self, request: Request, owner: str, repo: str, number: int, name: str
    ) -> Reply:
        found, issue = self._found(owner, repo, number)
        if not self._remove_label(found, issue, name, self.actor):
            return 404, {"message": "Label does not exist", "documentation_url": DOCS}, {}
        return 200, [render.label_json(found, found.labels[n]) for n in issue.labels], {}

    def _on_remove_all_issue_labels(
        self, request: Request, owner: str, repo: str, number: int
    ) -> Reply:
        found, issue = self._found(owner, repo, number)
        self._set_labels(found, issue, [], self.actor)
        return 204, None, {}

    # -- handlers: comments and timeline --------------------------------------------------------

    def _on_list_comments(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        comments = [self.comments_by_id[c][1] for c in issue.comments]
        if "since" in request.args:
            since = datetime.fromisoformat(request.args["since"])
            comments = [c for c in comments if c.updated_at >= since]
        page, headers = self._page(request, comments)
        return 200, [render.comment_json(self, found, c) for c in page], headers

    def _on_create_comment(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        comment = self._comment(found, issue, self._json(request)["body"], self.actor)
        location = f"{self.url}/repos/{found.full_name}/issues/comments/{comment.id}"
        return 201, render.comment_json(self, found, comment), {"Location": location}

    def _found_comment(self, owner: str, repo: str, comment_id: int) -> tuple[Repo, Comment]:
        found = self._found_repo(owner, repo)
        if comment_id not in self.comments_by_id or self.comments_by_id[comment_id][0] is not found:
            raise Refusal(404, NOT_FOUND)
        return self.comments_by_id[comment_id]

    def _on_get_comment(self, request: Request, owner: str, repo: str, comment_id: int) -> Reply:
        found, comment = self._found_comment(owner, repo, comment_id)
        return 200, render.comment_json(self, found, comment), {}

    def _on_update_comment(self, request: Request, owner: str, repo: str, comment_id: int) -> Reply:
        found, comment = self._found_comment(owner, repo, comment_id)
        self._edit_comment(found, comment, self._json(request)["body"], self.actor)
        return 200, render.comment_json(self, found, comment), {}

    def _on_list_reactions(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        _, issue = self._found(owner, repo, number)
        wanted = request.args.get("content")
        chosen = [r for r in issue.reactions if wanted is None or r.content == wanted]
        page, headers = self._page(request, chosen)
        return 200, [render.reaction_json(self, r) for r in page], headers

    def _on_list_timeline(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        page, headers = self._page(request, issue.events)
        return 200, [render.event_json(self, found, issue, e) for e in page], headers

    # -- handlers: search -----------------------------------------------------------------------

    def _on_search_issues(self, request: Request) -> Reply:
        window = self.search_index.spend(self.token.value, self.now)
        limits = {
            "X-RateLimit-Limit": str(PER_MINUTE),
            "X-RateLimit-Remaining": str(max(0, PER_MINUTE - window.used)),
            "X-RateLimit-Used": str(min(window.used, PER_MINUTE)),
            "X-RateLimit-Reset": str(int(time.time()) + window.reset_in(self.now)),
            "X-RateLimit-Resource": "search",
        }
        if window.used > PER_MINUTE:
            raise Refusal(403, f"API rate limit exceeded for {self.token.identity}.", limits)
        status, body, headers = self._search(request)
        return status, body, headers | limits

    def _search(self, request: Request) -> Reply:
        query = request.args.get("q", "")
        try:
            predicates = parse_search(query)
        except ValueError as error:
            self._violate("fake", request.method, request.path, str(error))
            return 422, {"message": str(error), "documentation_url": DOCS}, {}
        named = {r.lower() for r in repositories(query)}
        hidden = [r for r in named if r not in self._repos or not self.token.sees(self._repos[r])]
        if hidden:
            raise Refusal(422, CANNOT_SEARCH)
        matches = [
            (repo, issue)
            for repo, issue in self.search_index.visible(self.now)
            if self.token.sees(repo) and all(p(repo, issue) for p in predicates)
        ]
        sort = request.args.get("sort", "best-match")
        order = request.args.get("order", "desc")
        matches.sort(key=lambda m: (_sort_key(m[1], sort), m[0].full_name), reverse=order != "asc")
        per_page = max(1, min(int(request.args.get("per_page", 30)), 100))
        if (int(request.args.get("page", 1)) - 1) * per_page >= MAX_RESULTS:
            raise Refusal(422, "Only the first 1000 search results are available")
        page, headers = self._page(request, matches[:MAX_RESULTS])
        items = [render.search_item(self, r, i) for r, i in page]
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
        return 200, [render.pull_json(self, found, i, simple=True) for i in page], headers

    def _on_get_pull(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        if issue.pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        return 200, render.pull_json(self, found, issue), {}

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
        issue = self._create(found, title=title, body=body.get("body"), user=self.actor, pull=pull)
        location = f"{self.url}/repos/{found.full_name}/pulls/{issue.number}"
        return 201, render.pull_json(self, found, issue), {"Location": location}

    def _on_update_pull(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        if issue.pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        body = self._json(request)
        if body.get("base"):
            issue.pull.base = body["base"]
        self._edit(found, issue, {k: body[k] for k in ("title", "body", "state") if k in body})
        return 200, render.pull_json(self, found, issue), {}

    def _on_request_reviewers(self, request: Request, owner: str, repo: str, number: int) -> Reply:
        found, issue = self._found(owner, repo, number)
        if issue.pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        for login in self._json(request).get("reviewers", []):
            if self.user(login).login not in issue.pull.requested_reviewers:
                issue.pull.requested_reviewers.append(self.user(login).login)
        self._touch(issue)
        return 201, render.pull_json(self, found, issue, simple=True), {}


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


ISSUE = "/repos/<owner>/<repo>/issues/<int:number>"
COMMENT = "/repos/<owner>/<repo>/issues/comments/<int:comment_id>"
PULL = "/repos/<owner>/<repo>/pulls/<int:number>"
# (method, rule, handler, scope, level): the token needs `level` of `scope` on the repository in
# the path (issues endpoints on a pull request accept pull-requests as well, as GitHub does).
ROUTES: list[tuple[str, str, str, str | None, str]] = [
    ("GET", "/repos/<owner>/<repo>", "get_repo", "metadata", "read"),
    ("GET", "/users/<username>", "get_user", None, "read"),
    ("GET", "/user", "get_viewer", None, "read"),
    ("GET", "/rate_limit", "get_rate_limit", None, "read"),
    (
        "GET",
        "/repos/<owner>/<repo>/collaborators/<username>/permission",
        "get_permission",
        "metadata",
        "read",
    ),
    ("GET", "/repos/<owner>/<repo>/labels/<path:name>", "get_label", "issues", "read"),
    ("PATCH", "/repos/<owner>/<repo>/labels/<path:name>", "update_label", "issues", "write"),
    ("GET", "/repos/<owner>/<repo>/issues", "list_issues", "issues", "read"),
    ("POST", "/repos/<owner>/<repo>/issues", "create_issue", "issues", "write"),
    ("GET", f"{ISSUE}", "get_issue", "issues", "read"),
    ("PATCH", f"{ISSUE}", "update_issue", "issues", "write"),
    ("GET", f"{ISSUE}/labels", "list_issue_labels", "issues", "read"),
    ("POST", f"{ISSUE}/labels", "add_issue_labels", "issues", "write"),
    ("PUT", f"{ISSUE}/labels", "set_issue_labels", "issues", "write"),
    ("DELETE", f"{ISSUE}/labels", "remove_all_issue_labels", "issues", "write"),
    ("DELETE", f"{ISSUE}/labels/<path:name>", "remove_issue_label", "issues", "write"),
    ("GET", f"{ISSUE}/comments", "list_comments", "issues", "read"),
    ("POST", f"{ISSUE}/comments", "create_comment", "issues", "write"),
    ("GET", f"{COMMENT}", "get_comment", "issues", "read"),
    ("PATCH", f"{COMMENT}", "update_comment", "issues", "write"),
    ("GET", f"{ISSUE}/timeline", "list_timeline", "issues", "read"),
    ("GET", f"{ISSUE}/reactions", "list_reactions", "issues", "read"),
    ("GET", "/search/issues", "search_issues", None, "read"),
    ("GET", "/repos/<owner>/<repo>/pulls", "list_pulls", "pull-requests", "read"),
    ("POST", "/repos/<owner>/<repo>/pulls", "create_pull", "pull-requests", "write"),
    ("GET", f"{PULL}", "get_pull", "pull-requests", "read"),
    ("PATCH", f"{PULL}", "update_pull", "pull-requests", "write"),
    ("POST", f"{PULL}/requested_reviewers", "request_reviewers", "pull-requests", "write"),
]
