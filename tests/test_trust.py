"""Ownership and trust (issue 14): ante's comments are the ones its identity wrote; events and
dispatches only for the team's repositories; paging only by the people the policy names."""

from __future__ import annotations

import json
from pathlib import Path

from ante.files import emergencies
from ante.github import adapter, types
from test_emergency import NOW, SATURDAY_NIGHT
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote
from testbed.payloads import event_env, issues_event

TAG = types.marker_tag("issue")


def test_a_comment_that_merely_starts_with_the_marker_is_not_antes(
    github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    github_fake.add_user("mallory")
    number = github_fake.add_issue("o/r", title="x")
    forged = f"{TAG}\n<!-- ante-section:award -->\n[free chips](https://evil.example)\n"
    github_fake.add_comment("o/r", number, forged, user="mallory")
    gh = adapter.connect(github_env)
    assert gh is not None
    assert gh.own_comment(gh.comments("o/r", number), "issue") is None
    gh.upsert_comment("o/r", number, "issue", "ante's own words")
    comments = github_fake.comments("o/r", number)
    assert next(c.body for c in comments) == forged  # the forgery is left alone, not edited
    mine = [c for c in comments if c.body.startswith(TAG) and "ante's own words" in c.body]
    assert len(mine) == 1
    again = gh.upsert_comment("o/r", number, "issue", "updated")
    assert again.id == gh.own_comment(gh.comments("o/r", number), "issue").id  # type: ignore[union-attr]
    assert len(github_fake.comments("o/r", number)) == 2


def test_an_app_identity_is_recognised(github_fake: FakeGitHub, github_env: dict[str, str]) -> None:
    gh = adapter.connect({**github_env, "ANTE_IDENTITY": "ante-app[bot]"})
    assert gh is not None and gh.is_mine("ANTE-APP[bot]") and not gh.is_mine("github-actions[bot]")


def test_dispatch_for_a_repository_the_policy_does_not_name_is_refused(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    github_fake.add_repo("victim/other")
    event = tmp_path / "dispatch.json"
    event.write_text(
        json.dumps({"workflow": "award.yml", "ref": "main", "inputs": {"issue": "victim/other#1"}})
    )
    before = len(github_fake.calls)
    result = run_ante(
        ["--repo", str(team.workdir), "award", "--event", str(event)],
        env={"ANTE_NOW": NOW, "GITHUB_ACTIONS": "true", **github_env},
    )
    assert result.code == 1
    assert "victim/other is not one of this team's repositories" in result.err
    assert len(github_fake.calls) == before  # refused before asking GitHub anything


def test_a_forwarded_event_from_an_unlisted_repository_is_refused(
    team: TeamRemote, github_env: dict[str, str], tmp_path: Path
) -> None:
    payload = issues_event("closed", repo="victim/other", labels=["overhead"], assignees=["bob"])
    forwarded = tmp_path / "forwarded.json"
    forwarded.write_text(json.dumps({"action": "overhead", "client_payload": payload}))
    for command in ("award", "intake"):
        result = run_ante(
            ["--repo", str(team.workdir), command, "--event", str(forwarded)],
            env={"ANTE_NOW": NOW, **github_env},
        )
        assert result.code == 1, (command, result.out, result.err)
        assert "not one of this team's repositories" in result.err


def _page_event(tmp: Path, number: int, sender: str) -> dict[str, str]:
    payload = issues_event(
        "opened",
        number=number,
        title="Checkout is down",
        labels=["product-emergency"],
        author=sender,
        sender=sender,
    )
    payload["issue"]["created_at"] = SATURDAY_NIGHT
    return event_env(tmp, "issues-opened", payload)


def _emergency(team: TeamRemote, env: dict[str, str]):
    return run_ante(["--repo", str(team.workdir), "emergency"], env={"ANTE_NOW": NOW, **env})


def test_an_outsider_is_acknowledged_without_paging(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    github_fake.add_user("stranger")
    number = github_fake.add_issue("o/r", title="Checkout is down", labels=["product-emergency"])
    result = _emergency(team, {**github_env, **_page_event(tmp_path, number, "stranger")})
    assert result.code == 0, result.err
    assert "may not page" in result.out
    assert github_fake.issue("o/r", number).assignees == []
    [comment] = github_fake.comments("o/r", number)
    assert "received" in comment.body and "@alice" not in comment.body
    assert emergencies.load_pages(team.workdir) == []


def test_a_member_pages_and_everyone_can_when_the_policy_says_so(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    for login in ("alice", "bob", "carol", "stranger"):
        github_fake.add_user(login)
    first = github_fake.add_issue("o/r", title="Checkout is down", labels=["product-emergency"])
    assert _emergency(team, {**github_env, **_page_event(tmp_path, first, "carol")}).code == 0
    assert github_fake.issue("o/r", first).assignees == ["alice"]

    policy = team.workdir / "ledger" / "policy.yaml"
    policy.write_text(policy.read_text() + "paging:\n  who: everyone\n")
    second = github_fake.add_issue("o/r", title="Search is down", labels=["product-emergency"])
    assert _emergency(team, {**github_env, **_page_event(tmp_path, second, "stranger")}).code == 0
    assert github_fake.issue("o/r", second).assignees == ["alice"]


def test_a_repository_writer_may_page(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    for login in ("alice", "bob", "dana"):
        github_fake.add_user(login)
    github_fake.set_permission("o/r", "dana", "write")
    number = github_fake.add_issue("o/r", title="Checkout is down", labels=["product-emergency"])
    assert _emergency(team, {**github_env, **_page_event(tmp_path, number, "dana")}).code == 0
    assert github_fake.issue("o/r", number).assignees == ["alice"]


def test_the_paging_policy_is_validated(team: TeamRemote) -> None:
    policy = team.workdir / "ledger" / "policy.yaml"
    policy.write_text(policy.read_text() + "paging:\n  who: anyone at all\n")
    result = run_ante(["--repo", str(team.workdir), "validate"])
    assert result.code == 1 and "ledger/policy.yaml:" in result.err
