"""One place for absence (leave exempts the tax and on-call), and validate knows the roster."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from testbed.ante import NOW, run_ante
from testbed.gitbed import TeamRemote, git


def ante(team: TeamRemote, *args: str, now: str = NOW):
    return run_ante(["--repo", str(team.workdir), *args], env={"ANTE_NOW": now})


def edit(team: TeamRemote, path: str, old: str, new: str) -> None:
    target = team.workdir / path
    text = target.read_text()
    assert old in text, (path, old)
    target.write_text(text.replace(old, new, 1))


def members_since_october(team: TeamRemote) -> None:
    path = team.workdir / "ledger/members.yaml"
    path.write_text(path.read_text().replace("joined: 2026-11-18", "joined: 2026-10-01"))


def on_call(team: TeamRemote, weeks: int = 12) -> dict[str, set[str]]:
    result = ante(team, "rotation", "--format", "json", "--weeks", str(weeks))
    assert result.code == 0, result.err
    return {w["start"][:10]: set(w["roles"].values()) for w in json.loads(result.out)}


def tax_plan(team: TeamRemote, week: str) -> dict[str, dict]:
    result = ante(team, "tax", "--week", week, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)["members"]


def test_leave_in_the_members_file_exempts_the_tax_and_on_call(team: TeamRemote) -> None:
    members_since_october(team)
    edit(
        team,
        "ledger/members.yaml",
        "  - login: alice\n    joined: 2026-10-01\n",
        "  - login: alice\n    joined: 2026-10-01\n"
        "    leave:\n      - {from: 2027-01-04, to: 2027-01-17, note: skiing}\n",
    )
    # carol cannot be on call one week but works: on-call-only absence, in the rotation.
    edit(
        team,
        "rotations/oncall.yaml",
        "  - login: carol\n    from: 2026-11-18\n",
        "  - login: carol\n    from: 2026-11-18\n"
        "    unavailable:\n      - {from: 2027-01-18, to: 2027-01-24, note: moving house}\n",
    )
    assert ante(team, "validate").code == 0
    weeks = on_call(team)
    # Every week touching alice's leave (Wed-to-Wed weeks from 2026-12-30 to 2027-01-13).
    for start in ("2026-12-30", "2027-01-06", "2027-01-13"):
        assert "alice" not in weeks[start], (start, weeks[start])
    for start in ("2027-01-13", "2027-01-20"):
        assert "carol" not in weeks[start], (start, weeks[start])
    assert weeks["2027-01-20"] == {"alice", "bob"}
    # The tax reads the same leave; rotation unavailability is not leave: carol pays.
    w02 = tax_plan(team, "2027-W02")
    assert w02["alice"]["exempt"] == "leave" and w02["alice"]["tax"] == 0
    w03 = tax_plan(team, "2027-W03")
    assert (w03["carol"]["exempt"], w03["carol"]["tax"]) == (None, 1)


def test_leave_inside_the_frozen_weeks_asks_for_a_swap(team: TeamRemote) -> None:
    frozen = on_call(team, 4)
    week = next(start for start, people in frozen.items() if "bob" in people and start > NOW)
    day = week  # the week's first day (a Wednesday)
    edit(
        team,
        "ledger/members.yaml",
        "  - login: bob\n    joined: 2026-11-18\n",
        f"  - login: bob\n    joined: 2026-11-18\n    leave:\n      - {{from: {day}, to: {day}}}\n",
    )
    result = ante(team, "rotation")
    assert result.code == 0, result.err
    assert f"@bob is unavailable {day} to {day} (leave); add an override" in result.err
    assert on_call(team, 4) == frozen  # published weeks never move by themselves


def test_validate_knows_the_roster(team: TeamRemote) -> None:
    assert ante(team, "validate").code == 0
    edit(team, "rotations/oncall.yaml", "escalation: [alice]", "escalation: [grace]")
    edit(
        team,
        "rotations/oncall.yaml",
        "  - login: carol\n",
        "  - login: dave\n    from: 2026-11-18\n  - login: carol\n",
    )
    result = ante(team, "validate")
    assert result.code == 1
    text = (team.workdir / "rotations/oncall.yaml").read_text().splitlines()
    dave = next(i for i, line in enumerate(text, 1) if "login: dave" in line)
    grace = next(i for i, line in enumerate(text, 1) if line.startswith("escalation:"))
    assert f"rotations/oncall.yaml:{dave}:" in result.err and "volunteer dave is not a member" in (
        result.err
    )
    assert f"rotations/oncall.yaml:{grace}:" in result.err and "manager grace" in result.err
    # The policy names people who are on a rotation without playing the chip game.
    edit(team, "ledger/policy.yaml", "external: []", "external: [grace, dave]")
    assert ante(team, "validate").code == 0

    edit(team, "rotations/oncall.yaml", "escalation: [grace]", "escalation: []")
    empty = ante(team, "validate")
    assert empty.code == 1 and "no managers" in empty.err
    edit(team, "rotations/oncall.yaml", "escalation: []", "escalation: [grace]")


def test_validate_refuses_an_override_that_gives_one_person_two_roles(team: TeamRemote) -> None:
    result = ante(team, "rotation", "--format", "json", "--weeks", "4")
    week = json.loads(result.out)[2]
    mate = week["roles"]["first-mate"]
    start = week["start"][:10]
    end = date.fromisoformat(start) + timedelta(days=6)  # a whole week, handoff to handoff
    override = f"  - {{from: {start}, to: {end}, role: captain, cover: {mate}}}\n"
    edit(team, "rotations/oncall.yaml", "overrides: []", "overrides:\n" + override)
    refused = ante(team, "validate")
    assert refused.code == 1
    assert f"{mate} would hold captain and first-mate in the week of {start}" in refused.err
    line = next(
        i
        for i, text in enumerate(
            (team.workdir / "rotations/oncall.yaml").read_text().splitlines(), 1
        )
        if f"cover: {mate}" in text
    )
    assert f"rotations/oncall.yaml:{line}:" in refused.err
    git(team.workdir, "checkout", "-q", "--", "rotations/oncall.yaml")
    assert ante(team, "validate").code == 0


def test_rotations_read_again_in_one_run_follow_every_edit(team: TeamRemote) -> None:
    """A run keeps the rotations it checked by their files' bytes (and the members file's):
    an edit to either is seen at once, and a broken file is refused every time."""
    from ante.errors import DataError
    from ante.files import rotations

    repo = team.workdir
    first = rotations.load_rotations(repo)
    assert rotations.load_rotations(repo) == first
    assert not any(v.unavailable for v in first[0].config.volunteers)
    edit(
        team,
        "ledger/members.yaml",
        "  - login: alice\n",
        "  - login: alice\n    leave:\n      - {from: 2027-01-04, to: 2027-01-17}\n",
    )
    alice = rotations.load_rotations(repo)[0].config.volunteer("alice")
    assert alice is not None and [p.note for p in alice.unavailable] == ["leave"]
    path = repo / "rotations" / "oncall.yaml"
    good = path.read_text()
    path.write_text(good.replace("horizon_weeks: 4", "horizon_weeks: many"))
    for _ in range(2):
        with pytest.raises(DataError) as caught:
            rotations.load_rotations(repo)
        assert caught.value.problems[0].path == "rotations/oncall.yaml"
    path.write_text(good.replace("horizon_weeks: 4", "horizon_weeks: 6"))
    assert rotations.load_rotations(repo)[0].config.horizon_weeks == 6
