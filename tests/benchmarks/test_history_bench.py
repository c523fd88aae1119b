"""`ante history` reads from the year's checkpoint: ten years of entries cost what one costs."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from testbed.ledger_data import build


def _history(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ante", "--repo", str(repo), "history", "dev007", *args],
        check=True,
        capture_output=True,
        text=True,
        env={"ANTE_NOW": "2026-11-18", "PATH": ""},
    )


def _time_history(repo: Path, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        _history(repo, "--format", "json")
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def test_history_time_is_the_years_asked_for_not_the_whole_journal(tmp_path: Path) -> None:
    build(tmp_path / "one", years=1)
    build(tmp_path / "ten", years=10)
    one, ten = _time_history(tmp_path / "one"), _time_history(tmp_path / "ten")
    ratio = ten / one
    statement = json.loads(_history(tmp_path / "ten", "--format", "json").stdout)
    # The statement of the ten-year ledger starts from 2026's checkpoint, not from zero.
    assert statement["opening"] != 0 and statement["entries"]
    assert statement["closing"] == statement["entries"][-1]["balance"]
    print(
        f"\nante history, 500 members, ~25k entries a year: 1 year {one * 1000:.0f} ms, "
        f"10 years {ten * 1000:.0f} ms, ratio {ratio:.2f} (target 0.7 to 1.3); "
        f"{len(statement['entries'])} entries shown"
    )
    assert 0.7 <= ratio <= 1.3
