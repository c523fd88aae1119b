"""The pull-request gate (issue 14): `.github/workflows/validate.yml` runs `ante validate
--against <base>` on every pull request touching the team's data, safely for forks."""

from __future__ import annotations

from pathlib import Path

import yaml
from testbed.ante import run_ante
from testbed.gitbed import git

ROOT = Path(__file__).resolve().parents[1]

WORKFLOW = ROOT / ".github" / "workflows" / "validate.yml"


def test_the_gate_runs_on_pull_requests_with_a_read_only_token() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request"}  # never pull_request_target
    assert {"ledger/**", "rotations/**"} <= set(triggers["pull_request"]["paths"])
    assert flow["permissions"] == {}
    [job] = flow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    steps = job["steps"]
    assert all(s.get("with", {}).get("persist-credentials") is False for s in steps[:2])
    assert steps[0]["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert steps[1]["with"]["path"] == "pr" and steps[1]["with"]["fetch-depth"] == 0
    run = steps[-1]["run"]
    assert run == 'ante --repo=pr validate --against "$BASE_SHA"'  # no event text in run:
    shipped = ROOT / "scripts" / "ante" / "team" / "workflows" / "validate.yml"
    assert shipped.read_text() == WORKFLOW.read_text()  # teams get the same gate


def _pull_request(team, edit) -> tuple[Path, str]:
    """A clone on a branch with `edit` applied and committed; returns it and the base sha."""
    repo = team.clone("pr")
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "change")
    edit(repo)
    git(repo, "commit", "-qam", "change")
    return repo, base


def _gate(repo: Path, base: str, tmp_path: Path):
    env = {
        "ANTE_NOW": "2026-11-20T09:00:00Z",
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    return run_ante(["--repo", str(repo), "validate", "--against", base], env=env)


def test_an_edited_entry_fails_the_gate_on_its_line(team, tmp_path: Path) -> None:
    def edit(repo: Path) -> None:
        path = repo / "ledger/journal/2026/entries.yaml"
        path.write_text(path.read_text().replace("member: bob, delta: 2", "member: bob, delta: 9"))

    repo, base = _pull_request(team, edit)
    result = _gate(repo, base, tmp_path)
    assert result.code == 1
    assert "::error file=ledger/journal/2026/entries.yaml,line=" in result.out
    assert "edited after it was committed" in result.err


def test_a_removed_entry_and_a_broken_file_fail_the_gate(team, tmp_path: Path) -> None:
    def edit(repo: Path) -> None:
        path = repo / "ledger/journal/2026/entries.yaml"
        path.write_text("".join(path.read_text().splitlines(keepends=True)[:-1]))
        rotation = repo / "rotations/oncall.yaml"
        rotation.write_text(rotation.read_text() + "horizon_weeks: 010\n")

    repo, base = _pull_request(team, edit)
    result = _gate(repo, base, tmp_path)
    assert result.code == 1
    assert "was removed" in result.err
    assert "::error file=rotations/oncall.yaml,line=" in result.out


def test_an_appended_entry_passes_the_gate(team, tmp_path: Path) -> None:
    def edit(repo: Path) -> None:
        path = repo / "ledger/journal/2026/entries.yaml"
        path.write_text(
            path.read_text() + "- {id: fix1, date: 2026-11-19, kind: adjust, member: bob, "
            "delta: 1, ref: manual, reason: award lost to an outage}\n"
        )

    repo, base = _pull_request(team, edit)
    result = _gate(repo, base, tmp_path)
    assert result.code == 0, result.err
