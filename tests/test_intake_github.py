"""`ante intake` on the contract-checked fake GitHub: one comment, honest dates, resolutions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from ante.files import intake_notes
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git
from testbed.intakekit import ante, ante_comments, event, record_closes, writes

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def github_clock(github_fake: FakeGitHub) -> None:
    github_fake.now = NOW - timedelta(hours=1)


def overhead(fake: FakeGitHub, title: str = "Export is slow", *, days: int = 3) -> int:
    return fake.add_issue(
        "o/r", title=title, labels=["overhead"], created_at=NOW - timedelta(days=days)
    )


def test_one_acknowledgement_however_often_events_repeat(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    record_closes(team.workdir, 2, 2, 2, 2)
    older = overhead(github_fake, "Older", days=9)
    number = overhead(github_fake)
    for action in ("opened", "labeled", "opened", "reopened", "labeled"):
        ante(
            team.workdir,
            github_env,
            NOW,
            "intake",
            "--event",
            str(event(github_fake, tmp_path, number, action)),
        )
    (body,) = ante_comments(github_fake, number)
    assert "number 2 in the team's Overhead queue" in body
    assert "between the week of 2026-11-16 and the week of 2026-11-23" in body
    assert "2.0 overhead issues a week" in body and "not a promise" in body
    note = intake_notes.load_notes(team.workdir)[f"https://github.com/o/r/issues/{number}"]
    assert note.comment is not None and note.earliest is not None
    assert ante_comments(github_fake, older) == []  # no event for it yet: the refresh catches it
    before = writes(github_fake)
    ante(
        team.workdir,
        github_env,
        NOW,
        "intake",
        "--event",
        str(event(github_fake, tmp_path, number, "labeled")),
    )
    assert writes(github_fake) == before  # a repeated event writes nothing


def test_the_window_moves_with_throughput_and_the_refresh_re_tells_it(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    record_closes(team.workdir, 1, 1, 1, 1)
    for n in range(5):
        overhead(github_fake, f"Old {n}", days=30 - n)
    number = overhead(github_fake)
    ante(
        team.workdir,
        github_env,
        NOW,
        "intake",
        "--event",
        str(event(github_fake, tmp_path, number, "opened")),
    )
    (slow,) = ante_comments(github_fake, number)
    assert "between the week of 2026-12-21 and the week of 2026-12-28" in slow  # 1 a week
    record_closes(team.workdir, 6, 6, 6, 6)
    result = ante(team.workdir, github_env, NOW + timedelta(days=7), "intake", "--refresh")
    assert "acknowledge 5, update 1" in result.out  # the five never acknowledged, and ours
    (fast,) = ante_comments(github_fake, number)
    assert fast != slow and "6.0 overhead issues a week" in fast
    assert "between the week of 2026-11-23 and the week of 2026-11-30" in fast
    before = writes(github_fake)
    again = ante(team.workdir, github_env, NOW + timedelta(days=7), "intake", "--refresh")
    assert "nothing" in again.out and writes(github_fake) == before
    assert len(intake_notes.load_notes(team.workdir)) == 6


def test_no_recorded_throughput_no_date(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    number = overhead(github_fake)
    ante(
        team.workdir,
        github_env,
        NOW,
        "intake",
        "--event",
        str(event(github_fake, tmp_path, number, "opened")),
    )
    (body,) = ante_comments(github_fake, number)
    assert "no honest date yet" in body


def test_closing_tells_the_resolution_and_keeps_the_award_section(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    record_closes(team.workdir, 3, 3)
    number = overhead(github_fake)
    ante(
        team.workdir,
        github_env,
        NOW,
        "intake",
        "--event",
        str(event(github_fake, tmp_path, number, "opened")),
    )
    (ack,) = github_fake.comments("o/r", number)
    award = (
        "<!-- ante-section:award -->\n**Overhead chips**: one chip\n<!-- /ante-section:award -->\n"
    )
    ack.body = ack.body + "\n" + award  # the award command's section, as it writes it
    github_fake.close_issue("o/r", number, by="alice")
    ante(
        team.workdir,
        github_env,
        NOW,
        "intake",
        "--event",
        str(event(github_fake, tmp_path, number, "closed", sender="alice")),
    )
    (body,) = ante_comments(github_fake, number)
    assert "**Resolved**: closed as completed by @alice" in body
    assert "**Overhead chips**: one chip" in body and "Expected pickup" not in body
    assert intake_notes.load_notes(team.workdir) == {}


def test_closing_as_not_planned_is_recorded_as_swept(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    number = overhead(github_fake, "Dark mode for the fax gateway")
    github_fake.close_issue("o/r", number, by="bob", reason="not_planned")
    path = event(github_fake, tmp_path, number, "closed", sender="bob")
    ante(team.workdir, github_env, NOW, "intake", "--event", str(path), "--push")
    (body,) = ante_comments(github_fake, number)
    assert "closed as not planned by @bob" in body
    swept = yaml.safe_load(team.show("ledger/sweeps.yaml"))["swept"]
    assert [(s["title"], s["by"]) for s in swept] == [("Dark mode for the fax gateway", "bob")]
    assert "Dark mode for the fax gateway" in team.show("STATUS.md")
    assert git(team.workdir, "status", "--porcelain") == ""


def test_not_overhead_and_dry_run_change_nothing(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    plain = github_fake.add_issue("o/r", title="A feature")
    number = overhead(github_fake)
    ante(
        team.workdir,
        github_env,
        NOW,
        "intake",
        "--event",
        str(event(github_fake, tmp_path, plain, "opened")),
    )
    out = ante(
        team.workdir,
        github_env,
        NOW,
        "intake",
        "--dry-run",
        "--event",
        str(event(github_fake, tmp_path, number, "opened")),
    )
    assert "would update" in out.out
    assert writes(github_fake) == 0
    assert not (team.workdir / "ledger/intake.yaml").exists()


def test_the_refresh_tells_the_resolution_of_a_missed_close(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    number = overhead(github_fake, "Forgotten")
    path = event(github_fake, tmp_path, number, "opened")
    ante(team.workdir, github_env, NOW, "intake", "--event", str(path))
    github_fake.close_issue("o/r", number, by="carol", reason="not_planned")  # event lost
    # On GitHub's clock the refresh comes moments after the close: search still shows the
    # issue open, the issues API does not.
    ante(team.workdir, github_env, NOW + timedelta(days=5), "intake", "--refresh")
    (body,) = ante_comments(github_fake, number)
    assert "**Resolved**: closed as not planned by @carol" in body
    assert intake_notes.load_notes(team.workdir) == {}
    assert [s.title for s in intake_notes.load_sweeps(team.workdir)] == ["Forgotten"]
