"""The team-life soak's figures for `make bench`: the suite's two mornings for SEEDS seeds (5).

The full quarter is `make soak`; both end with the one line `soak: seeds=...`.
"""

from __future__ import annotations

import os
from pathlib import Path

from testbed.actions.soak import soak


def test_soak_figures(tmp_path: Path) -> None:
    seeds = int(os.environ.get("SEEDS", "5"))
    figures = soak(tmp_path, seeds=range(1, seeds + 1), short=True)
    assert figures.seeds == seeds and figures.runs > 0
    print()
    print(figures.line())
