"""`ante award` against the contract-checked fake GitHub: no farming, one comment, ≤ 4 calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from testbed import forwarding, payloads
from testbed.ante import NOW, run_ante
from testbed.awardkit import event_payload, write_event
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote

TAG = "<!-- ante:issue -->"


def fake_event(fake: FakeGitHub, tmp: Path, number: int, action: str, **extra: str) -> Path:
    """The payload GitHub would send now for issue `number` of o/r, as the fake holds it."""
    issue = fake.issue("o/r", number)
    payload = event_payload(
        action,
        number=number,
        labels=issue.labels,
        assignees=issue.assignees,
        state_reason=issue.state_reason if issue.state == "closed" else None,
        updated_at=issue.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        **extra,
    )
    return write_event(tmp, payload, name=f"{number}-{action}-{len(fake.calls)}.json")


def award(repo: Path, event: Path, env: dict[str, str], *extra: str):
    return run_ante(
        ["--repo", str(repo), "award", "--event", str(event), *extra], env={**env, "ANTE_NOW": NOW}
    )


def ante_comments(fake: FakeGitHub, number: int) -> list[str]:
    return [c.body for c in fake.comments("o/r", number) if c.body.startswith(TAG)]


def entries(repo: Path) -> list[dict]:
    data = yaml.safe_load((repo / "ledger/journal/2026/entries.yaml").read_text())
    return [e for e in data["entries"] if e["kind"] in ("award", "revoke")]


def closed_issue(fake: FakeGitHub, *, labeler: str = "bob", assignee: str = "alice") -> int:
    number = fake.add_issue(
        "o/r", title="Flaky export", labels=["overhead"], label_actor=labeler, assignees=[assignee]
    )
    fake.close_issue("o/r", number, by=assignee)
    return number


def test_award_comments_once_within_three_calls(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    number = closed_issue(github_fake)
    before = len(github_fake.calls)
    result = award(team.workdir, fake_event(github_fake, tmp_path, number, "closed"), github_env)
    assert result.code == 0, result.err
    assert len(github_fake.calls) - before <= 3
    assert [e["id"] for e in entries(team.workdir)] == [f"award:o/r#{number}:alice:1"]
    (body,) = ante_comments(github_fake, number)
    assert "@alice: 1 chip for this issue (balance 3 chips)" in body
    assert "not checked" not in body

    github_fake.reopen_issue("o/r", number, by="carol")
    before = len(github_fake.calls)
    reopened = fake_event(github_fake, tmp_path, number, "reopened")
    assert award(team.workdir, reopened, github_env).code == 0
    assert len(github_fake.calls) - before <= 3
    (body,) = ante_comments(github_fake, number)  # edited in place
    assert "reopened" in body and "@alice: 0 chips for this issue (balance 2 chips)" in body

    before = len(github_fake.calls)
    assert award(team.workdir, reopened, github_env).code == 0  # a replay: nothing to edit
    assert github_fake.count("PATCH") == 1 and len(github_fake.calls) - before <= 2
    assert len(ante_comments(github_fake, number)) == 1


def test_self_labelled_issue_earns_only_with_triage_rights(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    number = closed_issue(github_fake, labeler="alice")
    github_fake.set_permission("o/r", "alice", "read")
    before = len(github_fake.calls)
    result = award(team.workdir, fake_event(github_fake, tmp_path, number, "closed"), github_env)
    assert result.code == 0, result.err
    assert len(github_fake.calls) - before == 4  # the issue now, timeline, permission, comment
    assert entries(team.workdir) == []
    (body,) = ante_comments(github_fake, number)
    assert "`overhead` was applied by @alice themselves" in body

    other = closed_issue(github_fake, labeler="alice")
    github_fake.set_permission("o/r", "alice", "triage")
    result = award(team.workdir, fake_event(github_fake, tmp_path, other, "closed"), github_env)
    assert result.code == 0 and "+1 chip @alice" in result.out


def test_non_member_gets_a_friendly_comment(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    number = closed_issue(github_fake, assignee="zed")
    result = award(team.workdir, fake_event(github_fake, tmp_path, number, "closed"), github_env)
    assert result.code == 0 and entries(team.workdir) == []
    (body,) = ante_comments(github_fake, number)
    assert "@zed is not in the chip game yet" in body
    assert "https://github.com/o/r/blob/HEAD/ledger/members.yaml" in body


def test_an_issue_that_never_was_overhead_costs_no_calls(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    number = github_fake.add_issue("o/r", labels=["bug"], assignees=["alice"])
    github_fake.close_issue("o/r", number)
    before = len(github_fake.calls)
    result = award(team.workdir, fake_event(github_fake, tmp_path, number, "closed"), github_env)
    assert result.code == 0 and "nothing to do" in result.out
    assert len(github_fake.calls) == before


def test_a_payload_overtaken_by_a_later_change_applies_the_current_state(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    number = closed_issue(github_fake)
    closed = fake_event(github_fake, tmp_path, number, "closed")
    github_fake.now = github_fake.now.replace(hour=github_fake.now.hour + 1)
    github_fake.reopen_issue("o/r", number)
    result = award(team.workdir, closed, github_env)  # delivered after the reopen happened
    # the run reads the issue as it is now (reopened): nothing is worth chips, nothing is said
    assert result.code == 0, result.err
    assert entries(team.workdir) == [] and ante_comments(github_fake, number) == []


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 502, "after_effect": True},
        {"status": 502, "after_effect": False},
        {"status": 403, "retry_after": 1, "message": "You have exceeded a secondary rate limit."},
        {"status": None, "delay": 1.5, "after_effect": True},
    ],
    ids=["502-after-effect", "502-lost", "secondary-rate-limit", "timeout"],
)
def test_comment_faults_end_with_one_award_and_one_comment(
    team: TeamRemote,
    tmp_path: Path,
    github_fake: FakeGitHub,
    github_env: dict,
    fault: dict,
) -> None:
    clone = team.clone("runner")
    number = closed_issue(github_fake)
    github_fake.inject("POST", r"/comments$", **fault)
    event = fake_event(github_fake, tmp_path, number, "closed")
    first = award(clone, event, github_env, "--push")
    again = award(clone, event, github_env, "--push")  # a rerun, whatever the first said
    assert again.code == 0, again.err
    journal = yaml.safe_load(team.show("ledger/journal/2026/entries.yaml"))["entries"]
    assert [e["id"] for e in journal if e["kind"] == "award"] == [f"award:o/r#{number}:alice:1"]
    assert len(ante_comments(github_fake, number)) == 1
    if first.code != 0:
        assert "journal is up to date" in first.err


def test_an_event_forwarded_by_a_product_repo_awards(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    number = closed_issue(github_fake)
    full = json.loads(fake_event(github_fake, tmp_path, number, "closed").read_text())
    sent = forwarding.forward(full)  # the README's forwarding workflow
    assert sent is not None
    dispatch = payloads.repository_dispatch_event(
        "ante-issue", client_payload=sent["client_payload"]
    )
    path = write_event(tmp_path, dispatch, name="dispatch.json")
    result = award(team.workdir, path, github_env)
    assert result.code == 0, result.err
    assert [e["id"] for e in entries(team.workdir)] == [f"award:o/r#{number}:alice:1"]


def test_workflow_dispatch_applies_one_named_issue(
    team: TeamRemote, tmp_path: Path, github_fake: FakeGitHub, github_env: dict
) -> None:
    number = closed_issue(github_fake)
    manual = payloads.workflow_dispatch_event(inputs={"issue": f"o/r#{number}"})
    path = write_event(tmp_path, manual, name="manual.json")
    before = len(github_fake.calls)
    result = award(team.workdir, path, github_env)
    assert result.code == 0, result.err
    assert len(github_fake.calls) - before <= 4  # the issue itself, then as for an event
    assert [e["member"] for e in entries(team.workdir)] == ["alice"]
    bad = write_event(tmp_path, payloads.workflow_dispatch_event(inputs={"issue": "12"}))
    result = award(team.workdir, bad, github_env)
    assert result.code == 1 and "expected owner/repo#12" in result.err
