"""`ante award` on a real team repo and git remote, without a token (no GitHub calls)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from testbed.ante import run_ante
from testbed.awardkit import event_payload, write_event
from testbed.builders import journal
from testbed.gitbed import TeamRemote, git


def awards_in(repo: Path) -> list[dict]:
    return [e for e in journal(repo) if e["kind"] in ("award", "revoke")]


def balance(repo: Path) -> dict[str, int]:
    result = run_ante(["--repo", str(repo), "balance", "--format", "json"])
    assert result.code == 0, result.err
    return json.loads(result.out)


def award(repo: Path, path: Path, *extra: str, env: dict[str, str] | None = None):
    return run_ante(["--repo", str(repo), "award", "--event", str(path), *extra], env=env)


def test_close_awards_and_replays_change_nothing(team: TeamRemote, tmp_path: Path) -> None:
    repo = team.workdir
    closed = write_event(tmp_path, event_payload("closed", assignees=["alice"]))
    first = award(repo, closed)
    assert first.code == 0, first.err
    assert "no GitHub token" in first.out
    assert "+1 chip @alice" in first.out
    assert balance(repo)["alice"] == 3
    (entry,) = awards_in(repo)
    assert entry["id"] == "award:o/r#1:alice:1"
    assert entry["ref"] == "https://github.com/o/r/issues/1"
    before = (repo / "ledger/journal/2026/entries.yaml").read_text()
    for _ in range(3):
        again = award(repo, closed)
        assert again.code == 0 and "nothing to do" in again.out
    assert (repo / "ledger/journal/2026/entries.yaml").read_text() == before
    assert "alice" in (repo / "STATUS.md").read_text()


def test_ten_flips_end_with_the_right_net_chips(team: TeamRemote, tmp_path: Path) -> None:
    repo = team.workdir
    events = []
    for step in range(10):
        action = "closed" if step % 2 == 0 else "reopened"
        stamp = f"2026-11-17T10:{step:02d}:00Z"
        events.append(
            write_event(
                tmp_path,
                event_payload(action, assignees=["bob"], updated_at=stamp),
                name=f"e{step}.json",
            )
        )
    for path in events:
        assert award(repo, path).code == 0
    assert balance(repo)["bob"] == 2  # the tenth event reopened it
    assert len(awards_in(repo)) == 10
    for path in events * 3:  # replaying everything, even out of order, changes nothing
        assert award(repo, path).code == 0
    assert len(awards_in(repo)) == 10
    last = write_event(
        tmp_path, event_payload("closed", assignees=["bob"], updated_at="2026-11-17T11:00:00Z")
    )
    assert award(repo, last).code == 0
    assert balance(repo)["bob"] == 3


def test_large_label_not_planned_and_unlabelled(team: TeamRemote, tmp_path: Path) -> None:
    repo = team.workdir
    big = event_payload("closed", assignees=["carol"], labels=["overhead:large", "bug"])
    assert award(repo, write_event(tmp_path, big)).code == 0
    assert balance(repo)["carol"] == 4
    dropped = event_payload(
        "unlabeled",
        assignees=["carol"],
        labels=["bug"],
        label="overhead:large",
        updated_at="2026-11-17T12:00:00Z",
    )
    result = award(repo, write_event(tmp_path, dropped))
    assert result.code == 0 and "-2 chips @carol" in result.out
    noise = event_payload("closed", number=2, assignees=["carol"], state_reason="not_planned")
    result = award(repo, write_event(tmp_path, noise))
    assert result.code == 0 and "nothing to do" in result.out
    assert balance(repo)["carol"] == 2


def test_no_assignee_the_closer_earns_and_bots_never(team: TeamRemote, tmp_path: Path) -> None:
    repo = team.workdir
    by_alice = event_payload("closed", assignees=[], sender="alice")
    assert award(repo, write_event(tmp_path, by_alice)).code == 0
    assert balance(repo)["alice"] == 3
    by_bot = event_payload("closed", number=7, assignees=[], sender="github-actions[bot]")
    result = award(repo, write_event(tmp_path, by_bot))
    assert result.code == 0 and "nothing to do" in result.out


def test_non_members_earn_nothing(team: TeamRemote, tmp_path: Path) -> None:
    repo = team.workdir
    result = award(repo, write_event(tmp_path, event_payload("closed", assignees=["zed"])))
    assert result.code == 0
    assert "@zed: no chips, not a member" in result.out
    assert awards_in(repo) == []


def test_bad_input_exits_1_and_writes_nothing(team: TeamRemote, tmp_path: Path) -> None:
    repo = team.workdir
    before = git(repo, "status", "--porcelain")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json")
    result = award(repo, bad_json)
    assert result.code == 1 and "not a JSON event payload" in result.err
    pull = tmp_path / "pull.json"
    pull.write_text(json.dumps({"action": "closed", "pull_request": {"number": 1}}))
    result = award(repo, pull)
    assert result.code == 1 and "not an `issues` event" in result.err
    lacking = event_payload("closed")
    del lacking["issue"]["updated_at"]
    result = award(repo, write_event(tmp_path, lacking))
    assert result.code == 1 and "issue.updated_at is missing" in result.err
    result = award(repo, tmp_path / "missing.json")
    assert result.code == 1 and "no such event file" in result.err
    assert git(repo, "status", "--porcelain") == before


def test_unrelated_issue_is_nothing_to_do(team: TeamRemote, tmp_path: Path) -> None:
    result = award(team.workdir, write_event(tmp_path, event_payload("closed", labels=["bug"])))
    assert result.code == 0 and "nothing to do" in result.out
    opened = event_payload("opened")
    result = award(team.workdir, write_event(tmp_path, opened))
    assert result.code == 0 and "nothing to do" in result.out


def test_push_commits_ledger_and_status_in_one_commit(team: TeamRemote, tmp_path: Path) -> None:
    clone = team.clone("runner")
    closed = write_event(tmp_path, event_payload("closed", assignees=["alice"]))
    result = award(clone, closed, "--push")
    assert result.code == 0, result.err
    subject = git(team.origin, "log", "-1", "--format=%s", "main").strip()
    assert subject == "ante: +1 chip @alice for o/r#1"
    changed = git(team.origin, "show", "--name-only", "--format=", "main").split()
    assert sorted(changed) == [
        "STATUS.md",
        "ledger/journal/2026/entries.yaml",
        "ledger/statements/alice.md",  # the statement STATUS.md links alice's balance to
    ]
    head = team.head()
    assert award(clone, closed, "--push").code == 0
    assert team.head() == head  # a replay pushes nothing


def test_push_reapplies_on_top_of_a_concurrent_writer(team: TeamRemote, tmp_path: Path) -> None:
    first, second = team.clone("one"), team.clone("two")
    assert (
        award(first, write_event(tmp_path, event_payload("closed", number=1)), "--push").code == 0
    )
    later = write_event(
        tmp_path, event_payload("closed", number=2, assignees=["bob"]), name="b.json"
    )
    result = award(second, later, "--push")  # its clone is behind: rejected, then re-applied
    assert result.code == 0, result.err
    assert "attempt(s)" in result.out and "after 1 " not in result.out
    ids = [
        e["id"] for e in yaml.safe_load(team.show("ledger/journal/2026/entries.yaml"))["entries"]
    ]
    assert "award:o/r#1:alice:1" in ids
    assert "award:o/r#2:bob:1" in ids


def test_history_from_an_earlier_year_still_counts(team: TeamRemote, tmp_path: Path) -> None:
    repo = team.workdir
    steps = [
        ("closed", "2026-12-20T10:00:00Z"),
        ("reopened", "2027-01-05T10:00:00Z"),  # the revoke opens the 2027 period
        ("closed", "2027-01-06T10:00:00Z"),  # 2026's award is read from the closed period
        ("closed", "2027-01-06T10:00:00Z"),  # and a replay still changes nothing
    ]
    for index, (action, when) in enumerate(steps):
        path = write_event(
            tmp_path, event_payload(action, updated_at=when), name=f"year{index}.json"
        )
        result = award(repo, path, env={"ANTE_NOW": when})
        assert result.code == 0, result.err
    text = (repo / "ledger/journal/2027/entries.yaml").read_text()
    ids = [e["id"] for e in yaml.safe_load(text)["entries"]]
    assert ids == ["revoke:o/r#1:alice:1", "award:o/r#1:alice:2"]
    assert balance(repo)["alice"] == 3
    result = run_ante(["--repo", str(repo), "validate", "--against", ""])
    assert result.code == 0, result.err
