"""Every workflow in .github/workflows, run by the test bed's Actions from a GitHub event.

Each test starts from what a person does on GitHub (or from the clock, for schedules); the runner
decides which workflows run, queues them in their concurrency groups and executes their steps
against the fake GitHub and its git remote. Nothing here calls `ante` directly.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
import yaml
from testbed import nights
from testbed.actions import Run, World
from testbed.fakegithub import remote as fakeremote
from testbed.receivers import Receivers

ROOT = Path(__file__).resolve().parents[1]
TAG = "<!-- ante:issue -->"
HOUR = timedelta(hours=1)
T = TypeVar("T")


def journal(world: World) -> list[dict]:
    text = world.show("ledger/journal/2026/entries.yaml") or "entries: []"
    return yaml.safe_load(text).get("entries") or []


def ante_comments(world: World, number: int, repo: str = "o/r") -> list[str]:
    return [c.body for c in world.fake.comments(repo, number) if TAG in c.body]


def git_diff_names(world: World, base: str, head: str) -> list[str]:
    remote = world.remotes.path(world.repo)
    out = subprocess.run(
        ["git", "-C", str(remote), "diff", "--name-only", base, head],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def only(items: list[T]) -> T:
    assert len(items) == 1, items
    return items[0]


def succeeded(run: Run) -> Run:
    assert run.conclusion == "success", run.log
    return run


def test_issue_pays_the_assignee_when_the_issue_closes(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    number = world.open_issue("Rotate the signing key", labels=["overhead"], assignees=["alice"])
    world.runner.drain()
    closed = world.close(number, by="alice")
    world.runner.drain()
    succeeded(only([r for r in closed.runs if r.name == "issue"]))
    url = f"https://github.com/o/r/issues/{number}"
    assert [(e["member"], e["delta"]) for e in journal(world) if e["ref"] == url] == [("alice", 1)]
    (comment,) = ante_comments(world, number)  # one comment: acknowledgement and award
    assert "@alice" in comment


def test_issue_by_hand_reapplies_one_issue(actions: Callable[..., World]) -> None:
    world = actions(schedules=False)
    number = world.fake.add_issue(
        "o/r",
        title="Renew the domain",
        labels=["overhead:large"],
        label_actor="alice",
        assignees=["bob"],
    )
    world.fake.close_issue("o/r", number, by="bob")
    run = only(world.dispatch("issue.yml", {"issue": f"o/r#{number}"}).runs)
    world.runner.drain()
    succeeded(run)
    url = f"https://github.com/o/r/issues/{number}"
    entries = [(e["member"], e["delta"]) for e in journal(world) if e["ref"] == url]
    assert entries == [("bob", 2)], run.log
    assert any("@bob" in body for body in ante_comments(world, number)), run.log


def test_events_that_concern_nothing_start_no_runner(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    number = world.open_issue("A question", labels=["question"])
    world.label(number, "docs")
    world.runner.drain()
    runs = world.runner.runs_of("issue")
    assert runs and all(r.conclusion == "skipped" for r in runs)
    assert all(j.status == "completed" and j.steps == [] for r in runs for j in r.jobs.values())


SATURDAY_NIGHT = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)  # alice captain, bob first-mate
MONDAY_MORNING = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)


@pytest.fixture
def night_world(actions: Callable[..., World], receivers: Receivers) -> Callable[..., World]:
    """The team with an out-of-hours volunteer rotation (dave), managers and every channel."""

    def make(start: datetime) -> World:
        world = actions(
            schedules=False,
            start=start - HOUR,
            members=nights.PEOPLE[:4],
            secrets=receivers.env(),
        )
        for login in ("mgr1", "mgr2"):
            world.fake.add_user(login)
        world.push(
            nights.files(
                world.show("rotations/oncall.yaml") or "",
                world.show("ledger/policy.yaml") or "",
                receivers.policy(backoff=0),
            ),
            by="alice",
            message="Out-of-hours volunteers, managers, channels",
        )
        world.runner.advance(until=start)
        return world

    return make


def pages(world: World) -> dict[int, dict]:
    entries = yaml.safe_load(world.show("ledger/pages/2026.yaml") or "pages: []")["pages"]
    return {entry["number"]: entry for entry in entries}


def test_a_night_nobody_answers_escalates_on_the_runner(
    night_world: Callable[..., World], receivers: Receivers
) -> None:
    world = night_world(SATURDAY_NIGHT)
    opened = world.open_issue("Checkout is down", labels=["product-emergency"], by="carol")
    world.runner.drain()
    labeled = [d for d in world.runner.deliveries if d.payload.get("action") == "labeled"]
    runs = {run.name: succeeded(run) for run in only(labeled).runs}
    assert sorted(runs) == ["escalate", "issue"]

    page = pages(world)[opened]
    assert page["out_of_hours"] is True and page["woken"] == ["dave", "bob", "mgr1", "mgr2"]
    paged = page["paged_at"]
    # the watcher checks once a minute: each step comes within a minute of its delay
    first_mate = page["first_mate_at"] - paged
    managers = page["managers_at"] - paged
    assert timedelta(minutes=10) <= first_mate < timedelta(minutes=11), page
    assert timedelta(minutes=30) <= managers < timedelta(minutes=31), page
    assert world.fake.issue("o/r", opened).assignees == ["dave", "bob", "mgr1", "mgr2"]
    (comment,) = [c.body for c in world.fake.comments("o/r", opened) if "ante:emergency" in c.body]
    log = comment.split("Log:")[1]
    assert [line.split(": ", 1)[1] for line in log.strip().splitlines()[:3]] == [
        "paged @dave",
        "no acknowledgement: paged the first-mate @bob",
        "no acknowledgement: paged the managers @mgr1, @mgr2",
    ]
    assert [h["type"] for h in receivers.webhooks] == [
        "ante.page",
        "ante.escalate",
        "ante.escalate",
    ]
    assert receivers.incidents == 1  # one PagerDuty alert for the whole night
    # the watcher's job ended with the last step: it billed about half an hour, not three
    watcher = runs["escalate"]
    assert watcher.finished_at is not None
    assert watcher.finished_at - paged < timedelta(minutes=33), watcher.finished_at


def test_an_answer_on_the_issue_ends_the_watch(night_world: Callable[..., World]) -> None:
    world = night_world(SATURDAY_NIGHT)
    opened = world.open_issue("Checkout is down", labels=["product-emergency"], by="carol")
    world.runner.advance(timedelta(minutes=4))
    world.fake.add_comment("o/r", opened, "on it", user="dave")
    world.runner.drain()
    page = pages(world)[opened]
    assert page["woken"] == ["dave"] and page["acknowledged_by"] == "dave", page
    assert world.fake.issue("o/r", opened).assignees == ["dave"]
    (watcher,) = world.runner.runs_of("escalate")
    assert watcher.finished_at is not None
    assert watcher.finished_at - SATURDAY_NIGHT < timedelta(minutes=7)


def test_an_emergency_in_working_hours_pages_the_captain(
    night_world: Callable[..., World],
) -> None:
    world = night_world(MONDAY_MORNING)
    opened = world.open_issue("Checkout is down", labels=["product-emergency"], by="carol")
    world.runner.advance(timedelta(minutes=3))
    page = pages(world)[opened]
    assert page["out_of_hours"] is False and page["woken"] == [page["captain"]], page
    assert world.fake.issue("o/r", opened).assignees == [page["captain"]]
    comments = [c.body for c in world.fake.comments("o/r", opened)]
    assert any(f"@{page['first_mate']}: please back the captain up" in b for b in comments)


POSTMORTEM = """Post-mortem of #1.

