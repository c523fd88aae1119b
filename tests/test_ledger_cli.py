"""The foundation's contract: init, balance, validate, and errors that name file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testbed.ante import run_ante, start_ante
from testbed.gitbed import git


def test_init_then_balance_json(tmp_path: Path) -> None:
    target = tmp_path / "x"
    assert run_ante(["init", str(target), "--members", "alice,bob"]).code == 0
    result = run_ante(["--repo", str(target), "balance", "--format", "json"])
    assert result.code == 0
    assert json.loads(result.out) == {"alice": 2, "bob": 2}
    assert git(target, "status", "--porcelain") == ""  # init committed everything
    assert (target / "STATUS.md").exists()
    assert (target / ".github" / "workflows" / "status.yml").exists()


def test_init_refuses_an_existing_ledger(tmp_path: Path) -> None:
    target = tmp_path / "x"
    run_ante(["init", str(target), "--members", "alice"])
    before = (target / "ledger" / "members.yaml").read_text()
    result = run_ante(["init", str(target), "--members", "bob"])
    assert result.code == 1
    assert "already holds a ledger" in result.err
    assert (target / "ledger" / "members.yaml").read_text() == before


def test_balance_of_one_member_ignores_case(team) -> None:
    result = run_ante(["--repo", str(team.workdir), "balance", "ALICE", "--format", "json"])
    assert json.loads(result.out) == {"alice": 2}
    unknown = run_ante(["--repo", str(team.workdir), "balance", "mallory"])
    assert unknown.code == 1 and "not a member" in unknown.err


def _journal(repo: Path) -> Path:
    return repo / "ledger" / "journal" / "2026" / "entries.yaml"


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + line + "\n")


BROKEN = {
    "bad indentation": (
        "ledger/members.yaml",
        lambda p: p.write_text(p.read_text() + "  - login: dave\n   joined: 2026-01-01\n"),
        "ledger/members.yaml:",
    ),
    "unknown member": (
        "ledger/journal/2026/entries.yaml",
        lambda p: _append(
            p,
            "- {id: x1, date: 2026-11-18, kind: adjust, member: mallory, delta: 1, "
            "ref: manual, reason: test}",
        ),
        "entries.yaml:7:",
    ),
    "duplicate id": (
        "ledger/journal/2026/entries.yaml",
        lambda p: _append(
            p,
            '- {id: "grant:alice", date: 2026-11-18, kind: grant, member: alice, delta: 2, '
            "ref: ledger/members.yaml}",
        ),
        "entries.yaml:7:",
    ),
    "adjust without reason": (
        "ledger/journal/2026/entries.yaml",
        lambda p: _append(
            p, "- {id: x2, date: 2026-11-18, kind: adjust, member: bob, delta: 3, ref: manual}"
        ),
        "entries.yaml:7:",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_data_is_exit_1_with_path_and_line(team, case: str) -> None:
    rel, breaker, where = BROKEN[case]
    breaker(team.workdir / rel)
    snapshot = {
        p: p.read_bytes() for p in team.workdir.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    for command in (["validate"], ["balance"], ["status"], ["refresh"]):
        result = run_ante(["--repo", str(team.workdir), *command])
        assert result.code == 1, (command, result.out, result.err)
        assert where in result.err, result.err
        assert "Traceback" not in result.err
    after = {
        p: p.read_bytes() for p in team.workdir.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    assert after == snapshot  # nothing written


def test_unknown_member_message_and_annotation(team, tmp_path: Path) -> None:
    _append(
        _journal(team.workdir),
        "- {id: x1, date: 2026-11-18, kind: adjust, member: mallory, delta: 1, "
        "ref: manual, reason: test}",
    )
    summary = tmp_path / "summary.md"
    env = {"ANTE_NOW": "2026-11-18", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run_ante(["--repo", str(team.workdir), "validate"], env=env)
    assert result.code == 1
    assert "ledger/journal/2026/entries.yaml:7:" in result.err
    assert "'mallory' is not in ledger/members.yaml" in result.err
    assert "::error file=ledger/journal/2026/entries.yaml,line=7" in result.out
    assert "mallory" in summary.read_text()


def test_editing_a_committed_entry_is_refused(team) -> None:
    path = _journal(team.workdir)
    path.write_text(
        path.read_text().replace(
            "delta: 2, ref: ledger/members.yaml}", "delta: 9, ref: ledger/members.yaml}", 1
        )
    )
    result = run_ante(["--repo", str(team.workdir), "validate"])
    assert result.code == 1
    assert "was edited after it was committed" in result.err
    assert "entries.yaml:4:" in result.err


def test_removing_a_committed_entry_is_refused(team) -> None:
    path = _journal(team.workdir)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-1]))
    result = run_ante(["--repo", str(team.workdir), "validate"])
    assert result.code == 1 and "was removed" in result.err


def test_usage_error_is_exit_2_and_real_process_has_no_traceback(team) -> None:
    assert run_ante(["balance", "--format", "xml"]).code == 2
    assert run_ante(["--now", "yesterday", "--repo", str(team.workdir), "balance"]).code == 2
    (team.workdir / "ledger" / "policy.yaml").write_text("starting_grant: [\n")
    proc = start_ante(["--repo", str(team.workdir), "validate"])
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.startswith("ledger/policy.yaml:2:") and "Traceback" not in err


def test_unknown_policy_field_points_at_its_line(team) -> None:
    policy = team.workdir / "ledger" / "policy.yaml"
    policy.write_text(policy.read_text() + "stating_grant: 3\n")
    result = run_ante(["--repo", str(team.workdir), "validate"])
    assert result.code == 1
    line = policy.read_text().splitlines().index("stating_grant: 3") + 1
    assert f"ledger/policy.yaml:{line}:1: unknown field 'stating_grant'" in result.err


def test_refresh_grants_a_new_member_once_and_keeps_members_file_bytes(team) -> None:
    members = team.workdir / "ledger" / "members.yaml"
    text = (
        members.read_text()
        + "  # dave joined in November\n  - login: dave\n    joined: 2026-11-16\n"
    )
    members.write_text(text)
    first = run_ante(["--repo", str(team.workdir), "refresh"])
    assert first.code == 0 and "@dave" in first.out
    second = run_ante(["--repo", str(team.workdir), "refresh"])
    assert second.out.strip() == "nothing changed"
    assert members.read_text() == text  # the person's file is untouched, comment and all
    balances = json.loads(
        run_ante(["--repo", str(team.workdir), "balance", "--format", "json"]).out
    )
    assert balances["dave"] == 2
    assert "@dave" in (team.workdir / "STATUS.md").read_text()


def test_only_appended_recognises_untouched_history_and_nothing_else() -> None:
    from ante.services.validate import only_appended

    old = "entries:\n  - {id: a, delta: 1}\n  - {id: b, delta: 1}\n"
    assert only_appended(old, old)
    assert only_appended(old, old + "  - {id: c, delta: 2}\n")
    assert not only_appended(old, old.replace("delta: 1}\n  - {id: b", "delta: 2}\n  - {id: b"))
    assert not only_appended(old, old + "    extra: 1\n")  # would extend entry b
    assert not only_appended(old, old + "entries: []\n")  # a second key
    assert not only_appended(old.rstrip("\n"), old + "  - {id: c}\n")


def test_a_committed_year_checkpoint_cannot_be_edited(team) -> None:
    from datetime import date

    from ante.core.models import Entry
    from ante.files.journal import Store

    store = Store(team.workdir)
    bonus = Entry(
        id="adj:new-year",
        date=date(2027, 1, 4),
        kind="adjust",
        member="alice",
        delta=1,
        ref="manual",
        reason="test",
    )
    store.append(store.load(), [bonus])  # opens 2027 with a sealed checkpoint
    git(team.workdir, "add", "-A")
    git(team.workdir, "commit", "-qm", "open 2027")
    env = {"ANTE_NOW": "2027-01-05"}
    assert run_ante(["--repo", str(team.workdir), "validate"], env=env).code == 0
    opening = team.workdir / "ledger" / "journal" / "2027" / "opening.yaml"
    opening.write_text(opening.read_text().replace("alice: 2", "alice: 20", 1))
    result = run_ante(["--repo", str(team.workdir), "validate"], env=env)
    assert result.code == 1
    assert "ledger/journal/2027/opening.yaml" in result.err
    assert "year checkpoint committed at HEAD was edited" in result.err
