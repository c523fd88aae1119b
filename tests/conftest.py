"""Shared fixtures: real git remotes (gitbed) and the contract-checked fake GitHub."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from ante.github import adapter
from hypothesis import HealthCheck, settings
from pytest_httpserver import HTTPServer
from testbed.actions import World
from testbed.fakegithub import DEFAULT_LAG, FIXTURE_TOKEN, FakeGitHub
from testbed.gitbed import TeamRemote, make_team
from testbed.receivers import Receivers

# Speed is measured in benchmarks, not unit tests: on a busy 2-core runner, hypothesis's
# deadline and "too slow" health check would fail tests for timing alone.
settings.register_profile("ante", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ante")


@pytest.fixture
def team(tmp_path: Path) -> TeamRemote:
    """A fresh team repo (alice, bob, carol) with a bare origin."""
    return make_team(tmp_path)


def search_lag(request: pytest.FixtureRequest) -> timedelta:
    """The test's `search_lag` mark, which must say why, or GitHub's realistic default."""
    mark = request.node.get_closest_marker("search_lag")
    if mark is None:
        return DEFAULT_LAG
    reason = str(mark.kwargs.get("reason", "")).strip()
    if not mark.args or not reason:
        pytest.fail("@pytest.mark.search_lag(seconds, reason=...) needs both", pytrace=False)
    return timedelta(seconds=float(mark.args[0]))


@pytest.fixture
def github_fake(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[FakeGitHub]:
    """A fresh fake GitHub with repository o/r and its GITHUB_TOKEN (`FIXTURE_TOKEN`, with the
    permissive default: write on every scope); fails the test on any contract violation.
    Its search index lags writes by a minute, as GitHub's does, unless the test is marked
    `@pytest.mark.search_lag(seconds, reason="why this test is about something else")`.

    ante's adapter talks to it unthrottled and with short timeouts (a fake needs no politeness,
    and injected timeouts should not make the suite slow).
    """
    fast = functools.partial(
        adapter.connect,
        timeout=2,
        seconds_between_requests=None,
        seconds_between_writes=None,
        sleep=lambda seconds: None,  # rate-limit waits are recorded (gh.patience.waited), not slept
    )
    monkeypatch.setattr(adapter, "connect", fast)
    fake = FakeGitHub(search_lag=search_lag(request)).start()
    fake.add_repo("o/r")
    fake.workflow_token("o/r", value=FIXTURE_TOKEN)
    try:
        yield fake
    finally:
        fake.stop()
    if fake.violations:
        listing = "\n".join(f"  {v}" for v in fake.violations)
        pytest.fail(f"GitHub contract violations:\n{listing}", pytrace=False)


@pytest.fixture
def github_env(github_fake: FakeGitHub) -> dict[str, str]:
    """The environment an Actions job would give ante, pointed at the fake."""
    return {
        "GITHUB_TOKEN": FIXTURE_TOKEN,
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_API_URL": github_fake.url,
    }


@pytest.fixture
def actions(tmp_path: Path, github_fake: FakeGitHub) -> Callable[..., World]:
    """Make a `World`: a team repository on the fake GitHub whose workflows the runner executes.

    Call it with `workflows={"name.yml": text}` to replace the repository's own workflows, `seed=`
    for another interleaving; deliver events through the world's people, then `world.runner`
    advances the clock, drains the queues, and reports runs, skips, cancellations and logs.
    """
    made = itertools.count(1)

    def make(**options: Any) -> World:
        return World(tmp_path / f"world-{next(made)}", github_fake, **options)

    return make


@pytest.fixture
def receivers(httpserver: HTTPServer) -> Receivers:
    """Local PagerDuty, chat and Standard Webhooks receivers (tests/testbed/receivers.py)."""
    return Receivers(httpserver)
