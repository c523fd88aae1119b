"""`ante init`: a clean team repository, in a new folder, an empty clone or an existing one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from testbed.ante import run_ante
from testbed.gitbed import git

ENV = {"ANTE_NOW": "2026-11-18T09:00:00Z", "ANTE_ACTION_REF": "b" * 40, "ANTE_OFFLINE": "1"}
DEVELOPMENT = ("tests", "Makefile", "pyproject.toml", "scripts", "templates", "setup.py")


def _clone(tmp_path: Path) -> Path:
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(origin)], check=True)
    subprocess.run(
        ["git", "clone", "--quiet", str(origin), str(tmp_path / "clone")],
        check=True,
        capture_output=True,
    )
    return tmp_path / "clone"


def _files(repo: Path) -> set[str]:
    return set(git(repo, "ls-files").split())


def test_init_in_an_empty_clone_makes_a_clean_valid_team_repository(tmp_path: Path) -> None:
    clone = _clone(tmp_path)
    result = run_ante(["init", str(clone), "--members", "alice,bob"], env=ENV)
    assert result.code == 0, result.err
    files = _files(clone)
    assert not [f for f in files if f.split("/")[0] in DEVELOPMENT], files
    assert {"ante.yaml", "STATUS.md", "ledger/members.yaml", "ledger/policy.yaml"} <= files
    assert ".github/workflows/issue.yml" in files and ".github/dependabot.yml" in files
    assert git(clone, "status", "--porcelain") == ""
    assert git(clone, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert run_ante(["--repo", str(clone), "validate"], env=ENV).code == 0
    assert run_ante(["--repo", str(clone), "upgrade", "--check"], env=ENV).code == 0
    git(clone, "push", "--quiet", "origin", "main")  # the clone's remote takes it as it is


def test_init_keeps_an_existing_clone_s_files_and_commits_only_its_own(tmp_path: Path) -> None:
    clone = _clone(tmp_path)
    (clone / "README.md").write_text("# Our team\n")
    git(clone, "add", "README.md")
    git(clone, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "--quiet", "-m", "readme")
    (clone / "notes.txt").write_text("scratch, not for ante\n")
    result = run_ante(["init", str(clone), "--members", "alice"], env=ENV)
    assert result.code == 0, result.err
    assert (clone / "README.md").read_text() == "# Our team\n"
    assert "kept the existing README.md" in result.err
    assert "notes.txt" not in _files(clone)  # not ante's to commit
    assert git(clone, "status", "--porcelain").strip() == "?? notes.txt"


def test_init_without_members_asks_git_for_the_github_user(tmp_path: Path) -> None:
    clone = _clone(tmp_path)
    git(clone, "config", "github.user", "octocat")
    result = run_ante(["init", str(clone)], env=ENV)
    assert result.code == 0, result.err
    assert "octocat" in result.out
    members = (clone / "ledger/members.yaml").read_text()
    assert "login: octocat" in members


def test_init_without_anyone_starts_an_empty_roster_that_says_how_to_join(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    target = tmp_path / "fresh"
    result = run_ante(["init", str(target)], env=ENV)
    assert result.code == 0, result.err
    members = (target / "ledger/members.yaml").read_text()
    assert "members: []" in members and "To join" in members
    assert "add yourself" in result.out
    for command in (["validate"], ["status"], ["balance"]):
        done = run_ante(["--repo", str(target), *command], env=ENV)
        assert done.code == 0, (command, done.err)
    # the template route: the same layout, members (their grants) and the example rotation aside
    other = tmp_path / "with-members"
    assert run_ante(["init", str(other), "--members", "a,b"], env=ENV).code == 0
    example = {
        "rotations/oncall.yaml",
        "ledger/schedule/oncall.yaml",
        "ledger/journal/2026/entries.yaml",
        "ledger/statements/a.md",  # each member's statement, linked from STATUS.md
        "ledger/statements/b.md",
    }
    assert _files(target) == _files(other) - example


def test_a_team_template_overrides_a_builtin_one_file_by_file(tmp_path: Path) -> None:
    target = tmp_path / "t"
    assert run_ante(["init", str(target), "--members", "alice"], env=ENV).code == 0
    (target / "templates").mkdir()
    (target / "templates" / "STATUS.md.j2").write_text("Our own status: {{ 1 + 1 }}\n")
    assert run_ante(["--repo", str(target), "status"], env=ENV).code == 0
    assert (target / "STATUS.md").read_text() == "Our own status: 2\n"
