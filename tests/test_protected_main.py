"""A protected `main` refuses ante's push on the first attempt; ante says what to configure."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from ante.files import gitrepo
from testbed.ante import run_ante
from testbed.gitbed import TeamRemote, git

MESSAGES = {
    "GH006": "remote: error: GH006: Protected branch update failed for refs/heads/main.\n"
    "remote: error: Changes must be made through a pull request.",
    "GH013": "remote: error: GH013: Repository rule violations found for refs/heads/main.\n"
    "remote: - Changes must be made through a pull request.",
}


def protect(origin: Path, code: str) -> Path:
    """A pre-receive hook that refuses every push as GitHub does, counting the attempts."""
    hook = origin / "hooks" / "pre-receive"
    tally = origin / "attempts"
    lines = "\n".join(
        f"echo '{line.removeprefix('remote: ')}' >&2" for line in MESSAGES[code].splitlines()
    )
    hook.write_text(f"#!/bin/sh\necho x >> {tally}\n{lines}\nexit 1\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    return tally


@pytest.mark.parametrize("code", ["GH006", "GH013"])
def test_a_protection_rule_is_reported_on_the_first_push_without_retries(
    team: TeamRemote, code: str
) -> None:
    tally = protect(team.origin, code)
    before = team.head()
    work = team.clone("runner")
    slept: list[float] = []

    def apply() -> str:
        (work / "ledger" / "note.txt").write_text("x\n")
        return "ante: a change"

    with pytest.raises(gitrepo.ProtectedBranchError) as raised:
        gitrepo.publish(work, apply, ["ledger"], sleep=slept.append)
    message = str(raised.value)
    assert code in message and "bypass" in message.lower() and "ANTE_APP_PRIVATE_KEY" in message
    assert "other writers" not in message
    assert tally.read_text().count("x") == 1 and slept == []
    assert team.head() == before


def test_the_command_line_exits_1_with_the_advice_and_no_traceback(team: TeamRemote) -> None:
    protect(team.origin, "GH013")
    work = team.clone("runner")
    (work / "ledger" / "members.yaml").write_text(
        (work / "ledger" / "members.yaml").read_text() + "  - login: dave\n    joined: 2026-11-18\n"
    )
    git(work, "commit", "--quiet", "-am", "dave joins")
    result = run_ante(
        ["--repo", str(work), "refresh", "--push"],
        env={"ANTE_NOW": "2026-11-18T09:00:00Z", "GITHUB_ACTIONS": "true"},
    )
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err
    assert "GH013" in result.err and "::error::" in result.out
