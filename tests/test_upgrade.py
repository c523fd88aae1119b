"""Upgrades as a reviewed pull request: a 0.1.0 team repository moves to this release's format.

The fixture (tests/fixtures/team-0.1.0) is the demo team's quarter as ante 0.1.0 wrote it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from ante import __version__
from ante.files import formats
from ante.files.journal import Store
from testbed.ante import run_ante
from testbed.gitbed import git

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "team-0.1.0"
PIN = "ante-team/ante@" + "a" * 40
ENV = {"ANTE_NOW": "2026-11-18T09:00:00Z", "ANTE_ACTION_REF": PIN}


def _old_team(tmp_path: Path) -> Path:
    repo = tmp_path / "team"
    shutil.copytree(FIXTURE, repo)
    git(tmp_path, "init", "--quiet", "-b", "main", str(repo))
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "--quiet", "-m", "0.1.0")
    return repo


def _data(repo: Path) -> dict[str, bytes]:
    return {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for folder in ("ledger", "rotations")
        for p in sorted((repo / folder).rglob("*"))
        if p.is_file()
    } | {"STATUS.md": (repo / "STATUS.md").read_bytes()}


def _ante(repo: Path, *args: str) -> tuple[int, str, str]:
    result = run_ante(["--repo", str(repo), *args], env=ENV)
    return result.code, result.out, result.err


@pytest.mark.parametrize("command", [["validate"], ["status"], ["balance"], ["rotation"]])
def test_an_older_format_is_refused_with_the_command_to_run(tmp_path: Path, command) -> None:
    repo = _old_team(tmp_path)
    code, _, err = _ante(repo, *command)
    assert code == 1
    assert "format 1 (ante 0.1.0)" in err and "upgrade`" in err, err
    assert "Traceback" not in err
    assert git(repo, "status", "--porcelain") == ""  # nothing written


def test_a_0_1_0_repository_upgrades_with_balances_schedule_and_history_unchanged(
    tmp_path: Path,
) -> None:
    repo = _old_team(tmp_path)
    data_before = _data(repo)
    balances_before = Store(repo).load().balances()
    entries_before = [e.id for e in Store(repo).load().entries]

    code, out, err = _ante(repo, "upgrade")
    assert code == 0, err
    assert "removed (1 files, ante 0.1.0's copy of the tool)" in out
    assert "+format: 2" in out  # the diff is shown

    assert _data(repo) == data_before  # journal, schedule, shifts, pages, backlog, STATUS.md
    code, out, err = _ante(repo, "balance", "--format", "json")
    assert code == 0, err
    assert json.loads(out) == balances_before
    assert [e.id for e in Store(repo).load().entries] == entries_before
    code, out, err = _ante(repo, "validate")
    # Since 0.2 a rotation names the managers paged when nobody is on call: the one thing an
    # upgrade cannot decide for the team. validate says where; one line fixes it.
    assert code == 1 and "rotations/oncall.yaml:32:13: no managers" in err, err
    rota = repo / "rotations/oncall.yaml"
    rota.write_text(rota.read_text().replace("escalation: []", "escalation: [alice]"))
    code, out, err = _ante(repo, "validate")
    assert code == 0, err
    code, schedule, err = _ante(repo, "rotation", "--weeks", "8", "--format", "json")
    assert code == 0, err
    assert json.loads(schedule)

    # A clean team repository: data and thin pinned workflows, no copy of the tool.
    assert not (repo / "scripts").exists()
    assert not (repo / "pyproject.toml").exists()
    assert not (repo / "templates").exists()  # unedited 0.1.0 copies: the package's are used
    assert not (repo / ".github" / "actions").exists()
    assert formats.read(repo) == formats.CURRENT
    issue = (repo / ".github/workflows/issue.yml").read_text()
    assert f"uses: ante-team/ante/.github/actions/setup-ante@{'a' * 40} # v{__version__}" in issue
    for retired in ("award", "emergency", "intake"):  # replaced by issue.yml: never both
        assert not (repo / f".github/workflows/{retired}.yml").exists()
    assert (repo / ".github/dependabot.yml").is_file()
    assert (repo / ".github/workflows/upgrade-check.yml").is_file()

    # Twice changes nothing the second time.
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "--quiet", "-m", "upgrade")
    code, out, _ = _ante(repo, "upgrade")
    assert code == 0 and "nothing to change" in out
    assert git(repo, "status", "--porcelain") == ""
    assert _ante(repo, "upgrade", "--check")[0] == 0


def test_the_check_fails_until_the_migration_is_committed(tmp_path: Path) -> None:
    repo = _old_team(tmp_path)
    env = {**ENV, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary")}
    result = run_ante(["--repo", str(repo), "upgrade", "--check"], env=env)
    assert result.code == 1
    assert "::error::" in result.out and "ante upgrade" in result.err
    assert "ante upgrade needed" in (tmp_path / "summary").read_text()
    assert git(repo, "status", "--porcelain") == ""  # --check writes nothing


def test_an_edited_template_stays_as_the_team_s_override(tmp_path: Path) -> None:
    repo = _old_team(tmp_path)
    mine = repo / "templates" / "award-comment.md.j2"
    mine.write_text(mine.read_text() + "\nThanks from the team!\n")
    assert _ante(repo, "upgrade")[0] == 0
    assert mine.is_file() and "Thanks from the team!" in mine.read_text()
    assert not (repo / "templates" / "STATUS.md.j2").exists()


def test_a_newer_format_is_refused_by_an_older_ante(tmp_path: Path) -> None:
    repo = _old_team(tmp_path)
    assert _ante(repo, "upgrade")[0] == 0
    (repo / "ante.yaml").write_text("format: 99\n")
    for command in (["validate"], ["upgrade"]):
        code, _, err = _ante(repo, *command)
        assert code == 1 and "newer than this ante" in err, err


def test_a_new_release_s_workflow_change_is_proposed_as_a_diff(tmp_path: Path) -> None:
    """What Dependabot's bump cannot do alone: a workflow this release changed."""
    repo = _old_team(tmp_path)
    assert _ante(repo, "upgrade")[0] == 0
    sync = repo / ".github/workflows/sync.yml"
    sync.write_text(sync.read_text().replace("name: sync", "name: sync-old", 1))
    code, out, _ = _ante(repo, "upgrade", "--check")
    assert code == 1
    assert "-name: sync-old" in out and "+name: sync" in out
    assert _ante(repo, "upgrade")[0] == 0
    assert _ante(repo, "upgrade", "--check")[0] == 0


