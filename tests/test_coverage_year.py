"""A year of on-call on a real git remote and the checked fake GitHub: terms expire, the handoff
issue and STATUS.md warn ahead, one volunteer renews by a one-line pull request (previewed by
the rotation check), the empty weeks go away, and nobody is ever paged as `@None`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git
from testbed.payloads import event_env, issues_event

VOLUNTEERS = """volunteers:
  - login: alice
    from: 2026-11-18
  - login: bob
    from: 2026-11-18
  - login: carol
    from: 2026-11-18
    to: 2027-08-31
"""


def setup_rotation(team: TeamRemote) -> None:
    """alice and bob serve until 2027-05-18, carol until 2027-08-31; grace is the manager."""
    path = team.workdir / "rotations/oncall.yaml"
    text = re.sub(r"volunteers:\n(  .*\n|    .*\n)*", VOLUNTEERS, path.read_text())
    path.write_text(text.replace("escalation: [alice]", "escalation: [grace]"))
    policy = team.workdir / "ledger/policy.yaml"
    policy.write_text(policy.read_text().replace("external: []", "external: [grace]"))
    git(team.workdir, "commit", "-qam", "the year's roster")
    git(team.workdir, "push", "-q", "origin", "main")
    assert run_ante(["--repo", str(team.workdir), "validate"]).code == 0


def handoff(team: TeamRemote, env: dict[str, str], when: datetime, summary: Path):
    return run_ante(
        ["--repo", str(team.workdir), "handoff", "--push"],
        env={
            **env,
            "ANTE_NOW": when.isoformat().replace("+00:00", "Z"),
            "GITHUB_ACTIONS": "true",
            "GITHUB_STEP_SUMMARY": str(summary),
        },
    )


def this_weeks_issue(fake: FakeGitHub, day: date) -> str:
    found = [
        i
        for i in fake.issues("o/r")
        if "on-call-handoff" in i.labels and i.title.endswith(f"week of {day}")
    ]
    assert len(found) == 1, (day, [i.title for i in fake.issues("o/r")][-3:])
    return found[0].body or ""


def page(team: TeamRemote, fake: FakeGitHub, env: dict[str, str], tmp: Path, when: str):
    number = fake.add_issue("o/r", title=f"Down at {when}", labels=["product-emergency"])
    payload = issues_event(  # opened by a member: members may page
        "opened", number=number, title="Down", labels=["product-emergency"], sender="alice"
    )
    payload["issue"]["created_at"] = when
    result = run_ante(
        ["--repo", str(team.workdir), "emergency", "--push"],
        env={**env, **event_env(tmp, "issues-opened", payload), "ANTE_NOW": when},
    )
    assert result.code == 0, result.err
    comments = [c.body for c in fake.comments("o/r", number)]
    return fake.issue("o/r", number).assignees, comments, result


def renew_by_pull_request(team: TeamRemote, tmp: Path) -> str:
    """bob's one-line pull request, and the rotation check's preview of it."""
    laptop = team.clone("bob-laptop")
    path = laptop / "rotations/oncall.yaml"
    text = path.read_text()
    renewed = text.replace(
        "  - login: bob\n    from: 2026-11-18\n",
        "  - login: bob\n    from: 2026-11-18\n    to: 2027-11-18\n",
    )
    assert renewed != text
    path.write_text(renewed)
    git(laptop, "checkout", "-qb", "renew-bob")
    git(laptop, "commit", "-qam", "bob renews his term")
    assert git(laptop, "diff", "--numstat", "main").split()[:2] == ["1", "0"]  # one line
    preview = run_ante(
        ["--repo", str(laptop), "rotation", "preview", "--before", str(team.workdir)],
        env={"ANTE_NOW": "2027-03-25T09:00:00Z"},
    )
    assert preview.code == 0, preview.err
    git(laptop, "push", "-q", "origin", "renew-bob:main")  # merged
    return preview.out


def test_a_year_of_terms_warnings_renewal_and_escalation(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    for login in ("alice", "bob", "carol", "grace"):
        github_fake.add_user(login)
    setup_rotation(team)
    summary = tmp_path / "summary.md"
    start = datetime(2026, 11, 25, 10, 5, tzinfo=UTC)
    seen: dict[date, tuple[int, str, str, str]] = {}
    paged: list[tuple[str, list[str], list[str]]] = []
    for week in range(53):
        when = start + timedelta(weeks=week)
        day = when.date()
        if day == date(2027, 3, 31):
            preview = renew_by_pull_request(team, tmp_path)
            assert "~~—~~ → **@bob**" in preview  # the empty first-mate weeks fill
            git(team.workdir, "pull", "-q", "--ff-only")
        summary.write_text("")
        github_fake.advance(days=7)  # GitHub's clock: a week between handoffs
        result = handoff(team, github_env, when, summary)
        assert result.code in (0, 1), (day, result.err)
        status = (team.workdir / "STATUS.md").read_text()
        seen[day] = (result.code, this_weeks_issue(github_fake, day), status, result.out)
    for moment in ("2027-01-09T23:30:00Z", "2027-09-04T23:30:00Z", "2027-11-20T23:30:00Z"):
        github_fake.advance(minutes=5)
        assignees, comments, result = page(team, github_fake, github_env, tmp_path, moment)
        paged.append((moment, assignees, comments))

    def issue(day: str) -> str:
        return seen[date.fromisoformat(day)][1]

    def code(day: str) -> int:
        return seen[date.fromisoformat(day)][0]

    # Quiet months: no warning while every term has long to run.
    assert "Coverage" not in issue("2027-01-06") and "Coverage" not in seen[date(2027, 1, 6)][2]
    # alice's and bob's terms (to 2027-05-18) are flagged from the moment a renewal still
    # changes the schedule (8 weeks ahead), still 4 weeks ahead, with the one-line renewal.
    assert "alice's term ends" not in issue("2027-03-17")
    for moment in ("2027-03-24", "2027-04-21"):
        assert "@alice's term ends in" in issue(moment)
        assert "renew by adding `to: 2027-11-18` under `- login: alice`" in issue(moment)
    assert "@bob's term ends in 55 days (2027-05-18)" in issue("2027-03-24")
    # ...and the weeks nobody would be first-mate show before they are published.
    assert "Empty role, week of Wed 2027-05-12 10:00: no first-mate" in issue("2027-03-24")
    status = seen[date(2027, 3, 24)][2]
    assert "## Coverage" in status and "nobody is first-mate" in status
    # bob renewed by pull request on 2027-03-31: the empty weeks are gone, alice still warned.
    after = issue("2027-03-31")
    assert "Empty role" not in after and "@bob's term" not in after
    assert "@alice's term ends in" in after
    assert all(code(d) == 0 for d in ("2027-03-31", "2027-05-12", "2027-06-02"))
    assert "bob" in seen[date(2027, 5, 12)][1].split("**First-mate Firefighter:**")[1][:10]
    # carol does not renew (term to 2027-08-31): warned, then the published weeks lack a
    # first-mate and the handoff fails loudly, with an annotation and a job summary.
    assert "@carol's term ends in" in issue("2027-07-07")
    failing = [d for d, (c, *_rest) in seen.items() if c != 0]
    assert failing and min(failing) == date(2027, 7, 28)
    _, body, _, _ = seen[date(2027, 7, 28)]
    assert "already published: needs an override" in body
    # bob's renewed term ends 2027-11-18: nobody at all after it.
    assert "Nobody is on call this week" in issue("2027-11-24")
    # Pages: the captain when there is one, the escalation tier when nobody is on call.
    assert len(paged[0][1]) == 1 and paged[0][1][0] in ("alice", "bob", "carol")
    assert paged[1][1] == ["bob"]
    assert paged[2][1] == ["grace"]
    assert "right now: the managers are paged at once" in paged[2][2][0]
    assert "nobody on call: paged the managers @grace" in paged[2][2][0]
    everything = [b for _, b, s, o in seen.values() for b in (b, s, o)]
    everything += [c for _, _, comments in paged for c in comments]
    assert everything and not any("@None" in text for text in everything)


def test_the_failing_handoff_says_so_in_the_annotation_and_summary(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    github_fake.add_user("alice")
    path = team.workdir / "rotations/oncall.yaml"
    text = re.sub(
        r"volunteers:\n(  .*\n|    .*\n)*",
        "volunteers:\n  - login: alice\n    from: 2026-11-18\n",
        path.read_text(),
    )
    path.write_text(text)
    git(team.workdir, "commit", "-qam", "only alice")
    summary = tmp_path / "summary.md"
    result = handoff(team, github_env, datetime(2026, 11, 25, 10, 5, tzinfo=UTC), summary)
    assert result.code == 1
    assert "::error file=rotations/oncall.yaml::rotation oncall: nobody on call" in result.out
    assert "no first-mate" in summary.read_text() and "ante handoff" in summary.read_text()
    # The records were still written and pushed, and the week's issue opened, before failing.
    assert "oncall: opened" in result.out
    assert "ante handoff:" in git(team.origin, "log", "-1", "--format=%s", "main")
