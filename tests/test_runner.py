"""The test bed's Actions runner keeps GitHub's documented rules (concurrency, tokens, triggers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from testbed.actions import UnknownAction, WorkflowError, World, bridge
from testbed.actions.triggers import cron_times, filter_matches, starts

CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"


def dispatched(group: str, *, queue: str = "", cancel: bool = False, job_if: str = "") -> str:
    """A workflow run by hand into the workflow-level `group`; its job sleeps a while."""
    extra = f"\n  queue: {queue}" if queue else ""
    condition = f"\n    if: {job_if}" if job_if else ""
    return f"""
name: work
on:
  workflow_dispatch:
    inputs:
      label: {{required: false, default: "", type: string}}
concurrency:
  group: {group}
  cancel-in-progress: {str(cancel).lower()}{extra}
permissions: {{}}
jobs:
  work:{condition}
    runs-on: ubuntu-latest
    permissions: {{}}
    steps:
      - run: echo "working on $LABEL"
        env:
          LABEL: ${{{{ inputs.label }}}}
"""


def three_runs(world: World) -> list:
    runs = []
    for label in ("first", "second", "third"):
        (run,) = world.dispatch("work.yml", {"label": label}).runs
        runs.append(run)
    world.runner.drain()
    return runs


def test_a_group_keeps_one_pending_run_and_cancels_the_older(actions: Callable[..., World]) -> None:
    world = actions(workflows={"work.yml": dispatched("ledger")})
    first, second, third = three_runs(world)
    assert [first.conclusion, second.conclusion, third.conclusion] == [
        "success",
        "cancelled",
        "success",
    ]
    assert "higher priority waiting request for 'ledger'" in (second.cancel_reason or "")
    assert third.started_at >= first.finished_at  # never two at once in the group
    assert "working on third" in third.log


def test_queue_max_runs_every_one_in_order(actions: Callable[..., World]) -> None:
    world = actions(workflows={"work.yml": dispatched("ledger", queue="max")})
    runs = three_runs(world)
    assert [r.conclusion for r in runs] == ["success"] * 3
    starts_ = [r.started_at for r in runs]
    assert starts_ == sorted(starts_)
    assert runs[1].started_at >= runs[0].finished_at
    assert runs[2].started_at >= runs[1].finished_at


def test_queue_max_holds_at_most_100_waiting(actions: Callable[..., World]) -> None:
    world = actions(workflows={"work.yml": dispatched("ledger", queue="max")})
    runs = [world.dispatch("work.yml").runs[0] for _ in range(102)]
    assert runs[0].status == "in_progress"
    assert runs[1].conclusion == "cancelled"  # the oldest waiting gave way to the 102nd
    assert world.runner.groups("o/r").snapshot()["ledger"] == (1, 100)


def test_cancel_in_progress_cancels_the_running_one(actions: Callable[..., World]) -> None:
    world = actions(workflows={"work.yml": dispatched("ledger", cancel=True)})
    first = world.dispatch("work.yml").runs[0]
    world.runner.advance(timedelta(seconds=5))
    second = world.dispatch("work.yml").runs[0]
    world.runner.drain()
    assert first.conclusion == "cancelled" and second.conclusion == "success"


def test_a_run_whose_jobs_are_skipped_still_takes_its_place_in_a_workflow_group(
    actions: Callable[..., World],
) -> None:
    world = actions(workflows={"work.yml": dispatched("ledger", job_if="inputs.label != 'noise'")})
    running = world.dispatch("work.yml", {"label": "one"}).runs[0]
    pending = world.dispatch("work.yml", {"label": "two"}).runs[0]
    noise = world.dispatch("work.yml", {"label": "noise"}).runs[0]
    world.runner.drain()
    assert running.conclusion == "success"
    assert pending.conclusion == "cancelled"  # pushed out by a run that did nothing
    assert noise.conclusion == "skipped"
    assert noise.jobs["work"].conclusion == "skipped"


def test_a_skipped_job_never_enters_a_job_level_group(actions: Callable[..., World]) -> None:
    workflow = """
on:
  workflow_dispatch:
    inputs:
      label: {required: false, default: "", type: string}
permissions: {}
jobs:
  work:
    if: inputs.label != 'noise'
    concurrency: ledger-${{ github.repository }}
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - run: echo working
"""
    world = actions(workflows={"work.yml": workflow})
    running = world.dispatch("work.yml", {"label": "one"}).runs[0]
    pending = world.dispatch("work.yml", {"label": "two"}).runs[0]
    world.runner.advance(timedelta(seconds=1))
    noise = world.dispatch("work.yml", {"label": "noise"}).runs[0]
    world.runner.drain()
    assert [running.conclusion, pending.conclusion, noise.conclusion] == [
        "success",
        "success",
        "skipped",
    ]
    assert "ledger-o/r" in world.runner.groups("o/r").snapshot()


PUSHER = f"""
on: workflow_dispatch
permissions: {{}}
jobs:
  write:
    runs-on: ubuntu-latest
    permissions:
      contents: ${{{{ 'write' }}}}
    steps:
      - uses: {CHECKOUT}
      - run: |
          git -c user.name=bot -c user.email=bot@x commit --allow-empty -qm bot
          git push -q origin HEAD:main
