"""The one fake GitHub: a stateful REST API that PyGithub talks to over real HTTP.

Every request and response is checked against GitHub's OpenAPI description
(``tests/node_modules/@octokit/openapi``); anything off-contract lands in ``fake.violations`` and
the ``github_fake`` fixture fails the test. It is as strict as GitHub where ante can trip:

Tokens (``tokens.py``)
    Every request needs a token the fake minted; an unknown one is 401 Bad credentials::

        t = fake.workflow_token("o/r", {"issues": "write", "contents": "read"})  # GITHUB_TOKEN
        t = fake.app_token(["o/r", "o/product"], "write-all", identity="ante-app[bot]")
        t = fake.personal_token("alice", ["o/product"], {"issues": "read"})
        env = {"GITHUB_TOKEN": t.value, ...}

    A private repository a token was not granted is 404 Not Found; a missing permission is 403
    "Resource not accessible by integration" (or "... by personal access token"); public
    repositories are readable by any token. ``GET /user`` answers only personal tokens. Each
    token has an ``identity`` (github-actions[bot] for GITHUB_TOKEN) that HTTP writes are made
    as, and ``starts_runs`` (False for GITHUB_TOKEN). The ``github_fake`` fixture mints
    ``ghs_fake_token``, o/r's GITHUB_TOKEN with the permissive default (write on every scope).

Activity (``model.Activity``)
    ``fake.activity`` logs every write (issues opened/closed/reopened/labeled/unlabeled/
    transferred/deleted, pull requests, issue comments created/edited, labels edited) with its
    ``actor``, ``via`` ("workflow", "app", "personal", or "web" for what a test seeded as a
    person) and ``starts_runs``. ``fake.activity_since(n)`` gives what happened after entry n;
    ``fake.webhook(activity)`` is the delivery a runner would receive: ``.event`` (the
    X-GitHub-Event), ``.payload`` (built from GitHub's examples, schema-checked) and
    ``.starts_runs``.

Clock and search (``search.py``)
    ``fake.now`` is GitHub's clock: each write moves it one second (a write seeded with a later
    date moves it to that date), ``fake.advance(minutes=2)`` or ``fake.clock_to(when)`` further.
    A test whose story jumps ahead moves GitHub's clock with it. A write is searchable
    ``search_lag`` after it happened: a minute by default, as GitHub's index lags writes by
    seconds to minutes (``FakeGitHub(search_lag=...)``, ``fake.search_lag = ...``; in a test,
    ``@pytest.mark.search_lag(0, reason="...")`` for one that is about something else and says
    why). ``fake.catch_up_search()`` moves the clock on by the lag. Searches return at most 1,000
    results and a token may search 30 times a fake-clock minute, then 403 with
    ``x-ratelimit-*`` headers (resource ``search``).

Moved, gone, renamed (``state.py``)
    ``fake.transfer_issue("o/r", 3, "o/other")`` makes the old address answer 301 with a
    Location header; ``fake.delete_issue(...)`` makes it 410; ``fake.rename_label(...)`` (or
    ``PATCH /repos/{owner}/{repo}/labels/{name}``) keeps the label on every issue, renamed.
    ``fake.rename_repo("o/app", "o/app2")`` (a rename, or a transfer to another owner) makes the
    old name answer 301 to GET and 307 to other methods, to ``/repositories/{id}/...`` with the
    query kept, which the fake answers like ``/repos/o/app2/...``; tokens keep their grant.

Faults (``faults.py``)
    ``fake.inject(method, path_regex, status=502, delay=..., after_effect=...)`` loses or delays
    answers; ``fake.secondary_rate_limit(method, path_regex, status=403|429, retry_after=60)``;
    ``fake.tamper(...)`` rewrites a response body before it is checked.

Counting
    ``fake.calls`` lists (method, path) of every request; ``fake.count("GET", "/search")``.

Protected branches (``remote.py``)
    ``remote.protect(origin, rule="branch"|"ruleset", bypass=("ante-app[bot]",))`` makes a bare
    git remote refuse pushes to main with GitHub's GH006/GH013 messages unless the pusher
    (``FAKEGITHUB_PUSHER`` in the pushing process's environment, or ``git push -o
    pusher=<login>``) is on the bypass list; ``remote.pushes(origin)`` (``team.pushes()``)
    lists who pushed what. Every gitbed team remote has the hook installed, unprotected.

Seeding (``add_repo(private=...)``, ``add_issue``, ``add_pull``, ``label_issue``...) changes state
without HTTP and records the same timeline, activity and search versions HTTP writes do.
"""

from __future__ import annotations

from .contract import Violation, spec
from .model import Activity, Comment, Event, Issue, Label, Pull, Repo, User
from .search import DEFAULT_LAG, date_matcher, parse_search
from .server import FakeGitHub
from .tokens import FIXTURE_TOKEN, WORKFLOW_BOT, Token

__all__ = [
    "DEFAULT_LAG",
    "FIXTURE_TOKEN",
    "WORKFLOW_BOT",
    "Activity",
    "Comment",
    "Event",
    "FakeGitHub",
    "Issue",
    "Label",
    "Pull",
    "Repo",
    "Token",
    "User",
    "Violation",
    "date_matcher",
    "parse_search",
    "spec",
]
