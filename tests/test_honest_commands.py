"""Commands do what they say: --push delivers earlier local commits, reports never write, and
every writing command says what it wrote. On a real git remote."""

from __future__ import annotations

from pathlib import Path

import yaml
from testbed.ante import NOW, run_ante
from testbed.awardkit import event_payload, write_event
from testbed.gitbed import TeamRemote, git


def ante(repo: Path, *args: str):
    return run_ante(["--repo", str(repo), *args], env={"ANTE_NOW": NOW})


def awards_on_origin(team: TeamRemote) -> list[str]:
    entries = yaml.safe_load(team.show("ledger/journal/2026/entries.yaml"))["entries"]
    return [e["id"] for e in entries if e["kind"] == "award"]


def test_push_after_a_local_run_pushes_the_local_runs_commit(
    team: TeamRemote, tmp_path: Path
) -> None:
    repo = team.clone("laptop")
    event = write_event(tmp_path, event_payload("closed", assignees=["alice"]))
    head = team.head()
    local = ante(repo, "award", "--event", str(event))
    assert local.code == 0, local.err
    assert "committed locally (push with --push): ante: +1 chip @alice for o/r#1" in local.out
    assert team.head() == head and git(repo, "status", "--porcelain") == ""

    # Meanwhile someone else lands a change on main: the local commit is rebased onto it.
    other = team.clone("other")
    (other / "README.md").write_text("# The team\n")
    git(other, "add", "README.md")
    git(other, "commit", "-qm", "readme")
    git(other, "push", "-q", "origin", "main")

    pushed = ante(repo, "award", "--event", str(event), "--push")
    assert pushed.code == 0, pushed.err
    assert "pushed 1 earlier local commit(s): ante: +1 chip @alice for o/r#1" in pushed.out
    assert awards_on_origin(team) == ["award:o/r#1:alice:1"]
    assert team.show("README.md") == "# The team\n"
    log = git(team.origin, "log", "--format=%s", "main").splitlines()
    assert log[:2] == ["ante: +1 chip @alice for o/r#1", "readme"]
    again = ante(repo, "award", "--event", str(event), "--push")
    assert again.code == 0 and "pushed" not in again.out  # nothing left to deliver


def test_a_conflicting_local_commit_is_kept_and_explained(team: TeamRemote, tmp_path: Path) -> None:
    laptop, runner = team.clone("laptop"), team.clone("runner")
    first = write_event(tmp_path, event_payload("closed", number=1, assignees=["alice"]))
    second = write_event(
        tmp_path, event_payload("closed", number=2, assignees=["bob"]), name="b.json"
    )
    assert ante(laptop, "award", "--event", str(first)).code == 0  # committed locally
    assert ante(runner, "award", "--event", str(second), "--push").code == 0
    refused = ante(laptop, "award", "--event", str(first), "--push")
    assert refused.code == 1
    assert "conflict with origin/main: nothing was pushed and nothing is lost" in refused.err
    assert "ante: +1 chip @alice" in git(laptop, "log", "-1", "--format=%s")
    assert awards_on_origin(team) == ["award:o/r#2:bob:1"]


def test_reports_never_write_and_writes_say_what_they_wrote(team: TeamRemote) -> None:
    repo = team.workdir
    members = repo / "ledger/members.yaml"
    members.write_text(members.read_text().replace("joined: 2026-11-18", "joined: 2026-10-01"))
    git(repo, "commit", "-qam", "members since October")
    for flags in (["--format", "json"], ["--dry-run"]):
        report = ante(repo, "tax", *flags)
        assert report.code == 0, report.err
        assert git(repo, "status", "--porcelain") == "", flags
    refused = ante(repo, "tax", "--format", "json", "--open-pr")
    assert refused.code == 2 and "--format json only reports" in refused.err
    written = ante(repo, "tax")
    assert "wrote ledger/journal/2026/tax-2026-W47.yaml (not committed)" in written.out
    assert (repo / "ledger/journal/2026/tax-2026-W47.yaml").exists()
    git(repo, "checkout", "-q", "--", ".")
    git(repo, "clean", "-qfd")

    refresh = ante(repo, "refresh")
    assert refresh.code == 0 and refresh.out.strip() in (
        "nothing changed",
        "ante: re-render STATUS.md",
    )
    (repo / "STATUS.md").unlink()
    status = ante(repo, "status")
    assert status.out.startswith("wrote STATUS.md")
    ics = ante(repo, "rotation", "ics")
    assert ics.code == 0 and "rotations/oncall.ics" in ics.out
