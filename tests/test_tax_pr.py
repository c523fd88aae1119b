"""`ante tax --open-pr` end to end: a real git remote and the contract-checked fake GitHub."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from testbed.ante import run_ante
from testbed.builders import at
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git

NOW = "2026-11-18T09:00:00Z"  # Wednesday of 2026-W47
TAX_FILE = "ledger/journal/2026/tax-2026-W47.yaml"


def seed_backlog(fake: FakeGitHub) -> None:
    """5 open overhead issues (the target); last week (W46) 3 were opened and 2 closed."""
    for n in range(3):
        fake.add_issue("o/r", labels=["overhead"], created_at=at(1 + n))
    fake.add_issue("o/r", labels=["overhead"], created_at=at(10))
    fake.add_issue("o/r", labels=["overhead:large"], created_at=at(11))
    fake.add_issue("o/r", labels=["overhead"], created_at=at(12), state="closed", closed_at=at(13))
    fake.add_issue("o/r", labels=["overhead"], created_at=at(2), state="closed", closed_at=at(14))
    fake.add_issue("o/r", labels=["bug"], created_at=at(12))  # not overhead
    fake.clock_to(at(18, 9))  # GitHub's clock when the tax runs: search has indexed all that


def tax_run(team: TeamRemote, env: dict[str, str], *args: str, now: str = NOW):
    return run_ante(["--repo", str(team.workdir), "tax", *args], env={**env, "ANTE_NOW": now})


@pytest.fixture
def team(team: TeamRemote) -> TeamRemote:
    """The team, members since October (members of less than a week pay no tax)."""
    path = team.workdir / "ledger/members.yaml"
    path.write_text(path.read_text().replace("joined: 2026-11-18", "joined: 2026-10-01"))
    git(team.workdir, "commit", "-qam", "members since October")
    git(team.workdir, "push", "-q", "origin", "main")
    return team


def set_policy(team: TeamRemote, **changes: str) -> None:
    """Edit `tax:` settings in place, as a person would."""
    path = team.workdir / "ledger/policy.yaml"
    text = path.read_text()
    for key, value in changes.items():
        text, count = re.subn(rf"^  {key}: .*$", f"  {key}: {value}", text, flags=re.M)
        assert count == 1, key
    path.write_text(text)
    git(team.workdir, "commit", "-qam", "policy")
    git(team.workdir, "push", "-q", "origin", "main")


def merge_branch(team: TeamRemote, fake: FakeGitHub, number: int, week: str) -> None:
    """What GitHub's merge button does: the branch lands on main."""
    git(team.workdir, "fetch", "-q", "origin", f"ante/tax/{week}")
    git(team.workdir, "merge", "-q", "--no-edit", "FETCH_HEAD")
    git(team.workdir, "push", "-q", "origin", "main")
    fake.merge_pull("o/r", number)


