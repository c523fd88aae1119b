"""The fake's git remote: it records who pushed, and refuses pushes to a protected main with
GitHub's own messages unless the pusher may bypass."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ante.files import gitrepo
from ante.files.gitrepo import GitError
from testbed.fakegithub.remote import PUSHER_ENV, protect, unprotect
from testbed.gitbed import TeamRemote, git

GH006 = "remote: error: GH006: Protected branch update failed for refs/heads/main."
GH013 = "remote: error: GH013: Repository rule violations found for refs/heads/main."


def change(repo: Path, name: str = "notes.txt") -> None:
    (repo / name).write_text(name + "\n", encoding="utf-8")
    git(repo, "add", name)
    git(repo, "commit", "--quiet", "-m", f"add {name}")


def lines(stderr: str) -> list[str]:
    return [line.rstrip() for line in stderr.splitlines()]  # git pads remote lines


def push(repo: Path, *args: str, pusher: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(repo)}
    if pusher:
        env[PUSHER_ENV] = pusher
    return subprocess.run(
        ["git", "-C", str(repo), "push", *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )


def test_every_push_is_recorded_with_its_pusher(team: TeamRemote) -> None:
    change(team.workdir, "a.txt")
    push(team.workdir, "origin", "HEAD:main", pusher="github-actions[bot]")
    change(team.workdir, "b.txt")
    push(team.workdir, "-o", "pusher=ante-app[bot]", "origin", "HEAD:refs/heads/ante/tax")

    *_, by_env, by_option = team.pushes()
    assert (by_env.pusher, by_env.ref, by_env.accepted) == (
        "github-actions[bot]",
        "refs/heads/main",
        True,
    )
    assert by_env.new == team.head()
    assert (by_option.pusher, by_option.ref) == ("ante-app[bot]", "refs/heads/ante/tax")


def test_branch_protection_refuses_a_direct_push_with_gh006(team: TeamRemote) -> None:
    protect(team.origin)
    before = team.head()
    change(team.workdir)

    refused = push(team.workdir, "origin", "HEAD:main", pusher="github-actions[bot]")
    branch = push(team.workdir, "origin", "HEAD:refs/heads/ante/tax", pusher="github-actions[bot]")

    assert refused.returncode == 1
    assert GH006 in lines(refused.stderr)
    assert "remote: error: Changes must be made through a pull request." in refused.stderr
    assert "[remote rejected] HEAD -> main" in refused.stderr
    assert team.head() == before
    assert branch.returncode == 0  # other branches (a tax pull request's) are not protected
    assert [p.accepted for p in team.pushes()[-2:]] == [False, True]


def test_a_ruleset_refuses_with_gh013_and_lets_its_bypass_list_through(team: TeamRemote) -> None:
    protect(team.origin, rule="ruleset", bypass=["ante-app[bot]"], repo="acme/overhead")
    change(team.workdir)

    refused = push(team.workdir, "origin", "HEAD:main", pusher="alice")
    said = lines(refused.stderr)
    bypassed = push(team.workdir, "origin", "HEAD:main", pusher="ante-app[bot]")

    assert refused.returncode == 1
    assert GH013 in said
    assert (
        "remote: Review all repository rules at "
        "https://github.com/acme/overhead/rules?ref=refs%2Fheads%2Fmain"
    ) in said
    assert "remote: - Changes must be made through a pull request." in said
    assert bypassed.returncode == 0
    assert team.head() == git(team.workdir, "rev-parse", "HEAD").strip()

    unprotect(team.origin)
    change(team.workdir, "c.txt")
    assert push(team.workdir, "origin", "HEAD:main", pusher="alice").returncode == 0


def test_a_push_refused_by_protection_is_reported_at_once(
    team: TeamRemote, monkeypatch: pytest.MonkeyPatch
) -> None:
    protect(team.origin)
    monkeypatch.setenv(PUSHER_ENV, "github-actions[bot]")
    offered = len(team.pushes())

    def apply() -> str:
        (team.workdir / "notes.txt").write_text("note\n", encoding="utf-8")
        return "Add a note"

    with pytest.raises(GitError) as error:
        gitrepo.publish(team.workdir, apply, ["notes.txt"], sleep=lambda _: None)

    assert len(team.pushes()) == offered + 1
    assert "GH006" in str(error.value)