"""
ON_PUSH = """
on:
  push:
    branches: [main]
permissions: {}
jobs:
  notice:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - run: echo "pushed by $GITHUB_ACTOR"
"""


def test_a_push_made_with_github_token_starts_no_run(actions: Callable[..., World]) -> None:
    world = actions(workflows={"pusher.yml": PUSHER, "on-push.yml": ON_PUSH})
    world.dispatch("pusher.yml")
    world.runner.drain()
    (pusher,) = world.runner.runs
    assert pusher.conclusion == "success", pusher.log
    (push,) = [d for d in world.runner.deliveries if d.name == "push"]
    assert push.fate == "ignored" and push.actor == "github-actions[bot]"
    assert push.runs == []
    # the same push by a person starts the workflow
    world.push({"notes.txt": "hello\n"}, by="alice")
    world.runner.drain()
    (notice,) = world.runner.runs_of("on-push.yml")
    assert notice.conclusion == "success" and "pushed by alice" in notice.log


def test_the_token_has_the_jobs_permissions_only(actions: Callable[..., World]) -> None:
    read_only = PUSHER.replace("${{ 'write' }}", "read")
    no_credentials = PUSHER.replace(
        f"uses: {CHECKOUT}",
        f"uses: {CHECKOUT}\n        with:\n          persist-credentials: false",
    )
    world = actions(workflows={"ro.yml": read_only, "nocred.yml": no_credentials})
    ro = world.dispatch("ro.yml").runs[0]
    nocred = world.dispatch("nocred.yml").runs[0]
    world.runner.drain()
    assert ro.conclusion == "failure"
    assert "Permission to o/r.git denied to github-actions[bot]" in ro.log
    assert nocred.conclusion == "failure"
    assert "could not read Username" in nocred.log


def test_a_pending_run_checks_out_the_commit_of_its_event(actions: Callable[..., World]) -> None:
    workflow = f"""
on: workflow_dispatch
concurrency: ledger
permissions: {{}}
jobs:
  show:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT}
      - run: git rev-parse HEAD && echo "sha $GITHUB_SHA"
"""
    world = actions(workflows={"show.yml": workflow})
    first = world.dispatch("show.yml").runs[0]
    before = world.remotes.head("o/r")
    waiting = world.dispatch("show.yml").runs[0]
    world.push({"later.txt": "x\n"}, by="bob")  # main moves while the run waits
    world.runner.drain()
    assert first.conclusion == waiting.conclusion == "success"
    assert waiting.sha == before != world.remotes.head("o/r")
    assert f"{before}\nsha {before}" in waiting.log


def test_run_steps_see_what_actions_sets(actions: Callable[..., World]) -> None:
    workflow = f"""
on:
  issues:
    types: [labeled]
permissions: {{}}
env:
  WHERE: ${{{{ github.repository }}}}
jobs:
  look:
    if: github.event.label.name == 'overhead'
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT}
      - id: first
        run: |
          echo "event=$GITHUB_EVENT_NAME repo=$GITHUB_REPOSITORY where=$WHERE"
          echo "actions=$GITHUB_ACTIONS"
          echo "api=$GITHUB_API_URL ref=$GITHUB_REF sha=$GITHUB_SHA"
          jq -r .label.name "$GITHUB_EVENT_PATH"
          echo "### summary" >> "$GITHUB_STEP_SUMMARY"
          echo "answer=42" >> "$GITHUB_OUTPUT"
          echo "LATER=yes" >> "$GITHUB_ENV"
          test -d "$RUNNER_TEMP" && test -f README.md
      - run: echo "answer ${{{{ steps.first.outputs.answer }}}} later $LATER"
"""
    world = actions(workflows={"look.yml": workflow})
    number = world.open_issue("Flaky build")
    world.label(number, "bug")
    world.label(number, "overhead")
    world.runner.drain()
    skipped, ran = world.runner.runs_of("look.yml")
    assert skipped.conclusion == "skipped"
    assert ran.conclusion == "success", ran.log
    head = world.remotes.head("o/r")
    assert "event=issues repo=o/r where=o/r\nactions=true" in ran.log
    assert f"api={world.fake.url} ref=refs/heads/main sha={head}" in ran.log
    assert "\noverhead\n" in ran.log
    assert "answer 42 later yes" in ran.log
    assert ran.summary == "### summary\n"
    opened = next(d for d in world.runner.deliveries if d.payload.get("action") == "opened")
    assert opened.runs == []  # types: [labeled] only


def test_an_action_the_runner_does_not_know_fails_loudly(actions: Callable[..., World]) -> None:
    workflow = """