def test_this_repository_is_an_up_to_date_example_team() -> None:
    """The shipped team files are this repository's own: `ante upgrade --check` here passes.

    After editing a workflow in .github/, copy it to scripts/ante/team/ (`make team-files`).
    """
    code, out, err = _ante(ROOT, "upgrade", "--check")
    assert code == 0, out + err
    shipped = {p.name for p in (ROOT / "scripts/ante/team/workflows").glob("*.yml")}
    uses_ante = {
        p.name
        for p in (ROOT / ".github/workflows").glob("*.yml")
        if "uses: ./.github/actions/setup-ante" in p.read_text()
    }
    assert uses_ante <= shipped, "a workflow that runs ante is missing from the team files"


def test_team_workflows_pass_zizmor_and_actionlint(tmp_path: Path) -> None:
    target = tmp_path / "t"
    assert run_ante(["init", str(target), "--members", "a,b"], env=ENV).code == 0
    bin_dir = Path(shutil.which("zizmor") or ROOT / ".venv/bin/zizmor").parent
    zizmor = subprocess.run(
        [str(bin_dir / "zizmor"), "--offline", "--quiet", str(target / ".github")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert zizmor.returncode == 0, zizmor.stdout + zizmor.stderr
    workflows = sorted(str(p) for p in (target / ".github/workflows").glob("*.yml"))
    lint = subprocess.run(
        [str(bin_dir / "actionlint"), *workflows],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_a_malformed_format_file_is_named_with_its_line(tmp_path: Path) -> None:
    repo = _old_team(tmp_path)
    assert _ante(repo, "upgrade")[0] == 0
    (repo / "ante.yaml").write_text("# ours\nformat: two\n")
    code, _, err = _ante(repo, "status")
    assert code == 1 and "ante.yaml:2:1:" in err and "Traceback" not in err


def test_the_pin_dependabot_set_for_this_version_is_kept(tmp_path: Path) -> None:
    """However the new ante was installed, the bump's pin for its own version is the one."""
    repo = _old_team(tmp_path)
    assert _ante(repo, "upgrade")[0] == 0
    bumped = "c" * 40
    for path in (repo / ".github/workflows").glob("*.yml"):
        path.write_text(path.read_text().replace("a" * 40, bumped))
    unstamped = {k: v for k, v in ENV.items() if k != "ANTE_ACTION_REF"}
    result = run_ante(["--repo", str(repo), "upgrade", "--check"], env=unstamped)
    assert result.code == 0, result.out + result.err
    old = (repo / ".github/workflows/sync.yml").read_text().replace(f"# v{__version__}", "# v0.1.9")
    (repo / ".github/workflows/sync.yml").write_text(old)
    result = run_ante(["--repo", str(repo), "upgrade", "--check"], env=unstamped)
    assert (
        result.code == 1
        and f"+      - uses: ante-team/ante/.github/actions/setup-ante@{bumped}" in result.out
    )
