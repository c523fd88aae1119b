"""Post-mortem follow-through: actions become issues linked both ways, are ticked off or
dropped as their issues close, keep the post-mortem open, and are chased when overdue."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ante.core.followups import actions
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote

BODY = """Post-mortem of #1.

## What we changed, and what we will change

- [ ] Add a runbook for the payment gateway @bob due 2026-11-25
- [ ] Alert on checkout error rate (due: 2026-12-20)
- [x] Rolled back the deploy
- [ ] ~~Rewrite checkout in Rust~~
EMPTY

```
- [ ] not an action: inside a code block
```
""".replace("EMPTY", "- [ ] ")  # the template's empty item


def ante(team: TeamRemote, env: dict[str, str], now: str):
    result = run_ante(
        ["--repo", str(team.workdir), "followup", "--push"], env={"ANTE_NOW": now, **env}
    )
    assert result.code == 0, result.err
    return result


def test_actions_become_issues_are_ticked_off_and_keep_the_post_mortem_open(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    for login in ("alice", "bob"):
        github_fake.add_user(login)
    github_fake.now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    pm = github_fake.add_issue(
        "o/r",
        title="Post-mortem: Checkout is down",
        body=BODY,
        labels=["postmortem"],
        assignees=["alice"],
    )
    # At once, as on the `labeled` event: GitHub's search has not indexed the post-mortem yet.
    for _ in range(2):  # a re-run opens nothing twice
        ante(team, github_env, "2026-11-20T10:00:00Z")
    assert github_fake.count("GET", "/search/issues") == 0  # lists through the issues API
    made = [i for i in github_fake.issues("o/r") if "postmortem-action" in i.labels]
    assert sorted(i.title for i in made) == [
        "Post-mortem action: Add a runbook for the payment gateway",
        "Post-mortem action: Alert on checkout error rate",
    ]
    runbook = next(i for i in made if "runbook" in i.title)
    alert = next(i for i in made if "Alert" in i.title)
    assert runbook.assignees == ["bob"] and alert.assignees == ["alice"]  # owner, else captain
    assert "Due: 2026-11-25" in (runbook.body or "") and "Due: 2026-12-20" in (alert.body or "")
    assert "product-maintenance-duty" in runbook.labels  # the captain's queue shows it
    assert f"/issues/{pm}" in (runbook.body or "")
    body = github_fake.issue("o/r", pm).body or ""
    assert f"@bob due 2026-11-25 → #{runbook.number}" in body
    assert f"(due: 2026-12-20) → #{alert.number}" in body
    assert "inside a code block" in body and body.count("→ #") == 2

    # Closing the post-mortem with actions open: reopened, saying which.
    github_fake.close_issue("o/r", pm)
    ante(team, github_env, "2026-11-21T10:00:00Z")
    assert github_fake.issue("o/r", pm).state == "open"
    [note] = [c for c in github_fake.comments("o/r", pm) if "Still open" in c.body]
    assert f"#{runbook.number}" in note.body and f"#{alert.number}" in note.body

    # The runbook is late: its owner is reminded once this week, and STATUS.md lists it.
    for now in ("2026-11-26T10:00:00Z", "2026-11-27T10:00:00Z"):
        ante(team, github_env, now)
    reminders = [c for c in github_fake.comments("o/r", runbook.number) if "@bob" in c.body]
    assert len(reminders) == 1 and "was due 2026-11-25" in reminders[0].body
    status = team.show("STATUS.md")
    assert "## Post-mortem actions" in status and "**1 overdue**" in status
    assert f"#{runbook.number}" in status.split("## Post-mortem actions")[1]
    ante(team, github_env, "2026-12-03T10:00:00Z")  # the next week: reminded again
    reminders = [c for c in github_fake.comments("o/r", runbook.number) if "@bob" in c.body]
    assert len(reminders) == 2

    # Done and dropped: the boxes follow, and the post-mortem may close.
    github_fake.close_issue("o/r", runbook.number)
    github_fake.close_issue("o/r", alert.number, reason="not_planned")
    ante(team, github_env, "2026-12-04T10:00:00Z")
    body = github_fake.issue("o/r", pm).body or ""
    assert (
        f"- [x] Add a runbook for the payment gateway @bob due 2026-11-25 → #{runbook.number}"
        in body
    )
    assert (
        f"- [x] ~~Alert on checkout error rate (due: 2026-12-20)~~ (dropped) → #{alert.number}"
        in body
    )
    github_fake.close_issue("o/r", pm)
    ante(team, github_env, "2026-12-04T11:00:00Z")
    assert github_fake.issue("o/r", pm).state == "closed"
    assert "0 open" in team.show("STATUS.md")


def test_the_checklist_is_read_as_people_write_it() -> None:
    found = actions(BODY)
    assert [(a.title, a.owner, str(a.due), a.open) for a in found] == [
        ("Add a runbook for the payment gateway", "bob", "2026-11-25", True),
        ("Alert on checkout error rate", None, "2026-12-20", True),
        ("Rolled back the deploy", None, "None", False),
        ("Rewrite checkout in Rust", None, "None", False),
    ]
