"""`ante issue`: one job per issue event does all it needs; missing credentials fail loudly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ante.files import emergencies
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git
from testbed.payloads import event_env, issues_event

NOW = "2026-11-22T00:00:00Z"


def issue(team: TeamRemote, env: dict[str, str]):
    return run_ante(
        ["--repo", str(team.workdir), "issue", "--event", env["GITHUB_EVENT_PATH"], "--push"],
        env={"ANTE_NOW": NOW, **env},
    )


def test_one_close_awards_tells_the_resolution_and_pages_a_missed_emergency(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    github_fake.now = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)
    github_fake.set_permission("o/r", "bob", "triage")
    number = github_fake.add_issue(
        "o/r", labels=["overhead"], label_actor="bob", assignees=["alice"]
    )
    github_fake.close_issue("o/r", number, by="alice")
    missed = github_fake.add_issue(  # opened by a member: members may page
        "o/r", title="Checkout down", labels=["product-emergency"], user="carol"
    )
    payload = issues_event("closed", number=number, labels=["overhead"], assignees=["alice"])
    payload["issue"]["created_at"] = payload["issue"]["updated_at"] = "2026-11-21T23:00:00Z"

    result = issue(team, {**github_env, **event_env(tmp_path, "issues", payload)})

    assert result.code == 0, result.err
    assert "+1 chip @alice" in team.show("ledger/journal/2026/entries.yaml") or "alice" in (
        result.out
    )
    [page] = emergencies.load_pages(team.workdir)
    assert page.issue.endswith(f"/issues/{missed}")  # its event never came: the sweep paged it
    assert github_fake.issue("o/r", missed).assignees == ["alice"]
    [said] = github_fake.comments("o/r", number)  # award and resolution share one comment
    assert "Resolved" in said.body and "alice" in said.body
    again = issue(team, {**github_env, **event_env(tmp_path, "issues", payload)})
    assert again.code == 0 and len(github_fake.comments("o/r", number)) == 1
    assert len(github_fake.comments("o/r", missed)) == 1


def test_an_unreachable_product_repository_fails_naming_credential_repo_and_permission(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    policy = team.workdir / "ledger" / "policy.yaml"
    policy.write_text(
        policy.read_text().replace("\nrepositories: []\n", "\nrepositories: [o/secret]\n")
    )
    git(team.workdir, "commit", "-qam", "a private product repository")
    # o/secret is private and the App was never installed on it: GitHub answers Not Found
    github_fake.add_repo("o/secret", private=True)
    app = github_fake.app_token(["o/r"], {"issues": "write", "contents": "write"})
    env = {
        **github_env,
        "GITHUB_TOKEN": app.value,
        "GITHUB_ACTIONS": "true",
        "ANTE_APP_CLIENT_ID": "Iv1.abc",
    }

    result = run_ante(["--repo", str(team.workdir), "sync"], env={"ANTE_NOW": NOW, **env})

    assert result.code == 1 and "Traceback" not in result.err
    assert "::error::" in result.out
    for named in ("ANTE_APP_PRIVATE_KEY", "o/secret", "`Issues: read`", "ANTE_REPOSITORIES"):
        assert named in result.err, named


def test_a_token_that_was_not_minted_or_is_missing_names_what_to_set(
    team: TeamRemote, tmp_path: Path
) -> None:
    payload = issues_event("closed", labels=["overhead"], assignees=["alice"])
    env = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "o/r", "ANTE_APP_TOKEN": "failure"}
    result = issue(team, {**env, **event_env(tmp_path, "issues", payload)})
    assert (
        result.code == 1
        and "ANTE_APP_PRIVATE_KEY" in result.err
        and "ANTE_APP_CLIENT_ID" in (result.err)
    )
    del env["ANTE_APP_TOKEN"]
    result = issue(team, {**env, **event_env(tmp_path, "issues", payload)})
    assert result.code == 1 and "GITHUB_TOKEN is empty" in result.err
