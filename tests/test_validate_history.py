"""`ante validate` trusts a closed year's page record, and a closed journal year's seal, that
git says are unchanged since the ref it checks against (a pull request: its base), and reads
everything with --full (#18.3)."""

from __future__ import annotations

from datetime import date

from ante.core.models import Entry
from ante.files.journal import Store
from testbed.ante import run_ante
from testbed.gitbed import TeamRemote, git

NOW = "2026-11-18T09:00:00Z"
BROKEN = "pages:\n- {issue: 'https://github.com/o/r/issues/1', opened: not-a-time}\n"


def _validate(team: TeamRemote, *args: str):
    return run_ante(["--repo", str(team.workdir), "validate", *args], now=NOW)


def _commit_pages(team: TeamRemote, year: int, text: str) -> str:
    base = git(team.workdir, "rev-parse", "HEAD").strip()
    folder = team.workdir / "ledger" / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{year}.yaml").write_text(text)
    git(team.workdir, "add", "-A")
    git(team.workdir, "commit", "-qm", f"pages {year}")
    return base


def test_a_committed_closed_year_is_trusted_and_full_reads_it(team: TeamRemote) -> None:
    base = _commit_pages(team, 2019, BROKEN)
    assert _validate(team).code == 0  # committed at HEAD and unchanged: checked when committed
    full = _validate(team, "--full")
    assert full.code == 1 and "ledger/pages/2019.yaml" in full.err
    against_base = _validate(team, "--against", base)  # a pull request that added it
    assert against_base.code == 1 and "ledger/pages/2019.yaml" in against_base.err
    assert _validate(team, "--against", "").code == 1  # no ref: nothing is vouched for


def test_an_uncommitted_edit_of_a_closed_year_is_read(team: TeamRemote) -> None:
    _commit_pages(team, 2019, "pages: []\n")
    assert _validate(team).code == 0
    (team.workdir / "ledger" / "pages" / "2019.yaml").write_text(BROKEN)
    result = _validate(team)
    assert result.code == 1 and "ledger/pages/2019.yaml" in result.err


def test_the_open_year_is_always_read(team: TeamRemote) -> None:
    _commit_pages(team, 2026, BROKEN)
    result = _validate(team)
    assert result.code == 1 and "ledger/pages/2026.yaml" in result.err


# ---- closed journal years: trusted by their seal once committed ----------------------------

LATER = "2028-02-01T09:00:00Z"


def _three_years(team: TeamRemote) -> str:
    """alice's adjustments opened 2027 and 2028: 2026 and 2027 are closed, each sealed by the
    next year's checkpoint; committed. Returns the commit before them."""
    base = git(team.workdir, "rev-parse", "HEAD").strip()
    store = Store(team.workdir)
    for year in (2027, 2028):
        entry = Entry(
            id=f"a{year}",
            date=date(year, 1, 4),
            kind="adjust",
            member="alice",
            delta=1,
            ref="manual",
            reason="t",
        )
        store.append(store.load(), [entry])
    assert store.periods() == [2026, 2027, 2028]
    git(team.workdir, "add", "-A")
    git(team.workdir, "commit", "-qm", "two more years")
    return base


def _tamper_2026(team: TeamRemote) -> None:
    """A same-size edit of the oldest closed year: only its seal can tell."""
    path = team.workdir / "ledger" / "journal" / "2026" / "entries.yaml"
    text = path.read_text()
    assert "member: bob, delta: 2" in text
    path.write_text(text.replace("member: bob, delta: 2", "member: bob, delta: 3", 1))


def _validate_later(team: TeamRemote, *args: str):
    return run_ante(["--repo", str(team.workdir), "validate", *args], now=LATER)


def test_a_committed_closed_journal_year_is_trusted_and_full_rechecks_its_seal(
    team: TeamRemote,
) -> None:
    base = _three_years(team)
    assert _validate_later(team).code == 0
    _tamper_2026(team)
    git(team.workdir, "commit", "-qam", "a tampered closed year, committed")
    assert _validate_later(team).code == 0  # committed at HEAD, unchanged since: not re-read
    for args in (["--full"], ["--against", base], ["--against", ""]):
        result = _validate_later(team, *args)
        assert result.code == 1, args
        assert "journal of 2026 was changed after it was closed" in result.err


def test_an_uncommitted_edit_of_a_closed_journal_year_is_caught(team: TeamRemote) -> None:
    _three_years(team)
    _tamper_2026(team)
    result = _validate_later(team)
    assert result.code == 1 and "journal of 2026 was changed after it was closed" in result.err
    assert "Traceback" not in result.err
