"""Timing whole `ante` processes for benchmarks, robust to a busy machine.

A ratio (ten years against one) is measured side by side in one run, and in CPU seconds of the
child process (user + system, from `getrusage`): other work on a 2-core runner stretches wall
time, not the CPU time the command itself spends.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path


def cpu_seconds(repo: Path, args: Sequence[str], env: Mapping[str, str], runs: int = 3) -> float:
    """Median CPU seconds of `python -m ante --repo REPO ARGS...` over `runs` runs."""
    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, "-m", "ante", "--repo", str(repo), *args],
            check=True,
            capture_output=True,
            env={"PATH": os.environ.get("PATH", ""), **env},
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(samples)
