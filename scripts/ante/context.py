"""What a command receives from the shell: the repo, the clock, the environment, the streams."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ante.errors import Problem
from ante.files.journal import Store

if TYPE_CHECKING:
    from ante.github.adapter import GitHubAdapter


@dataclass
class Context:
    repo: Path
    now: datetime
    environ: Mapping[str, str]
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    @cached_property
    def store(self) -> Store:
        return Store(self.repo)

    @cached_property
    def github(self) -> GitHubAdapter | None:
        """The GitHub adapter, or None without a token (commands then say what they would do)."""
        if not self.environ.get("GITHUB_TOKEN", "").strip():
            return None  # and skip importing PyGithub: a third of a second per token-less run
        from ante.github.adapter import connect

        return connect(self.environ)

    @property
    def in_actions(self) -> bool:
        return self.environ.get("GITHUB_ACTIONS") == "true"

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        print(text, file=self.err)

    def annotate(self, problem: Problem, level: str = "error") -> None:
        """A GitHub Actions annotation on the exact line, when running inside Actions."""
        if not self.in_actions:
            return
        where = f"file={problem.path}"
        if problem.line:
            where += f",line={problem.line}"
        if problem.column:
            where += f",col={problem.column}"
        message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        print(f"::{level} {where}::{message}", file=self.out)

    def summary(self, markdown: str) -> None:
        """Append to the job summary page ($GITHUB_STEP_SUMMARY) when there is one."""
        target = self.environ.get("GITHUB_STEP_SUMMARY")
        if target:
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(markdown.rstrip("\n") + "\n\n")
