"""GitHub Actions for tests: this repository's workflows, run as GitHub runs them.

`World` (a team repository on the fake GitHub, people acting on it) and its `Runner` (triggers,
concurrency groups, tokens, steps, a simulated clock) are the public face; see their modules.
"""

from __future__ import annotations

from .runner import Delivery, Durations, JobRun, Run, Runner
from .steps import UnknownAction
from .workflows import WorkflowError, bridge
from .world import START, World

__all__ = [
    "START",
    "Delivery",
    "Durations",
    "JobRun",
    "Run",
    "Runner",
    "UnknownAction",
    "WorkflowError",
    "World",
    "bridge",
]
