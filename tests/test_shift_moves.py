"""A volunteer's pull request that moves other people's future shifts tells exactly them, in one
comment on the pull request, with their old and new dates."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from ante.core.moves import moves
from ante.core.schedule import Shift
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git
from testbed.payloads import event_env, pull_request_event

NIGHTS = """\
roles: [volunteer]
handoff: {weekday: wednesday, time: "10:00", timezone: Europe/London}
emergency_label: null
escalation: [alice]
volunteers:
  - {login: alice, from: 2026-11-04}
  - {login: bob, from: 2026-11-04}
  - {login: carol, from: 2026-11-04}
  - {login: dave, from: 2026-11-04}
  - {login: erin, from: 2026-11-04}
"""
# Before: Nov 18 carol, Nov 25 dave, Dec 2 erin, Dec 9 alice, Dec 16 bob, Dec 23 carol…
# Carol is away from Nov 19 to Dec 1 (the weeks of Nov 18 and Nov 25), so by hand:
# Nov 18 dave (waited longest), Nov 25 erin, Dec 2 carol, then alice and bob as before.
AWAY = "  - {login: carol, from: 2026-11-04, unavailable: [{from: 2026-11-19, to: 2026-12-01}]}"


def test_a_change_moving_three_people_mentions_exactly_them_once(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    (team.workdir / "rotations" / "nights.yaml").write_text(NIGHTS)
    policy = team.workdir / "ledger" / "policy.yaml"  # night volunteers from other teams
    policy.write_text(policy.read_text().replace("external: []", "external: [dave, erin]"))
    git(team.workdir, "add", "-A")
    git(team.workdir, "commit", "-qm", "nights")
    pr = tmp_path / "pr"
    shutil.copytree(team.workdir, pr)
    nights = pr / "rotations" / "nights.yaml"
    nights.write_text(nights.read_text().replace("  - {login: carol, from: 2026-11-04}", AWAY))
    number = github_fake.add_pull("o/r", head="carol-away", user="carol")
    payload = pull_request_event("synchronize", number=number, author="carol", sender="carol")
    env = {**github_env, **event_env(tmp_path, "pull_request", payload)}
    args = ["--repo", str(pr), "rotation", "preview", "--before", str(team.workdir), "--comment"]
    for _ in range(2):  # pushed twice: still one comment
        result = run_ante(args, env={"ANTE_NOW": "2026-11-18T09:00:00Z", **env})
        assert result.code == 0, result.err

    [comment] = github_fake.comments("o/r", number)
    body = comment.body
    mentioned = sorted(w.strip("@,.:") for w in body.split() if w.startswith("@"))
    assert mentioned == ["carol", "dave", "erin"]
    assert "moves the on-call shifts of 3 people" in body
    blocks = {b.split("\n")[0]: b for b in body.split("- @")[1:]}
    assert "before: volunteer Wed 18 Nov 2026 10:00" in blocks["carol"]
    assert "after: volunteer Wed 02 Dec 2026 10:00" in blocks["carol"]
    assert "before: volunteer Wed 25 Nov 2026 10:00" in blocks["dave"]
    assert "after: volunteer Wed 18 Nov 2026 10:00" in blocks["dave"]
    assert "before: volunteer Wed 02 Dec 2026 10:00" in blocks["erin"]
    assert "after: volunteer Wed 25 Nov 2026 10:00" in blocks["erin"]
    assert "Whose future shifts this change moves" in result.out  # the job summary's copy
    assert "@carol" not in result.out.split("Whose future shifts")[1]  # no mentions there


def test_a_change_that_moves_nobody_posts_nothing(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    number = github_fake.add_pull("o/r", head="typo")
    payload = pull_request_event("opened", number=number)
    env = {**github_env, **event_env(tmp_path, "pull_request", payload)}
    args = ["--repo", str(team.workdir), "rotation", "preview", "--before", str(team.workdir)]
    result = run_ante([*args, "--comment"], env={"ANTE_NOW": "2026-11-18T09:00:00Z", **env})
    assert result.code == 0, result.err
    assert github_fake.comments("o/r", number) == []
    assert "No future shift moves for anyone." in result.out


def test_moves_compare_logins_without_case_and_ignore_the_past() -> None:
    def at(day: int) -> datetime:
        return datetime(2026, 12, day, 10, tzinfo=UTC)

    before = [Shift(at(1), at(8), {"captain": "Alice"}), Shift(at(8), at(15), {"captain": "bob"})]
    after = [Shift(at(1), at(8), {"captain": "bob"}), Shift(at(8), at(15), {"captain": "alice"})]
    found = moves(before, after, at(2))
    assert [m.login for m in found] == ["Alice", "bob"]
    assert found[0].old == (("captain", at(1), at(8)),) and found[0].new == (
        ("captain", at(8), at(15)),
    )
    assert moves(before, after, at(20)) == []
    same = [Shift(at(1), at(8), {"captain": "ALICE"})]
    assert moves(before[:1], same, at(2)) == []
