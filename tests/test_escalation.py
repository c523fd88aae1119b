"""A simulated night: routing by working hours, acknowledgement, escalation at the configured
delays, each step recorded on the issue (ante's one comment), the ledger and the channels.

The workflow runner of the strict test bed is not on main yet, so the night is driven by the
commands themselves (`ante emergency`, `ante escalate`) with the clock pinned at each step,
against the fake GitHub and the fake receivers.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from ante.files import emergencies
from testbed import nights
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git
from testbed.nights import at
from testbed.payloads import event_env, issues_event
from testbed.receivers import Receivers


@pytest.fixture
def night_team(team: TeamRemote, receivers: Receivers, github_fake: FakeGitHub) -> TeamRemote:
    for name, text in nights.files(
        (team.workdir / "rotations/oncall.yaml").read_text(),
        (team.workdir / "ledger/policy.yaml").read_text(),
        receivers.policy(),
    ).items():
        (team.workdir / name).write_text(text)
    git(team.workdir, "add", "-A")
    git(team.workdir, "commit", "-qm", "nights rotation, managers, notify")
    git(team.workdir, "push", "-q", "origin", "main")
    for login in (*nights.PEOPLE, "passer-by"):
        github_fake.add_user(login)
    return team


def emergency(
    team: TeamRemote, fake: FakeGitHub, env: dict[str, str], tmp: Path, opened: str
) -> int:
    fake.now = at(opened)
    number = fake.add_issue("o/r", title="Checkout is down", labels=["product-emergency"])
    payload = issues_event(  # sent by a member: the policy lets members page
        "opened",
        number=number,
        title="Checkout is down",
        labels=["product-emergency"],
        sender="alice",
    )
    payload["issue"]["created_at"] = opened
    files = event_env(tmp, f"opened-{number}", payload)
    ante(team, {**env, **files}, opened, "emergency", "--push")
    return number


def ante(team: TeamRemote, env: dict[str, str], now: str, *args: str):
    result = run_ante(["--repo", str(team.workdir), *args], env={"ANTE_NOW": now, **env})
    assert result.code == 0, result.err
    return result


def page_of(team: TeamRemote, number: int):
    git(team.workdir, "pull", "-q", "--ff-only", "origin", "main")
    return next(p for p in emergencies.load_pages(team.workdir) if p.number == number)


def ante_comment(fake: FakeGitHub, number: int) -> str:
    mine = [c for c in fake.comments("o/r", number) if "ante:emergency" in c.body]
    assert len(mine) == 1  # one comment, edited in place
    return mine[0].body


def volunteer_away(team: TeamRemote) -> None:
    """dave, the only out-of-hours volunteer, away from 20 to 30 November (pushed to main)."""
    nights = team.workdir / "rotations" / "nights.yaml"
    away = "{login: dave, from: 2026-11-01, unavailable: [{from: 2026-11-20, to: 2026-11-30}]}"
    nights.write_text(nights.read_text().replace("{login: dave, from: 2026-11-01}", away))
    git(team.workdir, "commit", "-qam", "dave away")
    git(team.workdir, "push", "-q", "origin", "main")


def test_a_night_nobody_answers_reaches_the_first_mate_then_the_managers(
    night_team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    tmp_path: Path,
) -> None:
    env = {**github_env, **receivers.env()}
    number = emergency(night_team, github_fake, env, tmp_path, "2026-11-21T23:30:00Z")  # Sat

    issue = github_fake.issue("o/r", number)
    assert issue.assignees == ["dave"]  # the out-of-hours volunteer, not the captain (alice)
    text = ante_comment(github_fake, number)
    assert (
        "out-of-hours page" in text and "Out-of-hours volunteer (`nights` rotation): @dave" in text
    )
    assert "Escalation path: @dave → @bob → managers @mgr1, @mgr2" in text
    assert len(receivers.chat) == 1 and "Paging @dave" in receivers.chat[0]

    # Nobody who counts answers: a passer-by's comment and a bot's reaction are not answers.
    github_fake.now = at("2026-11-21T23:35:00Z")
    github_fake.add_comment("o/r", number, "same here, checkout broken", user="passer-by")
    github_fake.add_reaction("o/r", number, "eyes", user="dependabot[bot]")
    for now in ("2026-11-21T23:36:00Z", "2026-11-21T23:39:59Z"):
        ante(night_team, env, now, "escalate", "--push")
    assert github_fake.issue("o/r", number).assignees == ["dave"]

    ante(night_team, env, "2026-11-21T23:40:00Z", "escalate", "--push")  # 10 minutes
    assert github_fake.issue("o/r", number).assignees == ["dave", "bob"]
    page = page_of(night_team, number)
    assert page.first_mate_at == at("2026-11-21T23:40:00Z") and page.managers_at is None
    for now in ("2026-11-21T23:50:00Z", "2026-11-21T23:59:00Z"):
        ante(night_team, env, now, "escalate", "--push")
    assert page_of(night_team, number).managers_at is None

    ante(night_team, env, "2026-11-22T00:00:00Z", "escalate", "--push")  # 30 minutes
    assert github_fake.issue("o/r", number).assignees == ["dave", "bob", "mgr1", "mgr2"]
    page = page_of(night_team, number)
    assert page.woken == ["dave", "bob", "mgr1", "mgr2"]
    assert page.managers_at == at("2026-11-22T00:00:00Z")

    # A manager answers with a reaction; the next check records it and escalates no more.
    github_fake.now = at("2026-11-22T00:02:59Z")  # the fake ticks a second per write
    github_fake.add_reaction("o/r", number, "+1", user="mgr1")
    ante(night_team, env, "2026-11-22T00:05:00Z", "escalate", "--push")
    page = page_of(night_team, number)
    assert page.acknowledged_by == "mgr1" and page.acknowledged == at("2026-11-22T00:03:00Z")

    text = ante_comment(github_fake, number)
    log = text.split("Log:")[1]
    assert [line.split(": ", 1)[1] for line in log.strip().splitlines()[:4]] == [
        "paged @dave",
        "no acknowledgement: paged the first-mate @bob",
        "no acknowledgement: paged the managers @mgr1, @mgr2",
        "acknowledged by @mgr1",
    ]
    assert "2026-11-21 23:30 UTC" in log and "2026-11-21 23:40 UTC" in log
    assert "2026-11-22 00:00 UTC" in log
    kinds = [h["type"] for h in receivers.webhooks]
    assert kinds == ["ante.page", "ante.escalate", "ante.escalate", "ante.acknowledge"]
    assert receivers.chat[3].startswith("👀 @mgr1 acknowledged Checkout is down")
    assert receivers.incidents == 1  # PagerDuty: one alert for the whole night, ...
    assert [e["event_action"] for e in receivers.events] == ["trigger", "acknowledge"]
    assert receivers.alerts[receivers.events[0]["dedup_key"]].status == "acknowledged"
    ante(night_team, env, "2026-11-22T00:30:00Z", "escalate", "--push")  # ... told once
    assert len(receivers.webhooks) == 4 and len(receivers.chat) == 4 and len(receivers.events) == 2

    status = night_team.show("STATUS.md")
    assert "| `oncall` | 1 | fewer than 10 (on track) |" in status
    woken = status.split("| Woken out of hours this month | Pages |")[1]
    for login in ("dave", "bob", "mgr1", "mgr2"):
        assert f"| [@{login}](https://github.com/{login}) | 1 |" in woken
    assert "@alice" not in woken  # the captain slept: the volunteer took the night


def test_a_late_check_catches_up_every_missed_step_in_order(
    night_team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    tmp_path: Path,
) -> None:
    env = {**github_env, **receivers.env()}
    number = emergency(night_team, github_fake, env, tmp_path, "2026-11-22T03:00:00Z")
    ante(night_team, env, "2026-11-22T04:10:00Z", "escalate", "--push")  # runs were skipped
    page = page_of(night_team, number)
    assert page.woken == ["dave", "bob", "mgr1", "mgr2"]
    assert page.first_mate_at == page.managers_at == at("2026-11-22T04:10:00Z")
    assert [h["data"]["people"] for h in receivers.webhooks] == [
        ["dave"],
        ["bob"],
        ["mgr1", "mgr2"],
    ]


def test_the_paged_person_answering_stops_the_escalation(
    night_team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    tmp_path: Path,
) -> None:
    env = {**github_env, **receivers.env()}
    number = emergency(night_team, github_fake, env, tmp_path, "2026-11-21T23:30:00Z")
    github_fake.now = at("2026-11-21T23:34:00Z")
    github_fake.add_comment("o/r", number, "on it", user="dave")
    ante(night_team, env, "2026-11-22T01:00:00Z", "escalate", "--push")
    page = page_of(night_team, number)
    assert page.acknowledged_by == "dave" and page.woken == ["dave"]
    assert github_fake.issue("o/r", number).assignees == ["dave"]


def test_in_hours_the_captain_is_paged(
    night_team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    tmp_path: Path,
) -> None:
    env = {**github_env, **receivers.env()}
    number = emergency(night_team, github_fake, env, tmp_path, "2026-11-23T10:00:00Z")  # Monday
    assert github_fake.issue("o/r", number).assignees == ["alice"]
    page = page_of(night_team, number)
    assert not page.out_of_hours and page.paged_rotation == "oncall" and page.woken == ["alice"]
    ante(night_team, env, "2026-11-23T10:16:00Z", "escalate", "--push")  # the captain's 15 min
    assert page_of(night_team, number).woken == ["alice", "bob"]


def test_nobody_on_call_pages_the_managers_never_nobody(
    night_team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    tmp_path: Path,
) -> None:
    volunteer_away(night_team)
    env = {**github_env, **receivers.env()}
    number = emergency(night_team, github_fake, env, tmp_path, "2026-11-21T23:30:00Z")
    text = ante_comment(github_fake, number)
    assert "@None" not in text and "Nobody is out-of-hours volunteer" in text
    # The first-mate is the first there is; the managers follow at their delay.
    assert github_fake.issue("o/r", number).assignees == ["bob"]
    assert "@None" not in "".join(receivers.chat)
    ante(night_team, env, "2026-11-22T00:00:00Z", "escalate", "--push")
    assert page_of(night_team, number).woken == ["bob", "mgr1", "mgr2"]


def test_with_nobody_on_call_the_first_mate_s_answer_stops_the_escalation(
    night_team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    tmp_path: Path,
) -> None:
    """The first page went to the first-mate (the volunteer is away): their answer counts."""
    volunteer_away(night_team)
    env = {**github_env, **receivers.env()}
    number = emergency(night_team, github_fake, env, tmp_path, "2026-11-21T23:30:00Z")
    github_fake.now = at("2026-11-21T23:33:00Z")
    github_fake.add_comment("o/r", number, "on it", user="bob")
    ante(night_team, env, "2026-11-22T00:05:00Z", "escalate", "--push")  # past the managers' 30
    page = page_of(night_team, number)
    assert page.acknowledged_by == "bob" and page.managers_at is None
    assert page.woken == ["bob"] and github_fake.issue("o/r", number).assignees == ["bob"]


def test_the_watcher_stays_until_fully_escalated_at_the_configured_delays(
    night_team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    tmp_path: Path,
) -> None:
    from ante.context import Context
    from ante.services import paging

    env = {**github_env, **receivers.env()}
    number = emergency(night_team, github_fake, env, tmp_path, "2026-11-21T23:30:00Z")
    clock = [at("2026-11-21T23:30:30Z")]
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        clock[0] += timedelta(seconds=seconds)

    ctx = Context(night_team.workdir, clock[0], env)
    url = f"https://github.com/o/r/issues/{number}"
    page = paging.watch(ctx, url, push=True, clock=lambda: clock[0], sleep=sleep, poll=60)
    assert page is not None and page.woken == ["dave", "bob", "mgr1", "mgr2"]
    assert page.first_mate_at == at("2026-11-21T23:40:30Z")  # the first check after 10 min
    assert page.managers_at == at("2026-11-22T00:00:30Z")
    assert len(naps) == 30  # one check a minute, and it stops once nothing is left to do
    assert github_fake.issue("o/r", number).assignees == ["dave", "bob", "mgr1", "mgr2"]
