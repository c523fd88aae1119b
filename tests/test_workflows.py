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


APP_ACTION = "actions/create-github-app-token@"
PUSHING = ("--push", "--open-pr")  # the options under which ante pushes


def _pushes(steps: list) -> bool:
    return any(flag in step.get("run", "") for step in steps for flag in PUSHING)


def _writers(workflow: dict):
    for name, job in workflow["jobs"].items():
        perms = job.get("permissions")
        if isinstance(perms, dict) and perms.get("contents") == "write":
            yield name, job


@pytest.mark.parametrize("path", TEAM_WORKFLOWS, ids=lambda p: p.name)
def test_concurrency_sits_on_jobs_never_on_the_workflow(path: Path) -> None:
    """A workflow-level group is entered before any job's `if:`: a skipped run would still
    take the one pending place and cancel a run that mattered."""
    workflow = _load(path)
    assert "concurrency" not in workflow
    for name, job in _writers(workflow):
        group = job.get("concurrency") or {}
        assert group.get("group"), f"{name}: a ledger writer has a job-level group"
        assert not group.get("cancel-in-progress"), f"{name}: never cancel a writer in progress"


def test_each_issue_has_its_own_queue_and_batch_jobs_their_own_groups() -> None:
    groups: dict[str, tuple[str, dict]] = {}
    for path in TEAM_WORKFLOWS:
        for name, job in _load(path)["jobs"].items():
            if "concurrency" in job:
                groups[f"{path.stem}/{name}"] = (
                    str(job["concurrency"]["group"]),
                    job["concurrency"],
                )
    issue_group, issue = groups.pop("issue/issue")
    # The escalation watcher stays with one emergency: keyed by that issue too, its own queue.
    watch_group, watch = groups.pop("escalate/watch")
    assert "github.event.issue.html_url" in watch_group and watch_group != issue_group
    assert not watch.get("cancel-in-progress")
    assert "github.event.issue.html_url" in issue_group  # keyed by the subject
    assert "client_payload.issue.html_url" in issue_group  # forwarded events: the same key
    assert issue.get("queue") == "max"  # every event of one issue runs, in order
    batch = [group for group, _ in groups.values()]
    assert len(batch) == len(set(batch)), "each batch job has a group of its own"
    assert all("${{" not in group for group in batch)
    assert not any(group.startswith("ante-issue") for group in batch)


@pytest.mark.parametrize("path", TEAM_WORKFLOWS, ids=lambda p: p.name)
def test_jobs_that_write_use_the_app_token_with_exactly_their_permissions(path: Path) -> None:
    for name, job in _writers(_load(path)):
        steps = job["steps"]
        mint = steps[0]
        assert mint.get("id") == "app" and mint["uses"].startswith(APP_ACTION), name
        assert mint.get("continue-on-error") is True  # ante names the secret, not a traceback
        asked = {
            key.removeprefix("permission-"): value
            for key, value in mint["with"].items()
            if key.startswith("permission-")
        }
        assert asked == job["permissions"], f"{name}: the App token asks for what the job needs"
        assert mint["with"]["repositories"] == "${{ vars.ANTE_REPOSITORIES }}"
        checkout = steps[1]
        assert checkout["uses"].startswith("actions/checkout@")
        assert checkout["with"]["token"] == "${{ steps.app.outputs.token || github.token }}"
        pushes = _pushes(steps)
        assert checkout["with"]["persist-credentials"] is pushes, name
        for step in steps:
            if "run" in step:
                env = step.get("env") or {}
                assert env.get("GITHUB_TOKEN") == checkout["with"]["token"], name
                assert env.get("ANTE_APP_TOKEN") == "${{ steps.app.outcome }}", name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_that_do_not_push_keep_no_credential(path: Path) -> None:
    for name, job in _load(path)["jobs"].items():
        pushes = _pushes(job.get("steps", []))
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("actions/checkout@") and not pushes:
                assert step["with"]["persist-credentials"] is False, name


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


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_schedules_avoid_the_top_of_the_hour(path: Path) -> None:
    """GitHub's scheduler is busiest at :00 and delays or drops runs there."""
    on = _load(path)["on"]
    for entry in (on.get("schedule") or []) if isinstance(on, dict) else []:
        minute = entry["cron"].split()[0]
        assert minute not in ("0", "*", "00") and not minute.startswith(("*/", "0/", "0-")), (
            f"{path.name}: cron {entry['cron']!r} runs at the top of the hour"
        )
