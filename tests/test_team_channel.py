"""What the team's channel hears besides pages (#17.4, #17.5): the day-before and handoff
reminders of each shift (once each, a late run catching up what is still useful), and the weekly
handoff summary (who is on call, last week's pages, open and overdue post-mortem actions, what
changed), posted once per week; the overdue actions are in the handoff issue too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from ante.core.reminders import due
from ante.core.schedule import Shift
from pytest_httpserver import HTTPServer
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git
from testbed.payloads import event_env, issues_event
from testbed.receivers import Receivers

POSTMORTEM = """Post-mortem of the checkout outage.

- [ ] Add a runbook for the <b>payment</b> gateway @bob due 2026-11-22
- [ ] Alert on checkout error rate @carol due 2026-12-20
- [x] Rolled back the deploy
"""


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@pytest.fixture
def receivers(httpserver: HTTPServer) -> Receivers:
    return Receivers(httpserver)


@pytest.fixture
def channel_team(team: TeamRemote, receivers: Receivers, github_fake: FakeGitHub) -> TeamRemote:
    policy = team.workdir / "ledger" / "policy.yaml"
    policy.write_text(policy.read_text() + "\n" + receivers.policy())
    git(team.workdir, "commit", "-qam", "notify: the team's channels")
    git(team.workdir, "push", "-q", "origin", "main")
    for login in ("alice", "bob", "carol"):
        github_fake.add_user(login)
    return team


def ante(team: TeamRemote, env: dict[str, str], now: str, *args: str):
    result = run_ante(["--repo", str(team.workdir), *args], env={"ANTE_NOW": now, **env})
    assert result.code == 0, result.err
    return result


def test_each_shift_is_announced_the_day_before_and_at_its_handoff_once(
    channel_team: TeamRemote, receivers: Receivers
) -> None:
    env = receivers.env()  # no GitHub token needed: reminders go to the channels only
    # The week of Wed 25 Nov: carol captain, alice first-mate (alice was captain before: a new
    # role is a new start). The day before, each of them is told, once however often it runs.
    for _ in range(2):
        ante(channel_team, env, "2026-11-24T10:30:00Z", "remind", "--push")
    assert receivers.chat == [
        "⏰ Tomorrow: @carol is Captain On-Call (oncall), Wed 25 Nov 10:00 → Wed 02 Dec 10:00 UTC.",
        "⏰ Tomorrow: @alice is First-mate Firefighter (oncall), "
        "Wed 25 Nov 10:00 → Wed 02 Dec 10:00 UTC.",
    ]
    assert [h["data"]["people"] for h in receivers.webhooks] == [["carol"], ["alice"]]
    assert receivers.events == []  # reminders never page anyone through PagerDuty

    # The handoff run came 11 hours late: the handoff notices still go out, once.
    for now in ("2026-11-25T21:00:00Z", "2026-11-25T21:30:00Z"):
        ante(channel_team, env, now, "remind", "--push")
    assert receivers.chat[2:] == [
        "🔔 Handoff: @carol is now Captain On-Call (oncall), "
        "Wed 25 Nov 10:00 → Wed 02 Dec 10:00 UTC.",
        "🔔 Handoff: @alice is now First-mate Firefighter (oncall), "
        "Wed 25 Nov 10:00 → Wed 02 Dec 10:00 UTC.",
    ]
    # A run 13 hours after the next handoff is too late to be useful: nothing more is sent.
    ante(channel_team, env, "2026-12-02T23:00:00Z", "remind", "--push")
    assert len(receivers.chat) == 4
    sent = channel_team.show("ledger/notices/2026.yaml")
    assert sent.count("chat:shift/oncall/") == 4 and sent.count("webhook:shift/oncall/") == 4


def test_someone_carrying_on_in_the_same_role_is_not_reminded_again() -> None:
    week = timedelta(days=7)
    start = at("2026-11-25T10:00:00Z")
    shifts = [
        Shift(start - week, start, {"captain": "alice", "first-mate": "bob"}),
        Shift(start, start + week, {"captain": "Alice", "first-mate": "carol"}),
    ]
    eve = due("oncall", shifts, start - timedelta(hours=2))
    assert [(r.kind, r.login, r.role) for r in eve] == [("eve", "carol", "first-mate")]
    late = due("oncall", shifts, start + timedelta(hours=11, minutes=59))
    assert [(r.kind, r.login) for r in late] == [("start", "carol")]
    assert due("oncall", shifts, start + timedelta(hours=12)) == []


def test_the_weekly_summary_reaches_the_channel_once_with_pages_and_overdue_actions(
    channel_team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    tmp_path: Path,
) -> None:
    env = {**github_env, **receivers.env()}
    # Last week: a post-mortem with two actions (one due before the handoff) ...
    github_fake.now = at("2026-11-20T09:00:00Z")
    github_fake.add_issue(
        "o/r", title="Post-mortem: checkout", body=POSTMORTEM, labels=["postmortem"]
    )
    ante(channel_team, env, "2026-11-20T10:00:00Z", "followup", "--push")
    # ... and an emergency on Saturday night.
    github_fake.now = at("2026-11-21T23:30:00Z")
    number = github_fake.add_issue("o/r", title="Checkout is down", labels=["product-emergency"])
    payload = issues_event(
        "opened",
        number=number,
        title="Checkout is down",
        labels=["product-emergency"],
        sender="alice",
    )
    payload["issue"]["created_at"] = "2026-11-21T23:30:00Z"
    files = event_env(tmp_path, "opened", payload)
    ante(channel_team, {**env, **files}, "2026-11-21T23:30:00Z", "emergency", "--push")
    before = len(receivers.chat)

    for _ in range(2):  # a re-run of the handoff posts no second summary
        ante(channel_team, env, "2026-11-25T10:05:00Z", "handoff", "--push")
    summaries = [text for text in receivers.chat[before:] if text.startswith("📋")]
    assert len(summaries) == 1
    lines = summaries[0].splitlines()
    assert lines[0] == "📋 Handoff, `oncall`, week of Wed 25 Nov 10:00 UTC"
    assert lines[1] == "On call: Captain On-Call @carol, First-mate Firefighter @alice"
    assert lines[2] == "Last week: 1 page(s), 0 in hours, 1 out of hours"
    assert lines[3] == f"  • #{number} Checkout is down: https://github.com/o/r/issues/{number}"
    assert lines[4] == "Open follow-ups: 2 (1 overdue)"
    runbook = next(i for i in github_fake.issues("o/r") if "runbook" in i.title)
    assert lines[5] == (
        "  • overdue since 2026-11-22: Add a runbook for the "
        f"&lt;b&gt;payment&lt;/b&gt; gateway @bob: https://github.com/o/r/issues/{runbook.number}"
    )
    assert lines[6].startswith("What changed: ")
    handoff_hook = next(h for h in receivers.webhooks if h["type"] == "ante.handoff")
    assert handoff_hook["data"]["people"] == ["carol", "alice"]

    handoff = next(i for i in github_fake.issues("o/r") if "on-call-handoff" in i.labels)
    overdue = (handoff.body or "").split("### Overdue post-mortem actions")[1]
    assert f"/issues/{runbook.number}): due 2026-11-22, @bob" in overdue
    assert "Add a runbook for the \\<b\\>payment\\</b\\> gateway" in overdue  # escaped
    assert "<b>" not in overdue and "Alert on checkout" not in overdue  # not due yet


def test_without_channels_tomorrow_s_starters_are_mentioned_on_the_handoff_issue(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    for login in ("alice", "bob", "carol"):
        github_fake.add_user(login)
    ante(team, github_env, "2026-11-25T10:05:00Z", "handoff", "--push")
    [issue] = [i for i in github_fake.issues("o/r") if "on-call-handoff" in i.labels]
    published = yaml.safe_load(team.show("ledger/schedule/oncall.yaml"))["shifts"]
    nextweek = next(s for s in published if s["start"] == at("2026-12-02T10:00:00Z"))["roles"]

    for now in ("2026-12-01T11:00:00Z", "2026-12-01T19:00:00Z"):  # sync runs twice that day
        result = ante(team, github_env, now, "remind", "--push")
    assert "no channel under notify:" in result.out
    said = [c.body for c in github_fake.comments("o/r", issue.number) if "ante:reminder" in c.body]
    assert len(said) == 1  # one comment, kept as it is
    assert "**Tomorrow's handoff**" in said[0]
    assert f"- @{nextweek['captain']} is Captain On-Call (oncall), Wed 02 Dec 10:00" in said[0]
    assert f"- @{nextweek['first-mate']} is First-mate Firefighter (oncall)" in said[0]
    assert nextweek["captain"] != nextweek["first-mate"]
