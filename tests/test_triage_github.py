"""`ante triage` on the fake GitHub: ask, then close; ante's own comment is no activity."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import yaml
from ante.core.intake import Note
from ante.files import intake_notes
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git
from testbed.intakekit import TAG, ante, ante_comments, record_closes, writes

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def quiet_issue(fake: FakeGitHub, title: str, days: int, *labels: str) -> int:
    when = NOW - days * DAY
    return fake.add_issue("o/r", title=title, labels=["overhead", *labels], created_at=when)


def triage(team: TeamRemote, env: dict, now: datetime, *extra: str) -> str:
    return ante(team.workdir, env, now, "triage", *extra).out


def test_the_sweep_labels_then_closes_and_skips_exempt_and_active(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    github_fake.clock_to(NOW - DAY)
    stale = quiet_issue(github_fake, "Support IE6", 90)
    pinned = quiet_issue(github_fake, "Known limitation", 400, "pinned")
    active = quiet_issue(github_fake, "Slow export", 90)
    github_fake.add_comment("o/r", active, "Still hurts us weekly", user="dana")
    out = triage(team, github_env, NOW)
    assert "did ask 1" in out
    issue = github_fake.issue("o/r", stale)
    assert "needs-triage" in issue.labels and issue.state == "open"
    (asked,) = ante_comments(github_fake, stale)
    assert "**Still relevant?** Nothing has happened here since 2026-08-20" in asked
    assert "around 2026-12-02" in asked
    assert ante_comments(github_fake, pinned) == ante_comments(github_fake, active) == []
    assert "needs-triage" not in github_fake.issue("o/r", active).labels

    # A week later: still inside the grace period, nothing happens.
    github_fake.clock_to(NOW + 7 * DAY)
    assert "did nothing" in triage(team, github_env, NOW + 7 * DAY)
    # After the grace period without an answer: closed as not planned, saying why.
    github_fake.clock_to(NOW + 15 * DAY)
    triage(team, github_env, NOW + 15 * DAY, "--push")
    issue = github_fake.issue("o/r", stale)
    assert (issue.state, issue.state_reason) == ("closed", "not_planned")
    (closed,) = ante_comments(github_fake, stale)
    assert "closed as not planned on 2026-12-03: no activity for 60 days" in closed
    assert "Still relevant" not in closed
    swept = yaml.safe_load(team.show("ledger/sweeps.yaml"))["swept"]
    assert [(s["title"], s["by"]) for s in swept] == [("Support IE6", "ante")]
    assert "Support IE6" in team.show("STATUS.md")
    assert "Support IE6" not in team.show("ledger/intake.yaml")
    assert git(team.workdir, "status", "--porcelain") == ""


def test_the_sweep_acts_on_issues_as_they_are_not_as_search_last_saw_them(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    """GitHub's search lags writes by up to minutes; the sweep must not act on a stale copy."""
    github_fake.clock_to(NOW - DAY)
    done = quiet_issue(github_fake, "Done meanwhile", 90)
    answered = quiet_issue(github_fake, "Answered meanwhile", 90)
    triage(team, github_env, NOW)  # both asked "still relevant?"
    # After the grace period, moments before the sweep: one closed as completed by a person,
    # the other answered. Search has not indexed either yet.
    github_fake.clock_to(NOW + 15 * DAY)
    github_fake.close_issue("o/r", done, by="dana", reason="completed")
    github_fake.add_comment("o/r", answered, "Yes, still relevant!", user="dana")
    out = triage(team, github_env, NOW + 15 * DAY)
    assert "did unask 1" in out and "close" not in out
    issue = github_fake.issue("o/r", done)
    assert (issue.state, issue.state_reason, issue.closed_by) == ("closed", "completed", "dana")
    assert github_fake.issue("o/r", answered).state == "open"
    assert github_fake.count("GET", "/search/issues") == 0


