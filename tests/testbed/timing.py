"""Timing whole `ante` processes for benchmarks, robust to a busy machine.

A ratio (ten years against one) is measured side by side in one run, and in CPU seconds of the
child process (user + system, from `getrusage`): other work on a 2-core runner stretches wall
time, not the CPU time the command itself spends. `side_by_side` runs the two in turns.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


def _cpu_once(repo: Path, args: Sequence[str], env: Mapping[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "ante", "--repo", str(repo), *args],
        check=True,
        capture_output=True,
        env={"PATH": os.environ.get("PATH", ""), **env},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cpu_seconds(repo: Path, args: Sequence[str], env: Mapping[str, str], runs: int = 3) -> float:
    """Median CPU seconds of `python -m ante --repo REPO ARGS...` over `runs` runs."""
    return statistics.median(_cpu_once(repo, args, env) for _ in range(runs))


@dataclass(frozen=True)
class SideBySide:
    """Two commands timed in turns: each one's median CPU seconds and the median ratio b/a."""

    a: float
    b: float
    ratio: float


Case = tuple[Path, Sequence[str]]  # the repository, the arguments after --repo


def side_by_side(
    a: Case, b: Case, env: Mapping[str, str], rounds: int = 5, warm_up: bool = True
) -> SideBySide:
    """`ante --repo A ...` and `ante --repo B ...` taking turns (A B A B ...), so a change in the
    machine's load hits both alike; the ratio is the median of each round's B/A. A warm-up
    round first (files in the page cache, bytecode) unless `warm_up` is False (a first run
    that changes something, e.g. an award, is then the caller's own)."""
    if warm_up:
        _cpu_once(*a, env), _cpu_once(*b, env)
    rounds_a, rounds_b = [], []
    for _ in range(rounds):
        rounds_a.append(_cpu_once(*a, env))
        rounds_b.append(_cpu_once(*b, env))
    ratios = [y / x for x, y in zip(rounds_a, rounds_b, strict=True)]
    return SideBySide(
        statistics.median(rounds_a), statistics.median(rounds_b), statistics.median(ratios)
    )
