"""`ante validate` trusts a closed year's page record that git says is unchanged since the
ref it checks against (a pull request: its base), and reads everything with --full (#18.3)."""

from __future__ import annotations

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
