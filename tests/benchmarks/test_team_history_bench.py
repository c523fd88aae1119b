"""`validate` and the rotation pull request's preview on a whole team repository's history.

The journal alone is flat in its age (test_balance_bench); a team repository also keeps a page
record per emergency, weekly metrics, the published shifts of every week and a rotation file
that keeps a swap a week. 500 members, one year and ten of all of it, an emergency a day;
CPU seconds of the whole process, one year and ten taking turns (testbed.timing.side_by_side).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from testbed.ledger_data import build, commit_history, team_history
from testbed.timing import side_by_side

ENV = {"ANTE_NOW": "2026-11-18T09:00:00+00:00"}
LOGINS = [f"dev{i:03d}" for i in range(500)]


@pytest.fixture(scope="module")
def teams(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Each repository committed (validate's append-only check runs against HEAD), and beside
    it `<repo>-pr`: the same with one volunteer stepping down, as a rotation pull request."""
    root = tmp_path_factory.mktemp("teams")
    repos = {}
    for years in (1, 10):
        repo = root / f"y{years}"
        build(repo, members=500, years=years)
        team_history(repo, LOGINS, years)
        commit_history(repo)
        pr = root / f"y{years}-pr"
        shutil.copytree(repo, pr)
        rota = pr / "rotations" / "product.yaml"
        text, steps_down = re.subn(r"  - login: dev001\n(    .*\n)*", "", rota.read_text())
        assert steps_down == 1
        rota.write_text(text)
        repos[years] = repo
    return repos


def test_validate_a_team_repository_costs_the_same_with_one_year_or_ten(
    teams: dict[int, Path],
) -> None:
    pair = side_by_side((teams[1], ["validate"]), (teams[10], ["validate"]), ENV)
    print(
        f"\nante validate, a whole team repository (500 members, journal, pages, metrics, "
        f"published shifts): 1 year {pair.a:.2f} s, 10 years {pair.b:.2f} s, ratio "
        f"{pair.ratio:.2f} (target <= 1.3, 10 years < 5 s)"
    )
    assert pair.b < 5
    assert pair.ratio <= 1.3


def test_rotation_preview_costs_the_same_with_one_year_or_ten(teams: dict[int, Path]) -> None:
    def preview(years: int) -> tuple[Path, list[str]]:
        pr = teams[years].parent / f"y{years}-pr"
        return pr, ["rotation", "preview", "--before", str(teams[years])]

    pair = side_by_side(preview(1), preview(10), ENV)
    print(
        f"\nante rotation preview (a volunteer steps down), 500 members: 1 year {pair.a:.2f} s, "
        f"10 years {pair.b:.2f} s, ratio {pair.ratio:.2f} (target <= 1.3)"
    )
    assert pair.ratio <= 1.3
