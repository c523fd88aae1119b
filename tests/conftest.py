"""Shared fixtures: real git remotes (gitbed) and the contract-checked fake GitHub."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakegithub import FakeGitHub
from gitbed import TeamRemote, make_team


@pytest.fixture
def team(tmp_path: Path) -> TeamRemote:
    """A fresh team repo (alice, bob, carol) with a bare origin."""
    return make_team(tmp_path)


@pytest.fixture
def github_fake() -> Iterator[FakeGitHub]:
    """A fresh fake GitHub with repository o/r; fails the test on any contract violation."""
    fake = FakeGitHub().start()
    fake.add_repo("o/r")
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
        "GITHUB_TOKEN": "ghs_fake_token",
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_API_URL": github_fake.url,
    }
