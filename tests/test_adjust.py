"""`ante adjust`: a reasoned correction proposed as a pull request, never pushed to main."""

from __future__ import annotations

import json
import re

import yaml
from ante.render import escape
from testbed.ante import NOW, run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git


def adjust(team: TeamRemote, *args: str, env: dict[str, str] | None = None):
    return run_ante(
        ["--repo", str(team.workdir), "adjust", *args], env={"ANTE_NOW": NOW, **(env or {})}
    )


def reviewers(team: TeamRemote, *logins: str) -> None:
    path = team.workdir / "ledger/policy.yaml"
    path.write_text(
        re.sub(
            r"^  reviewers: .*$",
            f"  reviewers: [{', '.join(logins)}]",
            path.read_text(),
            flags=re.M,
        )
    )
    git(team.workdir, "commit", "-qam", "reviewers")
    git(team.workdir, "push", "-q", "origin", "main")


def test_open_pr_proposes_one_reviewed_entry_and_never_touches_main(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    github_fake.add_user("dana")
    github_fake.set_permission("o/r", "dana", "write")
    reviewers(team, "dana")
    head = team.head()
    env = {**github_env, "GITHUB_ACTOR": "bob"}
    reason = "double award for o/r#12 | closed twice"
    result = adjust(team, "alice", "-2", "--reason", reason, "--open-pr", env=env)
    assert result.code == 0, result.err
    assert "Chip adjustment: @alice -2 (2 → 0), asked by @bob" in result.out
    assert "opened http" in result.out
    assert team.head() == head  # main is untouched: merging the pull request applies it
    (pull,) = github_fake.pulls("o/r")
    assert pull.title == "Chip adjustment: @alice -2"
    assert pull.pull is not None and pull.pull.head.startswith("ante/adjust/2026-11-18-alice-")
    assert pull.pull.requested_reviewers == ["dana"]
    assert "chip-adjustment" in pull.labels
    body = pull.body or ""
    assert "asked by @bob" in body and escape.markdown(reason, 1000) in body  # text, not links
    assert "closed twice" in (pull.body or "") and "| After merging | 0 |" in (pull.body or "")
    assert git(team.workdir, "status", "--porcelain") == ""

    again = adjust(team, "alice", "-2", "--reason", reason, "--open-pr", env=env)
    assert again.code == 0 and "updated" in again.out
    assert len(github_fake.pulls("o/r")) == 1  # the same request is the same pull request

    # The merge button: the branch lands on main; the statement shows the reason and who asked.
    git(team.workdir, "fetch", "-q", "origin", pull.pull.head)
    git(team.workdir, "merge", "-q", "--no-edit", "FETCH_HEAD")
    git(team.workdir, "push", "-q", "origin", "main")
    github_fake.merge_pull("o/r", pull.number)
    valid = run_ante(["--repo", str(team.workdir), "validate", "--against", head])
    assert valid.code == 0, valid.err
    statement = json.loads(
        run_ante(["--repo", str(team.workdir), "history", "alice", "--format", "json"]).out
    )
    last = statement["entries"][-1]
    assert (last["kind"], last["delta"], last["balance"]) == ("adjust", -2, 0)
    assert last["note"] == f"{reason} (asked by @bob)"
    (path,) = (team.workdir / "ledger/journal/2026").glob("adjust-*.yaml")
    (entry,) = yaml.safe_load(path.read_text())["entries"]
    assert entry["by"] == "bob" and entry["reason"] == reason
    done = adjust(team, "alice", "-2", "--reason", reason, "--open-pr", env=env)
    assert done.code == 1 and "already in the journal" in done.err


def test_a_reason_and_who_asked_are_mandatory(team: TeamRemote) -> None:
    missing = adjust(team, "alice", "+1", "--by", "bob")
    assert missing.code == 2 and "--reason" in missing.err
    blank = adjust(team, "alice", "+1", "--reason", "  ", "--by", "bob")
    assert blank.code == 2 and "say why" in blank.err
    nobody = adjust(team, "alice", "+1", "--reason", "missed award")
    assert nobody.code == 2 and "--by" in nobody.err
    zero = adjust(team, "alice", "0", "--reason", "x", "--by", "bob")
    assert zero.code == 2
    stranger = adjust(team, "mallory", "+1", "--reason", "x", "--by", "bob")
    assert stranger.code == 1 and "not a member" in stranger.err
    assert git(team.workdir, "status", "--porcelain") == ""


def test_without_open_pr_it_writes_the_file_and_says_so_and_dry_run_writes_nothing(
    team: TeamRemote,
) -> None:
    for flags in (["--dry-run"], ["--format", "json"]):
        quiet = adjust(team, "carol", "+1", "--reason", "missed award", "--by", "bob", *flags)
        assert quiet.code == 0, quiet.err
        assert git(team.workdir, "status", "--porcelain") == ""
    shown = json.loads(quiet.out)
    assert shown["after"] == 3 and shown["path"].startswith("ledger/journal/2026/adjust-")
    local = adjust(team, "carol", "+1", "--reason", "missed award", "--by", "bob")
    assert local.code == 0 and f"wrote {shown['path']}" in local.out
    assert (team.workdir / shown["path"]).exists()
    no_token = adjust(team, "carol", "+2", "--reason", "x", "--by", "bob", "--open-pr")
    assert no_token.code == 1 and "needs GITHUB_TOKEN" in no_token.err
