"""`ante rotation`, `ante rotation ics`, the rotation checks of `ante validate`, `ante init`."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from ante.files import rotations
from testbed.ante import NOW, run_ante
from testbed.gitbed import TeamRemote, git


def rotation_file(team: TeamRemote) -> Path:
    return team.workdir / "rotations" / "oncall.yaml"


def test_init_writes_a_working_rotation_with_the_members(team: TeamRemote) -> None:
    text = rotation_file(team).read_text()
    assert "  - login: alice\n    from: 2026-11-18\n" in text
    [roster] = rotations.load_rotations(team.workdir)
    assert [v.login for v in roster.config.volunteers] == ["alice", "bob", "carol"]
    assert roster.config.volunteers[0].term_end.isoformat() == "2027-05-18"  # six months
    result = run_ante(["--repo", str(team.workdir), "rotation", "--format", "json", "--weeks", "3"])
    assert result.code == 0, result.err
    shifts = json.loads(result.out)
    assert shifts[0] == {
        "start": "2026-11-18T10:00:00+00:00",
        "end": "2026-11-25T10:00:00+00:00",
        "roles": {"captain": "alice", "first-mate": "bob"},
    }
    assert all(set(s["roles"]) == {"captain", "first-mate"} for s in shifts)
    assert "oncall" in team.show("ledger/schedule/oncall.yaml")  # committed and pushed


def test_text_output_marks_frozen_weeks(team: TeamRemote) -> None:
    result = run_ante(["--repo", str(team.workdir), "rotation", "oncall", "--weeks", "8"])
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("oncall: handoff Wednesday 10:00 UTC")
    assert sum("[frozen]" in line for line in lines) == 5
    assert "captain @alice  first-mate @bob  [frozen]" in lines[1]


def test_unknown_rotation_and_too_many_names(team: TeamRemote) -> None:
    result = run_ante(["--repo", str(team.workdir), "rotation", "nope"])
    assert result.code == 1
    assert "no rotation named 'nope' (there is: oncall)" in result.err
    result = run_ante(["--repo", str(team.workdir), "rotation", "ics", "a", "b"])
    assert result.code == 2


def test_ics_parses_back_and_matches_the_schedule(team: TeamRemote) -> None:
    result = run_ante(["--repo", str(team.workdir), "rotation", "ics", "oncall"])
    assert result.code == 0, result.err
    assert "wrote rotations/oncall.ics" in result.out
    feed = icalendar.Calendar.from_ical((team.workdir / "rotations" / "oncall.ics").read_bytes())
    events = {
        (e.decoded("dtstart"), str(e["summary"])): e.decoded("dtend") for e in feed.walk("VEVENT")
    }
    shifts = json.loads(
        run_ante(["--repo", str(team.workdir), "rotation", "--format", "json", "--weeks", "26"]).out
    )
    assert len(events) == 2 * len(shifts) == 2 * 26 - 2  # the current week has nobody yet
    for shift in shifts:
        start = datetime.fromisoformat(shift["start"])
        captain = f"Captain On-Call: @{shift['roles']['captain']}"
        mate = f"First-mate Firefighter: @{shift['roles']['first-mate']}"
        assert events[start, captain] == datetime.fromisoformat(shift["end"])
        assert (start, mate) in events
    uids = [str(e["uid"]) for e in feed.walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    again = run_ante(["--repo", str(team.workdir), "rotation", "ics"])
    assert "unchanged: rotations/oncall.ics" in again.out


def test_a_roster_edit_does_not_move_published_weeks(team: TeamRemote) -> None:
    def schedule() -> list[dict]:
        out = run_ante(
            ["--repo", str(team.workdir), "rotation", "--format", "json", "--weeks", "10"]
        )
        return json.loads(out.out)

    before = schedule()
    path = rotation_file(team)
    text = path.read_text().replace(
        "  - login: alice\n    from: 2026-11-18\n",
        "  - login: alice\n    from: 2026-11-18\n    unavailable:\n"
        "      - {from: 2026-11-20, to: 2027-02-01}\n"
        "  - login: erin\n    from: 2026-11-01\n",
    )
    path.write_text(text)
    after = schedule()
    assert after[:5] == before[:5]  # the published horizon holds
    assert after[5:] != before[5:]
    assert all("alice" not in s["roles"].values() for s in after[5:])
    result = run_ante(["--repo", str(team.workdir), "rotation"])
    warnings = result.err.splitlines()
    # Frozen shifts alice can no longer hold are reported, not silently rewritten.
    assert "warning: oncall: Wed 2026-11-18 10:00: captain @alice is unavailable" in warnings[0]
    assert len(warnings) == sum("alice" in s["roles"].values() for s in before[:5])
    assert all(
        "alice is unavailable 2026-11-20 to 2027-02-01; add an override" in w for w in warnings
    )


BAD = [
    (
        "handoff:\n  weekday: wensday\n",
        3,
        "'wensday' is not a day of the week",
    ),
    ("handoff:\n  timezone: Mars/Olympus\n", 3, "unknown timezone 'Mars/Olympus'"),
    (
        "volunteers:\n  - login: alice\n    from: 2026-12-01\n    to: 2026-11-01\n",
        5,
        "alice's term ends (2026-11-01) before it starts (2026-12-01)",
    ),
    (
        "volunteers:\n  - login: alice\n    from: 2026-12-01\n"
        "  - login: Alice\n    from: 2026-12-02\n",
        5,
        "Alice is already listed as a volunteer",
    ),
    (
        "overrides:\n  - {from: 2026-12-01, to: 2026-12-03, role: captain, cover: bob}\n"
        "  - {from: 2026-12-03, to: 2026-12-05, role: captain, cover: carol}\n",
        4,
        "overlaps override 1 (2026-12-01 to 2026-12-03, captain covered by bob)",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD, ids=lambda v: str(v)[:12])
def test_validate_names_the_line_and_says_what_is_wrong(
    team: TeamRemote, text: str, line: int, message: str
) -> None:
    path = team.workdir / "rotations" / "broken.yaml"
    path.write_text("# a volunteer's edit\n" + text)
    result = run_ante(
        ["--repo", str(team.workdir), "validate"],
        env={"ANTE_NOW": NOW, "GITHUB_ACTIONS": "true"},
    )
    assert result.code == 1
    assert f"rotations/broken.yaml:{line}:" in result.err
    assert message in result.err
    assert f"::error file=rotations/broken.yaml,line={line}" in result.out
    # The schedule refuses to guess from a broken file, and says where it is.
    shown = run_ante(["--repo", str(team.workdir), "rotation", "oncall"])
    assert shown.code == 1 and f"rotations/broken.yaml:{line}:" in shown.err


def test_unquoted_times_and_short_weekdays_are_understood(team: TeamRemote) -> None:
    path = rotation_file(team)
    text = (
        path.read_text()
        .replace('time: "10:00"', "time: 9:30")
        .replace("weekday: wednesday", "weekday: Mon")
    )
    path.write_text(text.replace("timezone: UTC", "timezone: Europe/Berlin"))
    [roster] = rotations.load_rotations(team.workdir)
    assert roster.config.handoff.weekday == 0
    assert roster.config.handoff.at.strftime("%H:%M") == "09:30"
    git(team.workdir, "status")  # the repo is untouched apart from the edit


def test_captain_on_and_escalation(team: TeamRemote) -> None:
    day = datetime.fromisoformat(NOW).date()
    assert rotations.captain_on(team.workdir, day) == "alice"
    assert rotations.captain_on(team.workdir, day + timedelta(days=7)) == "carol"
    assert rotations.escalation(team.workdir) == {"oncall": ["alice"]}  # init's placeholder
    (team.workdir / "rotations" / "oncall.yaml").unlink()
    assert rotations.captain_on(team.workdir, day) is None


def test_pull_request_preview_shows_whose_shifts_move(team: TeamRemote, tmp_path: Path) -> None:
    pr = team.clone("pr")  # the pull request's data; the base checkout is team.workdir
    path = pr / "rotations" / "oncall.yaml"
    path.write_text(
        path.read_text().replace(
            "  - login: carol\n", "  - login: dave\n    from: 2026-11-18\n  - login: carol\n"
        )
    )
    members = pr / "ledger" / "members.yaml"  # a new volunteer is a member too
    members.write_text(members.read_text() + "  - login: dave\n    joined: 2026-11-18\n")
    summary = tmp_path / "summary.md"
    env = {"ANTE_NOW": NOW, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run_ante(
        [f"--repo={pr}", "rotation", "preview", "--before", str(team.workdir)], env=env
    )
    assert result.code == 0, result.err
    text = summary.read_text()
    assert "### Rotation `oncall`: the next 11 weeks" in text  # the current week is empty
    rows = [line for line in text.splitlines() if line.startswith("| Wed")]
    assert len(rows) == 11
    assert not any("moved" in row for row in rows[:5])  # the frozen horizon holds
    assert any("**@dave**" in row for row in rows[5:])
    assert "Shifts gained or lost:" in text and "@dave +" in text

    path.write_text(path.read_text().replace("weekday: wednesday", "weekday: someday"))
    result = run_ante(
        [f"--repo={pr}", "rotation", "preview", "--before", str(team.workdir)], env=env
    )
    assert result.code == 1
    assert "::error file=rotations/oncall.yaml,line=" in result.out
    assert "'someday' is not a day of the week" in result.err
