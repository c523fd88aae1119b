"""The workflows' security and shape rules, beyond what zizmor and actionlint check."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ante import cli

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# The tool's own release workflow builds the package: not an `ante` run, not a ledger writer.
TEAM_WORKFLOWS = [p for p in WORKFLOWS if p.name != "release.yml"]
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
UNTRUSTED = re.compile(r"\$\{\{[^}]*(github\.event|inputs\.|github\.head_ref)[^}]*\}\}")
BIN = Path(sys.executable).parent


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads `on:` as True
    return data


def _steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, job, step


def test_there_are_workflows() -> None:
    assert len(WORKFLOWS) >= 1


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_per_job(path: Path) -> None:
    workflow = _load(path)
    assert workflow.get("permissions") == {}, "top level grants nothing; jobs ask for theirs"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} must declare its permissions"
        assert "write-all" not in str(job["permissions"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_and_no_event_text_in_shell(path: Path) -> None:
    for name, _, step in _steps(_load(path)):
        uses = step.get("uses")
        if uses:
            assert uses.startswith("./") or PINNED.match(uses), f"{name}: {uses} is not pinned"
        run = step.get("run")
        if run:
            assert not UNTRUSTED.search(run), f"{name}: event text interpolated into run:"


@pytest.mark.parametrize("path", TEAM_WORKFLOWS, ids=lambda p: p.name)
def test_each_run_step_is_one_known_ante_command(path: Path) -> None:
    for name, _, step in _steps(_load(path)):
        run = step.get("run")
        if not run:
            continue
        words = shlex.split(run.replace("\\\n", " "))
        assert words[0] == "ante", f"{name}: a run step is one `ante ...` call, got {run!r}"
        command = next(w for w in words[1:] if not w.startswith("-") and "$" not in w)
        assert command in cli.COMMANDS, f"{name}: unknown ante command {command!r}"


@pytest.mark.parametrize("path", TEAM_WORKFLOWS, ids=lambda p: p.name)
def test_ledger_writers_share_one_uncancelled_concurrency_group(path: Path) -> None:
    workflow = _load(path)
    writes = any(
        isinstance(job.get("permissions"), dict) and job["permissions"].get("contents") == "write"
        for job in workflow["jobs"].values()
    )
    if writes:
        assert workflow.get("concurrency") == {"group": "ante-ledger", "cancel-in-progress": False}


def test_zizmor_and_actionlint_find_nothing() -> None:
    zizmor = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--quiet", ".github/workflows", ".github/actions"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert zizmor.returncode == 0, zizmor.stdout + zizmor.stderr
    actionlint = subprocess.run(
        [str(BIN / "actionlint"), *map(str, WORKFLOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert actionlint.returncode == 0, actionlint.stdout + actionlint.stderr