## What we changed, and what we will change

- [ ] Add a runbook for the payment gateway @bob due 2026-11-25
- [ ] Alert on checkout error rate (due: 2026-12-20)
- [x] Rolled back the deploy
"""


def test_followup_opens_a_closed_post_mortems_actions_and_reopens_it(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    pm = world.fake.add_issue(
        "o/r",
        title="Post-mortem: Checkout is down",
        body=POSTMORTEM,
        labels=["postmortem"],
        assignees=["alice"],
        user="alice",
    )
    closed = world.close(pm, by="alice")
    world.runner.drain()
    succeeded(only([r for r in closed.runs if r.name == "followup"]))
    made = [i for i in world.fake.issues("o/r") if "postmortem-action" in i.labels]
    assert sorted(i.title for i in made) == [
        "Post-mortem action: Add a runbook for the payment gateway",
        "Post-mortem action: Alert on checkout error rate",
    ]
    assert world.fake.issue("o/r", pm).state == "open"  # its actions are not done
    # ante's own writes (the reopen, the new issues: GITHUB_TOKEN's) started no other run
    ran = [r for r in world.runner.runs_of("followup") if r.conclusion != "skipped"]
    assert ran == [r for r in closed.runs if r.name == "followup"]


def test_adjust_proposes_a_correction_as_a_pull_request(actions: Callable[..., World]) -> None:
    world = actions(schedules=False)
    main_before = world.remotes.show(world.repo, "ledger/journal/2026", "main")
    reason = "Paid twice for #12 $(touch pwned) `id`"  # text stays text, never a command
    run = only(
        world.dispatch("adjust.yml", {"member": "bob", "chips": "-1", "reason": reason}).runs
    )
    world.runner.drain()
    assert succeeded(run).name == "adjust"
    (pull,) = world.fake.pulls("o/r")
    assert pull.pull is not None and pull.pull.head.startswith("ante/adjust/")
    assert world.remotes.show(world.repo, "ledger/journal/2026", "main") == main_before
    changed = git_diff_names(world, "main", pull.pull.head)
    (name,) = changed
    assert name.startswith("ledger/journal/2026/adjust-"), changed
    (entry,) = yaml.safe_load(world.show(name, pull.pull.head) or "")["entries"]
    assert (entry["member"], entry["delta"]) == ("bob", -1) and entry["reason"] == reason, entry
    workspace = world.runner.root
    assert not list(workspace.rglob("pwned"))


OLD_WORKFLOWS = ROOT / "tests/fixtures/team-0.1.0/.github/workflows"  # one `ante-ledger` group


def old_workflows(world_like: World) -> dict[str, str]:
    """0.1.0's workflows, set up as today's are (the same ante; only concurrency differs)."""
    today = world_like.show(".github/workflows/issue.yml") or ""
    setup = re.search(r"uses: (\S+/setup-ante@\S+)", today)
    assert setup is not None
    return {
        path.name: path.read_text().replace("./.github/actions/setup-ante", setup.group(1))
        for path in OLD_WORKFLOWS.glob("*.yml")
    }


def label_burst(world: World) -> int:
    """20 label changes in a minute on five overhead issues, an emergency opened among them."""
    issues = [
        world.fake.add_issue("o/r", title=f"Chore {k}", assignees=["bob"], user="bob")
        for k in range(5)
    ]
    emergency = 0
    for k in range(20):
        if k == 10:
            emergency = world.open_issue(
                "Checkout is down", labels=["product-emergency"], by="carol"
            )
        name = "overhead" if k % 2 == 0 else "customer"
        world.label(issues[k % 5], name, by="alice")
        world.runner.advance(timedelta(seconds=3))
    world.runner.drain()
    return emergency


def paged(world: World, number: int) -> bool:
    return number in pages(world) and bool(world.fake.issue("o/r", number).assignees)


def test_a_burst_cancels_the_old_workflows_page_and_loses_nothing_with_todays(
    actions: Callable[..., World],
) -> None:
    today = actions(schedules=False)
    emergency = label_burst(today)
    assert paged(today, emergency)
    assert not [r for r in today.runner.runs if r.conclusion == "cancelled"]

    old = actions(schedules=False, workflows=old_workflows(today))
    emergency = label_burst(old)
    cancelled = [r for r in old.runner.runs if r.conclusion == "cancelled"]
    assert cancelled, "the old workflows' one group cancels pending runs in a burst"
    assert not paged(old, emergency), "the old workflows lost this page"
    assert any(r.name == "emergency" for r in cancelled)


def test_issue_acknowledges_a_new_overhead_issue(actions: Callable[..., World]) -> None:
    world = actions(schedules=False)
    number = world.open_issue("Upgrade the CI image", labels=["overhead"], by="carol")
    world.runner.drain()
    succeeded(only([r for r in world.runner.runs_of("issue") if r.conclusion != "skipped"]))
    (ack,) = ante_comments(world, number)
    assert "queue" in ack.lower()


def forwarded_close(world: World) -> tuple[int, list[Run]]:
    """bob closes an overhead:large issue of the private product repository (labelled by alice,
    who has triage rights there); the product repository forwards the event."""
    world.add_product("o/product")
    world.fake.set_permission("o/product", "alice", "triage")
    number = world.fake.add_issue(
        "o/product",
        title="Flaky deploy",
        labels=["overhead:large"],
        label_actor="alice",
        assignees=["bob"],
        user="bob",
    )
    world.fake.close_issue("o/product", number, by="bob")
    delivery = world.forward("closed", number, repo="o/product", by="bob")
    assert delivery is not None
    world.runner.drain()
    assert [r.name for r in delivery.runs] == ["issue"]
    return number, delivery.runs


def test_forwarded_product_closes_are_paid_and_told_with_the_app(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    world.install_app(["o/r", "o/product"])
    number, runs = forwarded_close(world)
    (run,) = runs
    succeeded(run)
    assert "Created an installation token for o/r, o/product" in run.log
    url = f"https://github.com/o/product/issues/{number}"
    assert [(e["member"], e["delta"]) for e in journal(world) if e["ref"] == url] == [("bob", 2)]
    assert any("@bob" in body for body in ante_comments(world, number, "o/product"))


def test_without_the_app_a_private_product_repository_is_out_of_reach(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    number, runs = forwarded_close(world)
    (run,) = runs
    assert run.conclusion == "failure"
    assert "ANTE_APP_CLIENT_ID" in run.log  # the error names the credential to set up
    assert ante_comments(world, number, "o/product") == []


def close_overhead(world: World) -> tuple[int, Run]:
    number = world.open_issue("Rotate the signing key", labels=["overhead"], assignees=["alice"])
    world.runner.drain()
    closed = world.close(number, by="alice")
    world.runner.drain()
    return number, only([r for r in closed.runs if r.name == "issue"])


def test_the_apps_own_writes_start_runs_that_stop_at_their_filters(
    actions: Callable[..., World],
) -> None:
    """Events made with the App's token start workflows (GITHUB_TOKEN's would not): ante's
    comments, labels and assignments come back as events, and no workflow loops on them."""
    world = actions(schedules=False)
    world.install_app(["o/r"])
    opened = world.open_issue("Checkout is down", labels=["product-emergency"], by="carol")
    _, run = close_overhead(world)
    succeeded(run)
    world.runner.drain()
    caused = [d for d in world.runner.deliveries if d.actor == "ante-app[bot]"]
    kinds = {(d.name, d.payload.get("action")) for d in caused}
    assert ("issue_comment", "created") in kinds, kinds
    started = [r for d in caused for r in d.runs]
    assert started, "the App's events start runs, as GitHub's do"
    assert all(r.conclusion == "skipped" for r in started), [
        (d.name, d.payload.get("action"), d.runs) for d in caused
    ]
    assert world.fake.issue("o/r", opened).assignees  # the page itself went out


def test_a_ruleset_without_the_apps_bypass_stops_at_the_first_push_saying_what_to_add(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    world.install_app(["o/r"])
    world.remotes.protect("o/r", rule="ruleset")
    before = world.remotes.head("o/r")
    _, run = close_overhead(world)
    assert run.conclusion == "failure"
    assert "GH013" in run.log and "Bypass list" in run.log, run.log
    assert "Traceback" not in run.log
    assert world.remotes.head("o/r") == before  # nothing landed
    # one refused push per run that tried: recognised at once, never retried
    refused = [p for p in fakeremote.pushes(world.remotes.path("o/r")) if not p.accepted]
    tried = [r for r in world.runner.runs if r.conclusion == "failure"]
    assert len(refused) == len(tried) >= 1, (refused, tried)


def test_a_ruleset_with_the_app_on_its_bypass_list_takes_ante_s_writes(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    world.install_app(["o/r"])
    world.remotes.protect("o/r", rule="ruleset", bypass=["ante-app[bot]"])
    number, run = close_overhead(world)
    succeeded(run)
    url = f"https://github.com/o/r/issues/{number}"
    assert [(e["member"], e["delta"]) for e in journal(world) if e["ref"] == url] == [("alice", 1)]
    # people still cannot push to main: the ruleset holds for them
    with pytest.raises(RuntimeError, match="GH013"):
        world.push({"notes.md": "hello"}, by="bob")


def test_tax_opens_its_pull_request_and_merging_it_rerenders_status(
    actions: Callable[..., World],
) -> None:
    wednesday = datetime(2026, 11, 25, 7, 50, tzinfo=UTC)
    world = actions(start=wednesday)
    world.runner.advance(timedelta(minutes=20))  # the 08:00 cron fires, a few minutes late
    world.runner.drain()
    tax = succeeded(only(world.runner.runs_of("tax")))
    assert tax.event == "schedule"
    (pull,) = world.fake.pulls("o/r")
    assert pull.title.startswith("Weekly chip tax") and pull.user == "github-actions[bot]"
    assert pull.pull is not None and pull.pull.head.startswith("ante/tax/")
    # the tax branch and the backlog metrics were pushed with GITHUB_TOKEN: no workflow ran
    pushes = [d for d in world.runner.deliveries if d.name == "push"]
    assert pushes and all(d.fate == "ignored" for d in pushes)
    assert world.runner.runs_of("status") == []

    world.merge_pull(pull.number, by="carol")  # a person's merge: its push starts status
    world.runner.drain()
    status = succeeded(only(world.runner.runs_of("status")))
    assert status.event == "push" and status.delivery.actor == "carol"
    assert "ledger/journal/2026/tax-" in "\n".join(world.remotes.files("o/r", "main", "ledger"))
    assert world.show("STATUS.md") != world.show("STATUS.md", f"{status.sha}~1")


def test_handoff_runs_on_wednesday_after_the_handoff_time(
    actions: Callable[..., World],
) -> None:
    world = actions(start=datetime(2026, 11, 25, 9, 50, tzinfo=UTC))
    world.runner.advance(timedelta(hours=2))
    world.runner.drain()
    handoff = succeeded(only(world.runner.runs_of("handoff")))
    assert handoff.event == "schedule"
    titles = [i.title for i in world.fake.issues("o/r")]
    assert titles.count("On-call handoff: oncall, week of 2026-11-25") == 1
    served = yaml.safe_load(world.show("ledger/shifts/oncall.yaml") or "{}")["shifts"]
    assert served[0]["roles"] == {"captain": "alice", "first-mate": "bob"}


def test_triage_asks_about_stale_overhead_issues_on_monday(
    actions: Callable[..., World],
) -> None:
    monday = datetime(2026, 11, 23, 6, 50, tzinfo=UTC)
    world = actions(start=monday)
    stale = world.fake.add_issue(
        "o/r",
        title="Support IE6",
        labels=["overhead"],
        created_at=monday - timedelta(days=90),
    )
    world.runner.advance(timedelta(minutes=25))  # the 07:00 sweep; intake's 07:30 not yet
    world.runner.drain()
    succeeded(only(world.runner.runs_of("triage")))
    assert "needs-triage" in world.fake.issue("o/r", stale).labels
    (asked,) = ante_comments(world, stale)
    assert "Still relevant?" in asked


def test_triage_by_hand_with_dry_run_changes_nothing(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    stale = world.fake.add_issue(
        "o/r",
        title="Support IE6",
        labels=["overhead"],
        created_at=world.now - timedelta(days=90),
    )
    run = only(world.dispatch("triage.yml", {"dry_run": True}).runs)
    world.runner.drain()
    succeeded(run)
    assert "needs-triage" not in world.fake.issue("o/r", stale).labels
    assert "would" in run.log


def test_sync_pays_a_close_whose_event_was_dropped(
    actions: Callable[..., World],
) -> None:
    world = actions()
    number = world.open_issue("Renew certificates", labels=["overhead"], assignees=["carol"])
    world.runner.drain()
    world.runner.advance(8 * HOUR)  # the first sync (every 8 hours) sets its cursor
    world.runner.drain()
    dropped = world.close(number, by="carol", drop=True)
    assert dropped.fate == "dropped" and dropped.runs == []
    world.runner.advance(8 * HOUR)
    world.runner.drain()
    syncs = world.runner.runs_of("sync")
    assert syncs and all(r.conclusion == "success" for r in syncs), syncs[-1].log
    url = f"https://github.com/o/r/issues/{number}"
    assert [(e["member"], e["delta"]) for e in journal(world) if e["ref"] == url] == [("carol", 1)]


def test_status_follows_a_persons_push_to_the_ledger_only(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    members = world.show("ledger/members.yaml") or ""
    world.push(
        {"ledger/members.yaml": members + "  - login: dana\n    joined: 2026-11-18\n"},
        by="alice",
        message="Welcome dana",
    )
    world.push({"README.md": "# Our team\n"}, by="alice", message="Docs")
    world.runner.drain()
    status = succeeded(only(world.runner.runs_of("status")))
    assert "ledger/members.yaml" in status.delivery.payload["head_commit"]["modified"]
    assert "dana" in (world.show("STATUS.md") or "")


def test_rotation_check_previews_a_rotation_pull_request(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    rotation = world.show("rotations/oncall.yaml") or ""
    world.open_pull("volunteer", {"rotations/oncall.yaml": rotation + "\n"}, by="carol")
    world.open_pull("docs", {"README.md": "# Hello\n"}, by="carol")
    world.runner.drain()
    check = succeeded(only(world.runner.runs_of("rotation-check")))
    assert check.event == "pull_request"
    assert check.summary.strip(), check.log
    gate = succeeded(only(world.runner.runs_of("validate")))  # the data gate: rotations/ too
    assert gate.delivery.payload["pull_request"]["head"]["ref"] == "volunteer"


def test_the_readmes_forwarding_workflow_skips_what_ante_would_not_act_on(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    world.add_product("o/product")
    chore = world.fake.add_issue("o/product", title="Chore", labels=["overhead"], user="bob")
    question = world.fake.add_issue("o/product", title="Why?", labels=["question"], user="bob")
    assert world.forward("opened", chore, repo="o/product", by="bob") is None  # not in `on:`
    assert world.forward("closed", question, repo="o/product", by="bob") is None  # not overhead
    world.fake.label_issue("o/product", chore, "customer", by="bob")
    noise = world.forward("labeled", chore, repo="o/product", by="bob", label="customer")
    assert noise is None  # a label that changes nothing starts no job, here or there
    bot = world.forward("labeled", chore, repo="o/product", by="ante-app[bot]", label="overhead")
    assert bot is None  # ante's own writes never bounce
    assert world.forward("labeled", chore, repo="o/product", by="bob", label="overhead")
    sent = world.forward("closed", chore, repo="o/product", by="bob")
    assert sent is not None and sent.name == "repository_dispatch"
    assert sent.payload["action"] == "ante-issue"


def test_upgrade_check_runs_on_pull_requests_that_touch_github_files(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    world.open_pull("owners", {".github/CODEOWNERS": "* @alice\n"}, by="alice")
    sync = world.show(".github/workflows/sync.yml") or ""
    world.open_pull("tweak", {".github/workflows/sync.yml": sync + "# tweak\n"}, by="bob")
    world.runner.drain()
    owners, tweak = world.runner.runs_of("upgrade-check")
    succeeded(owners)
    assert tweak.conclusion == "failure" and "ante upgrade" in tweak.log, tweak.log


def test_release_starts_on_a_version_tag_only(actions: Callable[..., World]) -> None:
    release = (ROOT / ".github/workflows/release.yml").read_text(encoding="utf-8")
    world = actions(schedules=False, workflows={"release.yml": release})
    world.push({"CHANGELOG.md": "# Changes\n"}, by="alice")
    (branch,) = [d for d in world.runner.deliveries if d.name == "push"]
    assert branch.runs == []
    (tagged,) = world.tag("v0.2.0", by="alice")
    run = only(tagged.runs)  # queued; its steps (setup-python, build, upload) are not modelled
    assert world.runner.runs_of("release") == [run]
    assert (run.ref, run.group) == ("refs/tags/v0.2.0", "release-v0.2.0")
    assert world.tag("nightly", by="alice")[0].runs == []


def test_every_workflow_is_exercised_here() -> None:
    text = Path(__file__).read_text(encoding="utf-8")
    for path in sorted((ROOT / ".github/workflows").glob("*.yml")):
        name = yaml.safe_load(path.read_text())["name"]
        assert f'runs_of("{name}")' in text or f'.name == "{name}"' in text, name