def test_antes_own_comment_never_resets_the_clock(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    record_closes(team.workdir, 1, 1)
    start = github_fake.clock_to(NOW - 70 * DAY)
    number = github_fake.add_issue("o/r", title="Old", labels=["overhead"], created_at=start)
    other = github_fake.add_issue("o/r", title="Discussed", labels=["overhead"], created_at=start)
    # A week ago the weekly refresh acknowledged both (a missed event): ante's comment bumps
    # the issues' updated_at to a week ago ...
    github_fake.clock_to(NOW - 7 * DAY)
    ante(team.workdir, github_env, NOW - 7 * DAY, "intake", "--refresh")
    assert github_fake.issue("o/r", number).updated_at > NOW - 8 * DAY
    assert len(ante_comments(github_fake, number)) == 1
    # ... yesterday a person commented on the other one.
    github_fake.clock_to(NOW - DAY)
    github_fake.add_comment("o/r", other, "We hit this again", user="dana")
    assert "did ask 1" in triage(team, github_env, NOW)
    assert "needs-triage" in github_fake.issue("o/r", number).labels
    assert "needs-triage" not in github_fake.issue("o/r", other).labels
    (body,) = ante_comments(github_fake, number)
    assert "Still relevant?" in body and "Expected pickup" not in body


def test_an_answer_takes_it_back_into_the_queue(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    record_closes(team.workdir, 2, 2)
    github_fake.clock_to(NOW - DAY)
    number = quiet_issue(github_fake, "Printer", 80)
    triage(team, github_env, NOW)
    github_fake.clock_to(NOW + 3 * DAY)
    github_fake.add_comment("o/r", number, "Yes, still relevant!", user="dana")
    github_fake.clock_to(NOW + 20 * DAY)
    assert "did unask 1" in triage(team, github_env, NOW + 20 * DAY)
    issue = github_fake.issue("o/r", number)
    assert issue.state == "open" and "needs-triage" not in issue.labels
    (body,) = ante_comments(github_fake, number)
    assert "thanks, this one stays in the queue" in body and "number 1" in body
    note = intake_notes.load_notes(team.workdir)[f"https://github.com/o/r/issues/{number}"]
    assert note.asked is None and note.earliest is not None


def test_dry_run_changes_nothing(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    github_fake.clock_to(NOW - DAY)
    number = quiet_issue(github_fake, "Stale", 100)
    quiet_issue(github_fake, "Exempt", 100, "security")
    head = git(team.workdir, "rev-parse", "HEAD")
    out = triage(team, github_env, NOW, "--dry-run")
    assert "would ask 1" in out and f"would ask https://github.com/o/r/issues/{number}" in out
    assert "exempt (`security`)" in out
    assert writes(github_fake) == 0
    assert git(team.workdir, "status", "--porcelain") == ""
    assert git(team.workdir, "rev-parse", "HEAD") == head


def test_without_a_token_nothing_is_read(team: TeamRemote) -> None:
    out = ante(team.workdir, {}, NOW, "triage").out
    assert "no GitHub token" in out


def test_a_sweep_of_500_issues_reads_little_and_stops_at_the_operation_limit(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    policy = team.workdir / "ledger/policy.yaml"
    policy.write_text(policy.read_text() + "intake:\n  max_operations: 45\n")
    notes = {}
    for n in range(500):
        # 30 quiet ones that ante acknowledged long ago (it knows their comment); 470 active.
        days = 100 if n < 30 else 5
        created = github_fake.clock_to(NOW - days * DAY + n * timedelta(seconds=10))
        number = github_fake.add_issue(
            "o/r", title=f"Issue {n}", labels=["overhead"], created_at=created
        )
        if n < 30:
            mine = github_fake.add_comment("o/r", number, TAG + "\nqueued", user="ante[bot]")
            issue = github_fake.issue("o/r", number)
            url = f"https://github.com/o/r/issues/{number}"
            notes[url] = Note(url, issue.updated_at, created, mine)
    intake_notes.save_notes(team.workdir, notes)
    before = len(github_fake.calls)
    reads_before, writes_before = github_fake.count("GET"), writes(github_fake)
    out = triage(team, github_env, NOW)
    reads = github_fake.count("GET") - reads_before
    changed = writes(github_fake) - writes_before
    assert reads <= 10, reads
    # 6 listing requests (5 pages of `overhead`, 1 of `overhead:large`), then 2 calls an issue.
    assert github_fake.count("GET", "/search/issues") == 0
    assert "did ask 19; 11 left for the next run" in out
    assert changed == 2 * 19  # a label and the comment per changed issue
    assert len(github_fake.calls) - before <= 45


def test_the_weekly_handoff_lists_what_was_swept(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    week = datetime(2026, 11, 25, 10, 5, tzinfo=UTC)  # the first handoff after `ante init`
    swept = [
        intake_notes.Swept(
            date=date(2026, 11, 23), issue="https://github.com/o/r/issues/7", title="Fax", by="ante"
        ),
        intake_notes.Swept(
            date=date(2026, 11, 10), issue="https://github.com/o/r/issues/3", title="Old", by="bob"
        ),
    ]
    intake_notes.record_sweeps(team.workdir, swept, week.date())
    ante(team.workdir, github_env, week, "handoff", "--push")
    (handoff,) = [i for i in github_fake.issues("o/r") if "on-call-handoff" in i.labels]
    assert "### Swept from the overhead backlog" in (handoff.body or "")
    assert "[Fax](https://github.com/o/r/issues/7): closed as not planned by the weekly sweep" in (
        handoff.body or ""
    )
    assert "Old" not in (handoff.body or "")  # swept before last week