def test_pr_created_once_updated_on_rerun_and_noop_once_merged(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    github_fake.add_user("dana")
    github_fake.set_permission("o/r", "dana", "write")
    set_policy(team, reviewers="[dana]", labels="[chip-tax]", exempt_captain="false")
    seed_backlog(github_fake)

    first = tax_run(team, github_env, "--open-pr")
    assert first.code == 0, first.err
    assert len(github_fake.calls) <= 6, github_fake.calls
    pulls = github_fake.pulls("o/r")
    assert len(pulls) == 1
    pull = pulls[0]
    assert pull.title == "Weekly chip tax 2026-W47: 1 chip", pull.body
    assert pull.pull is not None and pull.pull.head == "ante/tax/2026-W47"
    assert pull.pull.requested_reviewers == ["dana"]
    assert "chip-tax" in pull.labels
    assert "| @alice | 2 | 1 | 1 |" in (pull.body or "")
    # The tax file is on the branch only; the metrics row went straight to main.
    on_branch = team.show(TAX_FILE, "ante/tax/2026-W47")
    assert "week: 2026-W47" in on_branch.replace('"', "")
    assert (
        '{id: "tax:2026-W47:alice", date: 2026-11-18, kind: tax, member: alice, delta: -1'
        in on_branch
    )
    assert "{week: 2026-W46, open: 5, opened: 3, closed: 2}" in team.show(
        "ledger/metrics/backlog.yaml"
    )
    with pytest.raises(subprocess.CalledProcessError):
        team.show(TAX_FILE)

    github_fake.calls.clear()
    git(team.workdir, "pull", "-q", "--ff-only")
    again = tax_run(team, github_env, "--open-pr")
    assert again.code == 0, again.err
    assert len(github_fake.pulls("o/r")) == 1
    assert github_fake.count("PATCH", "/repos/o/r/pulls/") == 1
    assert len(github_fake.calls) <= 6
    assert "updated" in again.out

    merge_branch(team, github_fake, pull.number, "2026-W47")
    head = team.head()
    github_fake.calls.clear()
    done = tax_run(team, github_env, "--open-pr")
    assert done.code == 0 and "already on main" in done.out
    assert github_fake.calls == [] and team.head() == head
    balances = run_ante(["--repo", str(team.workdir), "balance", "--format", "json"])
    assert json.loads(balances.out) == {"alice": 1, "bob": 1, "carol": 1}


def test_closed_unmerged_pr_waives_the_week_and_catch_up_offers_the_rest(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    seed_backlog(github_fake)
    assert tax_run(team, github_env, "--open-pr").code == 0
    (pull,) = github_fake.pulls("o/r")
    github_fake.close_issue("o/r", pull.number)

    # Two weeks later: W47 is waived (recorded on main), W48 and W49 are offered, once each.
    git(team.workdir, "pull", "-q", "--ff-only")
    later = tax_run(team, github_env, "--open-pr", now="2026-12-02T09:00:00Z")
    assert later.code == 0, later.err
    waived = team.show(TAX_FILE)
    assert "Waived: pull request" in waived and "entries: []" in waived
    titles = sorted(p.title for p in github_fake.pulls("o/r") if p.state == "open")
    assert titles == ["Weekly chip tax 2026-W48: 1 chip", "Weekly chip tax 2026-W49: 1 chip"]
    w49 = team.show("ledger/journal/2026/tax-2026-W49.yaml", "ante/tax/2026-W49")
    assert "delta: -1" in w49

    git(team.workdir, "pull", "-q", "--ff-only")
    tax_run(team, github_env, "--open-pr", now="2026-12-02T10:00:00Z")
    assert len(github_fake.pulls("o/r")) == 3  # the closed one and two open, never more


def test_without_token_plans_and_writes_locally(team: TeamRemote) -> None:
    dry = run_ante(["--repo", str(team.workdir), "tax", "--dry-run", "--format", "json"])
    assert dry.code == 0, dry.err
    shown = json.loads(dry.out)
    assert shown["week"] == "2026-W47" and shown["rate"] == 1
    captain = next(k for k, v in shown["members"].items() if v["exempt"] == "captain")
    payer = next(k for k in shown["members"] if k != captain)
    assert shown["members"][payer] == {"before": 2, "tax": 1, "after": 1, "exempt": None}
    assert not (team.workdir / TAX_FILE).exists()

    wrote = run_ante(["--repo", str(team.workdir), "tax"])
    assert wrote.code == 0 and (team.workdir / TAX_FILE).exists()
    balances = run_ante(["--repo", str(team.workdir), "balance", "--format", "json"])
    expected = {login: 2 if login == captain else 1 for login in ("alice", "bob", "carol")}
    assert json.loads(balances.out) == expected
    again = run_ante(["--repo", str(team.workdir), "tax"])
    assert "already on main" in again.out


def test_bad_week_is_a_usage_error(team: TeamRemote) -> None:
    bad = run_ante(["--repo", str(team.workdir), "tax", "--week", "2026-48"])
    assert bad.code == 2 and "ISO week" in bad.err


def test_the_captain_of_the_week_is_exempt(team: TeamRemote) -> None:
    from ante.core import tax
    from ante.files import rotations

    captain = rotations.captain_on(team.workdir, tax.tax_day("2026-W47"))
    assert captain in ("alice", "bob", "carol")  # `ante init` starts a rotation
    shown = run_ante(["--repo", str(team.workdir), "tax", "--dry-run", "--format", "json"])
    members = json.loads(shown.out)["members"]
    assert {login for login, row in members.items() if row["exempt"]} == {captain}
    assert members[captain]["tax"] == 0


def test_actions_not_allowed_to_open_prs_says_which_setting(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    message = "GitHub Actions is not permitted to create or approve pull requests."
    github_fake.inject("POST", r"^/repos/o/r/pulls$", status=403, retry_after=None, message=message)
    result = tax_run(team, github_env, "--open-pr")
    assert result.code == 1
    assert "Allow GitHub Actions to create and approve pull requests" in result.err
    assert github_fake.pulls("o/r") == []
