"""Shared fixtures: real git remotes (gitbed) and the contract-checked fake GitHub."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gitbed import TeamRemote, make_team


@pytest.fixture
def team(tmp_path: Path) -> TeamRemote:
    """A fresh team repo (alice, bob, carol) with a bare origin."""
    return make_team(tmp_path)
