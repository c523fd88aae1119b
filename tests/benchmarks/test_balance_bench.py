"""`ante balance` must cost what the current period costs, not what the whole history costs."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from ledger_data import build


def _time_balance(repo: Path, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "ante", "--repo", str(repo), "balance", "--format", "json"],
            check=True,
            capture_output=True,
            env={"ANTE_NOW": "2026-11-18", "PATH": ""},
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def test_balance_time_grows_with_the_current_period_not_history(tmp_path: Path) -> None:
    build(tmp_path / "one", years=1)
    build(tmp_path / "ten", years=10)
    entries = sum(1 for _ in (tmp_path / "ten").rglob("entries.yaml"))
    one, ten = _time_balance(tmp_path / "one"), _time_balance(tmp_path / "ten")
    ratio = ten / one
    print(
        f"\nante balance, 500 members: 1 year {one * 1000:.0f} ms, "
        f"10 years ({entries} periods, ~{entries * 25}k entries) {ten * 1000:.0f} ms, "
        f"ratio {ratio:.2f} (target <= 1.3)"
    )
    assert ratio <= 1.3
