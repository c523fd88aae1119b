"""`ante history` and the statement pages, end to end on a real team repo and git remote."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from ante.core.models import Entry
from ante.files.journal import Store
from testbed.ante import NOW, run_ante
from testbed.awardkit import event_payload, write_event
from testbed.gitbed import TeamRemote, git

ISSUE = "https://github.com/o/r/issues/{}"


def ante(repo: Path, *args: str, env: dict[str, str] | None = None):
    return run_ante(["--repo", str(repo), *args], env={"ANTE_NOW": NOW, **(env or {})})


def award_then_revoke(repo: Path, tmp_path: Path) -> None:
    """#1 closed (alice +1), then reopened (revoked); #2 closed (alice +1): all pushed."""
    steps = [
        ("closed", 1, "2026-11-17T10:00:00Z"),
        ("reopened", 1, "2026-11-17T11:00:00Z"),
        ("closed", 2, "2026-11-17T12:00:00Z"),
    ]
    for index, (action, number, stamp) in enumerate(steps):
        payload = event_payload(action, number=number, assignees=["alice"], updated_at=stamp)
        path = write_event(tmp_path, payload, name=f"e{index}.json")
        result = ante(repo, "award", "--event", str(path), "--push")
        assert result.code == 0, result.err


def tax(repo: Path, week: str, day: str, **members: int) -> None:
    lines = "".join(
        f"- {{id: 'tax:{week}:{m}', date: {day}, kind: tax, member: {m}, delta: {-n}, "
        f"ref: tax/{week}}}\n"
        for m, n in members.items()
    )
    path = repo / f"ledger/journal/{day[:4]}/tax-{week}.yaml"
    path.write_text(f"week: {week}\nrate: 1\nreason: Fixed.\nentries:\n{lines}")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"merge tax {week}")


def test_statement_lists_every_entry_with_a_running_balance_and_links(
    team: TeamRemote, tmp_path: Path
) -> None:
    repo = team.workdir
    award_then_revoke(repo, tmp_path)
    tax(repo, "2026-W47", "2026-11-18", alice=1)

    result = ante(repo, "history", "alice", "--format", "json")
    assert result.code == 0, result.err
    statement = json.loads(result.out)
    rows = [(e["kind"], e["delta"], e["balance"]) for e in statement["entries"]]
    grant, awarded, revoked = ("grant", 2, 2), ("award", 1, 3), ("revoke", -1, 2)
    assert rows == [grant, awarded, revoked, awarded, ("tax", -1, 2)]
    assert statement["opening"] == 0 and statement["closing"] == 2
    links = [e["link"] for e in statement["entries"]]
    assert links[1] == links[2] == ISSUE.format(1) and links[3] == ISSUE.format(2)
    assert links[4] == "ledger/journal/2026/tax-2026-W47.yaml"  # no GitHub repository known
    balance = json.loads(ante(repo, "balance", "--format", "json").out)["alice"]
    assert statement["closing"] == balance

    # In Actions the tax links to its pull request (found by its branch).
    actions = ante(repo, "history", "alice", "--format", "json", env={"GITHUB_REPOSITORY": "o/r"})
    tax_link = json.loads(actions.out)["entries"][-1]["link"]
    assert tax_link == "https://github.com/o/r/pulls?q=is%3Apr%20head%3Aante%2Ftax%2F2026-W47"

    text = ante(repo, "history", "alice")
    assert "revoke     -1  =     2  o/r#1" in text.out
    table = list(csv.DictReader(io.StringIO(ante(repo, "history", "alice", "--format", "csv").out)))
    assert [r["balance"] for r in table] == ["0", "2", "3", "2", "3", "2"]
    upper = json.loads(ante(repo, "history", "@ALICE", "--format", "json").out)
    assert upper["member"] == "alice" and upper["entries"] == statement["entries"]


def test_statement_starts_from_the_years_checkpoint(team: TeamRemote) -> None:
    repo = team.workdir
    store = Store(repo)
    later = Entry(
        id="award:o/r#9:alice:1",
        date=date(2027, 1, 5),
        kind="award",
        member="alice",
        delta=2,
        ref=ISSUE.format(9),
    )
    store.append(store.load(), [later])  # opens 2027 with a checkpoint
    assert (repo / "ledger/journal/2027/opening.yaml").exists()
    now = {"ANTE_NOW": "2027-01-06T09:00:00Z"}
    this_year = json.loads(ante(repo, "history", "alice", "--format", "json", env=now).out)
    assert this_year["from"] == "2027-01-01" and this_year["opening"] == 2
    assert [(e["delta"], e["balance"]) for e in this_year["entries"]] == [(2, 4)]
    both = ante(repo, "history", "alice", "--from", "2026-01-01", "--format", "json", env=now)
    assert [e["balance"] for e in json.loads(both.out)["entries"]] == [2, 4]


def test_status_links_each_balance_to_its_statement_and_nets_revokes(
    team: TeamRemote, tmp_path: Path
) -> None:
    repo = team.workdir
    award_then_revoke(repo, tmp_path)
    status = team.show("STATUS.md")
    assert "| [3](ledger/statements/alice.md) |" in status
    assert "| [2](ledger/statements/bob.md) |" in status
    recent = status.split("## Recent awards", 1)[1]
    assert "| 0 (+1, -1 revoked 2026-11-18) | [o/r#1](https://github.com/o/r/issues/1) |" in recent
    assert "| +1 | [o/r#2](https://github.com/o/r/issues/2) |" in recent
    page = team.show("ledger/statements/alice.md")
    assert "**Balance: 3 chips.**" in page
    assert "| 2026-11-18 | revoke | -1 | 2 | [o/r#1](https://github.com/o/r/issues/1) |" in page
    assert "[starting chips](../../ledger/members.yaml)" in page


def test_history_refuses_a_stranger_and_a_bad_date(team: TeamRemote) -> None:
    stranger = ante(team.workdir, "history", "mallory")
    assert stranger.code == 1 and "'mallory' is not a member" in stranger.err
    bad = ante(team.workdir, "history", "alice", "--from", "last week")
    assert bad.code == 2 and "--from: not a date" in bad.err