on: workflow_dispatch
permissions: {}
jobs:
  x:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - uses: actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f
"""
    world = actions(workflows={"x.yml": workflow})
    world.dispatch("x.yml")
    with pytest.raises(UnknownAction, match="upload-artifact"):
        world.runner.drain()


def test_a_workflow_github_would_reject_stops_the_test(actions: Callable[..., World]) -> None:
    world = actions(workflows={"bad.yml": "on: push\njobs:\n  x:\n    runs-on: [\n"})
    with pytest.raises(WorkflowError, match=r"bad\.yml"):
        world.push({"a.txt": "a"}, by="alice")


def test_schedules_fire_late_and_in_utc(actions: Callable[..., World]) -> None:
    workflow = """
on:
  schedule:
    - cron: "5 * * * 3"
permissions: {}
jobs:
  tick:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - run: echo tick
"""
    monday = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
    world = actions(workflows={"tick.yml": workflow}, start=monday)
    world.runner.advance(timedelta(hours=39))  # Tuesday 23:00
    assert world.runner.runs == []
    world.runner.advance(timedelta(hours=26))  # Thursday 01:00
    world.runner.drain()
    ticks = world.runner.runs_of("tick.yml")
    assert len(ticks) == 24
    assert {run.created_at.weekday() for run in ticks} == {2}  # Wednesday, UTC
    assert all(6 <= run.created_at.minute <= 15 for run in ticks)  # 1 to 10 minutes late
    assert all(run.conclusion == "success" for run in ticks)


def test_the_same_seed_gives_the_same_timeline(actions: Callable[..., World]) -> None:
    def timeline(seed: int) -> list:
        world = actions(workflows={"work.yml": dispatched("ledger", queue="max")}, seed=seed)
        three_runs(world)
        return [(r.conclusion, r.started_at, r.finished_at) for r in world.runner.runs]

    assert timeline(7) == timeline(7)
    assert timeline(7) != timeline(8)


def test_filters_and_cron_follow_githubs_syntax() -> None:
    assert filter_matches(["rotations/**"], "rotations/team/oncall.yaml")
    assert not filter_matches(["rotations/*"], "rotations/team/oncall.yaml")
    assert not filter_matches(["releases/**", "!releases/**-alpha"], "releases/v2-alpha")
    assert filter_matches(["v[12].[0-9]+"], "v1.10")
    events = {"pull_request": {"paths": ["rotations/**"]}}
    payload = {"action": "opened", "pull_request": {"base": {"ref": "main"}}}
    assert starts(events, "pull_request", payload, ["rotations/oncall.yaml"])
    assert not starts(events, "pull_request", payload, ["README.md"])
    assert not starts(events, "pull_request", {**payload, "action": "labeled"}, ["rotations/a"])
    monday = datetime(2026, 11, 16, tzinfo=UTC)
    fortnight = list(cron_times("0 7 * * 1", monday, monday + timedelta(days=14)))
    assert [(t.day, t.hour) for t in fortnight] == [(16, 7), (23, 7)]
    assert len(list(cron_times("23 * * * *", monday, monday + timedelta(days=1)))) == 24


def test_expressions_are_githubs() -> None:
    contexts = {"github": {"event": {"issue": {"labels": [{"name": "overhead:large"}]}}}}
    assert bridge().holds("contains(github.event.issue.labels.*.name, 'overhead:large')", contexts)
    assert not bridge().holds("contains(github.event.issue.labels.*.name, 'overhead')", contexts)
    assert bridge().evaluate({"$expr": "format('{0}-x', 1)"}, {}) == "1-x"


def test_a_runner_lost_mid_push_leaves_the_push_and_loses_the_rest(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)  # this repository's own workflows
    number = world.open_issue("Rotate keys", labels=["overhead"], assignees=["alice"])
    world.runner.drain()
    world.fake.close_issue("o/r", number, by="alice")
    world.runner.kill_next_push("issue")
    world.dispatch("issue.yml", {"issue": f"o/r#{number}"})  # re-applied by hand: one run
    world.runner.drain()
    (award,) = [r for r in world.runner.runs_of("issue") if r.event == "workflow_dispatch"]
    assert award.conclusion == "failure"
    assert "lost communication with the server" in award.log
    # the journal entry landed before the runner died; the comment never came
    assert f"issues/{number}" in (world.show("ledger/journal/2026/entries.yaml") or "")
    assert not any("chip" in c.body for c in world.fake.comments("o/r", number))
