"""Year close and opening checkpoints: nothing is silently dropped or reset (issue 14).

A closed year is trusted by its seal: the open year's checkpoint lists every closed file and
its size, and seals the previous year's bytes. A late file, a deleted or edited checkpoint, a
folder for a later year: each stops every balance-reading command with exit 1 naming the file,
or (a late file) is carried into the open year by `ante refresh`.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from ante.core.models import Entry
from ante.files.journal import Store, journal_text
from testbed.ante import run_ante
from testbed.awardkit import event_payload, write_event
from testbed.gitbed import git

NEW_YEAR = "2027-01-06T09:00:00Z"
READERS = (["validate"], ["balance"], ["status"], ["refresh"])


def _adjust(ident: str, day: date, member: str, delta: int) -> Entry:
    return Entry(
        id=ident, date=day, kind="adjust", member=member, delta=delta, ref="manual", reason="t"
    )


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    """alice and bob with 2 chips each from 2026; an adjust in 2027 opened the new year."""
    repo = tmp_path / "team"
    made = run_ante(
        ["init", str(repo), "--members", "alice,bob"], env={"ANTE_NOW": "2026-12-01T09:00:00Z"}
    )
    assert made.code == 0, made.err
    store = Store(repo)
    store.append(store.load(), [_adjust("a1", date(2027, 1, 4), "alice", 1)])
    assert store.periods() == [2026, 2027]
    return repo


def ante(repo: Path, *args: str):
    return run_ante(["--repo", str(repo), *args], env={"ANTE_NOW": NEW_YEAR})


def balances(repo: Path) -> dict[str, int]:
    result = ante(repo, "balance", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def assert_stopped(repo: Path, where: str, words: str, readers=READERS) -> None:
    for command in readers:
        result = ante(repo, *command)
        assert result.code == 1, (command, result.out, result.err)
        assert "Traceback" not in result.err and "internal error" not in result.err
        assert re.search(rf"^{re.escape(where)}(:\d+:\d+)?: .*{words}", result.err, re.M), (
            command,
            result.err,
        )


def late_tax(repo: Path) -> Path:
    """The tax of 2026-W53, merged after 2027 opened: the file lands in the closed year."""
    tax = Entry(
        id="tax:2026-W53:bob",
        date=date(2026, 12, 30),
        kind="tax",
        member="bob",
        delta=-1,
        ref="tax/2026-W53",
    )
    path = repo / "ledger" / "journal" / "2026" / "tax-2026-W53.yaml"
    path.write_text(journal_text(2026, [tax], {"week": "2026-W53", "rate": 1, "reason": "r"}))
    return path


def test_the_chain_is_intact_to_begin_with(two_years: Path) -> None:
    assert balances(two_years) == {"alice": 3, "bob": 2}
    assert ante(two_years, "validate").code == 0


def test_a_late_tax_for_a_closed_year_stops_every_reader(two_years: Path) -> None:
    late_tax(two_years)
    where = "ledger/journal/2026/tax-2026-W53.yaml"
    assert_stopped(two_years, where, "after that year was closed", READERS[:3])
    # refresh is the writer that mends it (next test); award and tax stop too
    event = write_event(two_years.parent, event_payload("closed", assignees=["alice"]))
    for command in (["award", "--event", str(event)], ["tax", "--dry-run"]):
        result = ante(two_years, *command)
        assert result.code == 1 and where in result.err, (command, result.out, result.err)


def test_refresh_carries_a_late_file_into_the_open_year(two_years: Path) -> None:
    late_tax(two_years)
    store = Store(two_years)
    moved = store.carry_late()
    assert [(a.parent.name, b.parent.name) for a, b in moved] == [("2026", "2027")]
    assert balances(two_years) == {"alice": 3, "bob": 1}  # the tax counts, once
    assert ante(two_years, "validate").code == 0


def test_refresh_command_carries_and_says_so(two_years: Path) -> None:
    late_tax(two_years)
    result = ante(two_years, "refresh")
    assert result.code == 0, result.err
    assert "carry late journal files" in result.out
    assert (two_years / "ledger" / "journal" / "2027" / "tax-2026-W53.yaml").exists()
    assert balances(two_years) == {"alice": 3, "bob": 1}


def test_deleting_the_opening_does_not_reset_balances(two_years: Path) -> None:
    (two_years / "ledger" / "journal" / "2027" / "opening.yaml").unlink()
    assert_stopped(two_years, "ledger/journal/2027/opening.yaml", "missing")


def test_a_folder_for_a_later_year_does_not_zero_balances(two_years: Path) -> None:
    later = two_years / "ledger" / "journal" / "2028"
    later.mkdir()
    (later / "entries.yaml").write_text(journal_text(2028, []))
    assert_stopped(two_years, "ledger/journal/2028/opening.yaml", "missing")


def test_an_edited_checkpoint_is_detected(two_years: Path) -> None:
    opening = two_years / "ledger" / "journal" / "2027" / "opening.yaml"
    text = opening.read_text()
    assert "  bob: 2\n" in text
    opening.write_text(text.replace("  bob: 2\n", "  bob: 20\n"))
    assert_stopped(two_years, "ledger/journal/2027/opening.yaml", "edited after ante wrote it")


def test_an_out_of_order_checkpoint_is_detected(two_years: Path) -> None:
    journal = two_years / "ledger" / "journal"
    (journal / "2027").rename(journal / "2029")
    assert ante(two_years, "balance").code == 1
    result = ante(two_years, "validate")
    assert "says period 2027 but is in the folder of 2029" in result.err


def test_a_line_added_to_a_closed_year_is_detected(two_years: Path) -> None:
    closed = two_years / "ledger" / "journal" / "2026" / "entries.yaml"
    closed.write_text(
        closed.read_text()
        + "- {id: late, date: 2026-12-30, kind: adjust, member: bob, delta: 5, ref: m, "
        "reason: late}\n"
    )
    assert_stopped(two_years, "ledger/journal/2026/entries.yaml", "changed after 2026 was closed")


def test_a_deleted_closed_file_is_detected(two_years: Path) -> None:
    (two_years / "ledger" / "journal" / "2026" / "entries.yaml").unlink()
    assert_stopped(two_years, "ledger/journal/2026/entries.yaml", "missing")


def test_a_same_size_edit_of_the_last_closed_year_is_detected(two_years: Path) -> None:
    closed = two_years / "ledger" / "journal" / "2026" / "entries.yaml"
    text = closed.read_text()
    assert "member: bob, delta: 2" in text
    closed.write_text(text.replace("member: bob, delta: 2", "member: bob, delta: 3", 1))
    result = ante(two_years, "balance")
    assert result.code == 1 and "changed after it was closed" in result.err


def test_an_award_in_a_tax_file_is_refused_at_its_line(team) -> None:
    path = team.workdir / "ledger" / "journal" / "2026" / "tax-2026-W47.yaml"
    award = Entry(
        id="award:x", date=date(2026, 11, 18), kind="award", member="bob", delta=5, ref="x"
    )
    path.write_text(journal_text(2026, [award], {"week": "2026-W47", "rate": 1, "reason": "r"}))
    for command in ("validate", "balance", "status"):
        result = run_ante(["--repo", str(team.workdir), command])
        assert result.code == 1
        assert re.search(r"tax-2026-W47.yaml:\d+:\d+: a award entry in a tax file", result.err)


def test_a_tax_file_for_the_wrong_week_is_refused(team) -> None:
    path = team.workdir / "ledger" / "journal" / "2026" / "tax-2026-W47.yaml"
    path.write_text(journal_text(2026, [], {"week": "2026-W46", "rate": 1, "reason": "r"}))
    result = run_ante(["--repo", str(team.workdir), "validate"])
    assert result.code == 1 and "goes in tax-2026-W46.yaml" in result.err


def test_a_tax_for_a_closed_year_is_written_into_the_open_year(two_years: Path) -> None:
    store = Store(two_years)
    assert store.open_period_for(2026) == 2027
    assert store.open_period_for(2028) == 2028


def test_a_carried_file_is_a_move_not_a_deletion(two_years: Path) -> None:
    late_tax(two_years)
    git(two_years, "add", "-A")
    git(two_years, "commit", "-qm", "the tax PR of 2026-W53 merged late")
    assert ante(two_years, "refresh").code == 0
    result = ante(two_years, "validate")  # against HEAD, where the file was in 2026/
    assert result.code == 0, result.err
