"""The fake GitHub: its state and handlers behind a real HTTP server on 127.0.0.1.

Every request passes, in order: the call counter, the contract check of the request, the token
(401 for one the fake never minted), the token's reach and permission for the operation (see
`routes.ROUTES` and `tokens`), injected faults, the handler, tampering, and the contract check of
the response. Refusals a token earns are answered the way GitHub answers them on any operation,
even where the description lists no 403/404 for it, so those are not checked against it.

Over 300 lines because it is the fake's one HTTP pipeline (tokens, faults, contract check,
routing, paging) in the order a request meets them; the handlers live in routes.py.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import PathNotFound
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from . import contract, faults
from .contract import Violation, check, describe, spec
from .faults import Fault, Tamper
from .model import Activity
from .render import API
from .routes import DOCS, ROUTES, Refusal, Reply, Routes
from .search import DEFAULT_LAG
from .tokens import LEVELS, WORKFLOW_BOT, Permissions, Token, mint

Json = dict[str, Any]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class FakeGitHub(Routes):
    """An in-memory GitHub behind a real HTTP server (see the package docstring)."""

    def __init__(self, *, search_lag: timedelta = DEFAULT_LAG) -> None:
        super().__init__(search_lag=search_lag)
        self.calls: list[tuple[str, str]] = []
        self._violations: list[Violation] = []
        # Responses sent and not yet checked against the contract (see `settle`).
        self._unchecked: list[Callable[[], None]] = []
        self._settling = threading.Lock()
        self.validation_seconds = 0.0
        self.faults: list[Fault] = []
        self.tampers: list[Tamper] = []
        self.tokens: dict[str, Token] = {}
        self.url = ""
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._routes = Map(
            [Rule(rule, endpoint=name, methods=[method]) for method, rule, name, *_ in ROUTES],
            strict_slashes=False,
        )
        self._needs = {name: (scope, level) for _, _, name, scope, level in ROUTES}
        self._token: Token | None = None  # the token of the request being handled

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        spec()  # load the description before the first request's client starts its timeout
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
        self.settle()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def search_lag(self) -> timedelta:
        """How long after a write search finds it (GitHub's index is eventually consistent)."""
        return self.search_index.lag

    @search_lag.setter
    def search_lag(self, lag: timedelta) -> None:
        self.search_index.lag = lag

    def catch_up_search(self) -> datetime:
        """Move GitHub's clock on by the search lag: every write so far is searchable now."""
        return self.advance(seconds=self.search_index.lag.total_seconds())

    # -- tokens ---------------------------------------------------------------------------------

    def workflow_token(
        self, repo: str, permissions: Permissions = None, *, value: str | None = None
    ) -> Token:
        """A job's GITHUB_TOKEN: `repo` only, with the job's `permissions:` (None: write-all).

        Its identity is github-actions[bot]; what it does starts no workflow runs.
        """
        return self._keep(mint("workflow", WORKFLOW_BOT, [repo], permissions, value=value))

    def app_token(
        self,
        repos: Iterable[str],
        permissions: Permissions = None,
        *,
        identity: str = "ante-app[bot]",
        value: str | None = None,
    ) -> Token:
        """An App installation token for the repositories it was granted."""
        return self._keep(mint("app", identity, repos, permissions, value=value))

    def personal_token(
        self,
        identity: str,
        repos: Iterable[str],
        permissions: Permissions = None,
        *,
        value: str | None = None,
    ) -> Token:
        """A fine-grained personal access token of `identity` for the repositories it names."""
        self.user(identity)
        return self._keep(mint("personal", identity, repos, permissions, value=value))

    def _keep(self, token: Token) -> Token:
        with self._lock:
            self.tokens[token.value] = token
        return token

    def webhook(self, activity: Activity) -> Any:
        """The webhook delivery GitHub would send for `activity` (see webhooks.py)."""
        from .webhooks import delivery  # webhooks build on testbed.payloads, which needs spec()

        return delivery(self, activity)

    def writes_by(self, kind: str) -> list[Any]:
        """The activity caused through tokens of `kind` ("workflow", "app", "personal", "web")."""
        with self._lock:
            return [a for a in self.activity if a.via == kind]

    # -- counting and contract ------------------------------------------------------------------

    def count(self, method: str | None = None, path_prefix: str | None = None) -> int:
        return sum(
            1
            for m, p in self.calls
            if (method is None or m == method.upper())
            and (path_prefix is None or p.startswith(path_prefix))
        )

    @property
    def violations(self) -> list[Violation]:
        """What broke the contract so far (once every response sent has been checked)."""
        self.settle()
        return self._violations

    def settle(self) -> None:
        """Check every response sent so far against the contract.

        Responses are checked after the fact, when a test reads `violations` or the fake stops:
        validating long bodies then never competes with the requests a client is timing.
        """
        with self._settling:
            while True:
                with self._lock:
                    pending, self._unchecked = self._unchecked, []
                if not pending:
                    return
                for check_response in pending:
                    check_response()

    def take_violations(self) -> list[Violation]:
        """Return and forget the violations (for tests that provoke them on purpose)."""
        with self._lock:
            taken, self._violations = self.violations, []
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

    def secondary_rate_limit(
        self, method: str, path_regex: str, *, status: int = 403, retry_after: int | None = 60
    ) -> Fault:
        """The next matching request hits a secondary rate limit (403 or 429, retry-after)."""
        return self.inject(method, path_regex, status=status, retry_after=retry_after)

    # -- HTTP plumbing --------------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        by_id = re.fullmatch(r"/repositories/(\d+)(/.*)?", request.path)
        repo = self.repo_by_id(int(by_id.group(1))) if by_id else None
        if by_id and repo is not None:
            # Where a renamed repository's old name redirects: GitHub answers the repository's
            # operations there too (a path its description does not list), as at /repos/...
            path = f"/repos/{repo.full_name}{by_id.group(2) or ''}"
            request = Request({**environ, "PATH_INFO": path})
        response, check_later = self._respond(request)
        if check_later is not None:
            with self._lock:
                self._unchecked.append(check_later)
        return response(environ, start_response)

    def _check_response(self, request: Request, openapi_request: Any, response: Response) -> None:
        openapi_response = WerkzeugOpenAPIResponse(response)
        errors = self._check(
            "response",
            lambda: list(spec().answers.iter_response_errors(openapi_request, openapi_response)),
        )
        for error in errors:
            self._violate("response", request.method, request.path, describe(error))

    def _respond(self, request: Request) -> tuple[Response, Callable[[], None] | None]:
        """The answer, and the contract check to run once it is sent (None: nothing to check)."""
        method, path = request.method, request.path
        with self._lock:
            self.calls.append((method, path))
            fault: Fault | None = faults.take(self.faults, method, path)
            tamper: Tamper | None = faults.take(self.tampers, method, path)
        openapi_request = WerkzeugOpenAPIRequest(request)
        key = (method, request.url, request.mimetype, request.get_data())
        request_errors = self._check(
            "request", lambda: contract.request_errors(key, openapi_request)
        )
        if request_errors:
            for error in request_errors:
                self._violate("request", method, path, describe(error))
            unknown = any(isinstance(e, PathNotFound) for e in request_errors)
            return self._error(404 if unknown else 422, "Not Found" if unknown else "Invalid"), None
        if "Authorization" not in request.headers:
            return self._error(401, "Requires authentication"), None
        secret = request.headers["Authorization"].partition(" ")[2].strip()
        token = self.tokens.get(secret)
        if token is None:
            return self._error(401, "Bad credentials"), None
        if fault is not None and not fault.after_effect:
            time.sleep(fault.delay)  # outside the lock: other requests go on meanwhile
            if fault.status is not None:
                return self._encode(*fault.answer()), None
        status, body, headers, refused = self._handle(request, token)
        if fault is not None and fault.after_effect:
            time.sleep(fault.delay)
            if fault.status is not None:
                return self._encode(*fault.answer()), None
        if tamper is not None:
            body = tamper.mutate(copy.deepcopy(body))
        response = self._encode(status, body, headers)
        if refused and str(status) not in self._documented(openapi_request):
            return response, None
        return response, functools.partial(self._check_response, request, openapi_request, response)

    def _documented(self, openapi_request: Any) -> set[str]:
        """The statuses the description lists for this operation."""
        document = spec().document
        for template, item in document["paths"].items():
            pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template))
            if re.fullmatch(pattern, openapi_request.path):
                operation = item.get(openapi_request.method.lower(), {})
                return set(operation.get("responses", {}))
        return set()

    def _handle(self, request: Request, token: Token) -> tuple[int, Any, dict[str, str], bool]:
        """Status, body, headers, and whether the fake refused (rather than answered)."""
        try:
            with self._lock:
                self._token, self._via = token, token.kind
                try:
                    status, body, headers = self._dispatch(request)
                    return status, body, headers, False
                finally:
                    self._token, self._via = None, "web"
        except Refusal as refusal:
            return refusal.status, refusal.body, refusal.headers, True
        except Exception:  # a bug in the fake: say so instead of a bare 500
            self._violate("fake", request.method, request.path, traceback.format_exc())
            return 500, {"message": "the fake crashed", "documentation_url": DOCS}, {}, False

    def _check(self, kind: str, validate: Callable[[], list[Exception]]) -> list[Exception]:
        errors, seconds = check(kind, validate)
        self.validation_seconds += seconds
        return errors

    def _violate(self, kind: str, method: str, path: str, message: str) -> None:
        with self._lock:
            self._violations.append(Violation(kind, method, path, message))

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
        if isinstance(body, dict) and status >= 400:
            body = {"documentation_url": DOCS, **body}
        text = json.dumps(body).replace(API, self.url)
        return Response(text, status=status, headers=headers, mimetype="application/json")

    def _error(self, status: int, message: str) -> Response:
        return self._encode(status, {"message": message, "status": str(status)}, {})

    def _dispatch(self, request: Request) -> Reply:
        self._redirect_moved(request)
        adapter = self._routes.bind("127.0.0.1")
        try:
            endpoint, args = adapter.match(request.path, method=request.method)
        except (NotFound, MethodNotAllowed):
            message = "the fake does not implement this operation; add it to fakegithub/routes.py"
            self._violate("fake", request.method, request.path, message)
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        except HTTPException as error:  # pragma: no cover - redirects from strict slashes
            return error.code or 500, {"message": str(error)}, {}
        self._authorize(endpoint, args)
        handler: Callable[..., Reply] = getattr(self, f"_on_{endpoint}")
        return handler(request, **args)

    def _redirect_moved(self, request: Request) -> None:
        """A renamed or transferred repository's former name: 301 for GET (and HEAD), 307 for
        other methods (repeat it there, GitHub says, but keep using the old URI), to
        `/repositories/{id}/...` with the query kept."""
        named = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", request.path)
        moved = self.moved_repo(f"{named.group(1)}/{named.group(2)}") if named else None
        if named is None or moved is None or not self.token.sees(moved):
            return
        query = request.query_string.decode()
        location = f"{self.url}/repositories/{moved.id}{named.group(3) or ''}"
        location += f"?{query}" if query else ""
        if request.method in ("GET", "HEAD"):
            refusal = Refusal(301, "Moved Permanently", {"Location": location})
        else:
            refusal = Refusal(307, "Temporary Redirect", {"Location": location})
        refusal.body["url"] = location
        raise refusal

    def _authorize(self, endpoint: str, args: Mapping[str, Any]) -> None:
        """Refuse as GitHub does what the token may not do on the repository in the path."""
        scope, level = self._needs[endpoint]
        if scope is None or "owner" not in args:
            return
        repo = self._found_repo(args["owner"], args["repo"])  # 404 when the token cannot see it
        have = self.token.level(repo, scope)
        if scope == "issues" and "number" in args:
            issue = repo.issues.get(args["number"])
            if issue is not None and issue.pull is not None:
                have = max(have, self.token.level(repo, "pull-requests"))
        if have < LEVELS[level]:
            raise Refusal(403, self.token.refusal)
