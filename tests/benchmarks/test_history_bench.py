"""`ante history` reads from the year's checkpoint: ten years of entries cost what one costs.

Each figure is the median CPU time of the whole `ante` process, one year and ten taking turns
(see testbed.timing).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from testbed.ledger_data import build
from testbed.timing import side_by_side

ENV = {"ANTE_NOW": "2026-11-18"}
ARGS = ["history", "dev007", "--format", "json"]


def _statement(repo: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "ante", "--repo", str(repo), *ARGS],
        check=True,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), **ENV},
    )
    return json.loads(done.stdout)


def test_history_time_is_the_years_asked_for_not_the_whole_journal(tmp_path: Path) -> None:
    build(tmp_path / "one", years=1)
    build(tmp_path / "ten", years=10)
    pair = side_by_side((tmp_path / "one", ARGS), (tmp_path / "ten", ARGS), ENV)
    one, ten, ratio = pair.a, pair.b, pair.ratio
    statement = _statement(tmp_path / "ten")
    # The ten-year statement starts from 2026's checkpoint, not from zero.
    assert statement["opening"] != 0 and statement["entries"]
    assert statement["closing"] == statement["entries"][-1]["balance"]
    print(
        f"\nante history, 500 members, ~25k entries a year: 1 year {one * 1000:.0f} ms, "
        f"10 years {ten * 1000:.0f} ms (CPU), ratio {ratio:.2f} (target 0.7 to 1.3); "
        f"{len(statement['entries'])} entries shown"
    )
    assert 0.7 <= ratio <= 1.3
