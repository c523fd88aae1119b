"""`ante handoff` and `ante shifts` end to end: real git remote, the checked fake GitHub."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import yaml
from ante.files import maintenance
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git

WEEK1 = "2026-11-25T10:05:00Z"  # the first handoff after `ante init` on 2026-11-18
WEEK2 = "2026-12-02T10:05:00Z"


def ante(team: TeamRemote, *args: str, now: str, env: dict[str, str] | None = None):
    result = run_ante(["--repo", str(team.workdir), *args], env={"ANTE_NOW": now, **(env or {})})
    assert result.code == 0, result.err
    return result


def test_handoff_records_served_shifts_once_and_extends_the_horizon(team: TeamRemote) -> None:
    head = team.head()
    first = ante(team, "handoff", "--push", now=WEEK1)
    assert "would open the issue 'On-call handoff: oncall, week of 2026-11-25'" in first.out
    served = yaml.safe_load(team.show("ledger/shifts/oncall.yaml"))["shifts"]
    assert served == [
        {
            "start": datetime(2026, 11, 18, 10, tzinfo=UTC),
            "end": datetime(2026, 11, 25, 10, tzinfo=UTC),
            "roles": {"captain": "alice", "first-mate": "bob"},
            "share": 1,
        }
    ]
    weeks = yaml.safe_load(team.show("ledger/schedule/oncall.yaml"))["shifts"]
    assert weeks[-1]["start"] == datetime(2026, 12, 23, 10, tzinfo=UTC)  # now + 4 weeks
    assert "BEGIN:VCALENDAR" in team.show("rotations/oncall.ics")
    pushed = team.head()
    assert pushed != head
    again = ante(team, "handoff", "--push", now=WEEK1)
    assert "records already up to date" in again.out
    assert team.head() == pushed


def test_shifts_report_counts_partial_cover_and_pay(team: TeamRemote) -> None:
    path = team.workdir / "rotations" / "oncall.yaml"
    text = path.read_text().replace("amount: 0", "amount: 140")
    # carol covers alice's captaincy for one day of the first week.
    text = text.replace(
        "overrides: []",
        "overrides:\n  - {from: 2026-11-20, to: 2026-11-20, role: captain, cover: carol}",
    )
    path.write_text(text)
    git(team.workdir, "commit", "-qam", "carol covers friday")
    ante(team, "handoff", "--push", now=WEEK1)
    ante(team, "handoff", "--push", now=WEEK2)
    result = ante(team, "shifts", "--format", "csv", now=WEEK2)
    rows = {r["login"]: r for r in csv.DictReader(io.StringIO(result.out))}
    assert rows["carol"]["shifts"] == "1.1429"  # a full week as captain and one day
    assert rows["carol"]["amount"] == "160.01"
    assert rows["alice"]["shifts"] == "1.8571"  # six days as captain, a week as first-mate
    assert rows["alice"]["amount"] == "259.99"
    assert rows["bob"]["shifts"] == "1"
    assert rows["bob"]["amount"] == "140.00"
    assert {r["currency"] for r in rows.values()} == {"EUR"}
    on_the_day = json.loads(
        ante(
            team,
            "shifts",
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-20",
            "--format",
            "json",
            now=WEEK2,
        ).out
    )
    who = {row["login"]: {s["role"] for s in row["served"]} for row in on_the_day}
    # alice until the handoff time on the 20th, then carol for a day; bob all along.
    assert who == {"alice": {"captain"}, "bob": {"first-mate"}, "carol": {"captain"}}


def seed_queue(fake: FakeGitHub) -> None:
    for login in ("alice", "bob", "carol"):
        fake.add_user(login)
    label = maintenance.DUTY_LABEL
    fake.add_issue("o/r", title="Slow search", labels=[label, "P2"])
    fake.add_issue(
        "o/r", title="Broken export", labels=[label, "priority:high"], body="Due: 2026-12-01"
    )
    fake.add_issue("o/r", title="Typo", labels=[label])
    fake.add_issue("o/r", title="Crash on login", labels=[label, "P1", "due:2026-11-30"])
    fake.add_issue("o/r", title="Other work", labels=["overhead"])
    closed = datetime(2026, 11, 20, tzinfo=UTC)
    for n in range(3):
        fake.add_issue("o/r", title=f"Fixed {n}", labels=[label], state="closed", closed_at=closed)


def test_handoff_opens_the_weeks_issue_once_and_closes_last_weeks(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    seed_queue(github_fake)
    ante(team, "handoff", "--push", now=WEEK1, env=github_env)
    ante(team, "handoff", "--push", now=WEEK1, env=github_env)  # a re-run changes nothing
    handoffs = [i for i in github_fake.issues("o/r") if "on-call-handoff" in i.labels]
    assert len(handoffs) == 1
    [issue] = handoffs
    assert issue.title == "On-call handoff: oncall, week of 2026-11-25"
    assert issue.assignees == ["carol"] and issue.body is not None
    assert "**Captain On-Call:** @carol" in issue.body
    assert "**First-mate Firefighter:** @alice" in issue.body
    assert "Maintenance issues closed: 3 (a good week closes 5 to 20)" in issue.body
    order = [
        issue.body.index(t) for t in ("Crash on login", "Broken export", "Slow search", "Typo")
    ]
    assert order == sorted(order)  # P1 and priority:high rank alike; the due date decides
    assert "Other work" not in issue.body
    queue = maintenance.load_queue(team.workdir)
    assert [q.title for q in queue] == ["Crash on login", "Broken export", "Slow search", "Typo"]
    assert yaml.safe_load(team.show("ledger/queue.yaml"))["issues"][0]["priority"] == "P1"

    ante(team, "handoff", "--push", now=WEEK2, env=github_env)
    handoffs = [i for i in github_fake.issues("o/r") if "on-call-handoff" in i.labels]
    assert [(i.title[-10:], i.state) for i in handoffs] == [
        ("2026-11-25", "closed"),
        ("2026-12-02", "open"),
    ]
