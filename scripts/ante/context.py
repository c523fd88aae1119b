"""What a command receives from the shell: the repo, the clock, the environment, the streams.

The environment is read here once (`Settings`); nothing below asks `os.environ` or reads a
`GITHUB_*` variable itself.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ante.errors import Problem

if TYPE_CHECKING:
    from ante.core.models import Policy
    from ante.files.journal import Store
    from ante.github.adapter import GitHubAdapter


DEFAULT_SERVER = "https://github.com"


@dataclass(frozen=True)
class Settings:
    """What the environment tells ante (GitHub Actions sets these for every step)."""

    repository: str | None = None  # GITHUB_REPOSITORY: the team's own repository, "owner/name"
    server_url: str = DEFAULT_SERVER  # GITHUB_SERVER_URL
    event_path: str | None = None  # GITHUB_EVENT_PATH: the payload of the triggering event
    step_summary: str | None = None  # GITHUB_STEP_SUMMARY: the job summary page's file
    in_actions: bool = False  # GITHUB_ACTIONS: annotations and summaries make sense
    actor: str | None = None  # GITHUB_ACTOR: who started the run (e.g. asked for an adjustment)

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Settings:
        return cls(
            repository=environ.get("GITHUB_REPOSITORY") or None,
            server_url=(environ.get("GITHUB_SERVER_URL") or DEFAULT_SERVER).rstrip("/"),
            event_path=environ.get("GITHUB_EVENT_PATH") or None,
            step_summary=environ.get("GITHUB_STEP_SUMMARY") or None,
            in_actions=environ.get("GITHUB_ACTIONS") == "true",
            actor=environ.get("GITHUB_ACTOR") or None,
        )


@dataclass
class Context:
    repo: Path
    now: datetime
    environ: Mapping[str, str]
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    @cached_property
    def settings(self) -> Settings:
        return Settings.read(self.environ)

    @cached_property
    def store(self) -> Store:
        from ante.files.journal import Store  # pydantic and YAML: only for commands that read

        return Store(self.repo)

    @cached_property
    def github(self) -> GitHubAdapter | None:
        """The GitHub adapter, or None without a token (commands then say what they would do).

        Inside Actions a missing credential is an error, never a silent skip: the job was set
        up to reach GitHub, so its setup is what to fix (the message names the secret)."""
        from ante.errors import AnteError

        minted = self.environ.get("ANTE_APP_TOKEN", "")
        if minted in ("failure", "cancelled"):
            raise AnteError(
                "the GitHub App token was not minted (step `app`): check that the secret "
                "ANTE_APP_PRIVATE_KEY holds the App's private key, the variable "
                "ANTE_APP_CLIENT_ID its client ID, and that the App is installed on "
                f"{self.settings.repository or 'this repository'} and on every "
                "repository in the variable ANTE_REPOSITORIES"
            )
        if not self.environ.get("GITHUB_TOKEN", "").strip():
            if self.in_actions:
                raise AnteError(
                    "GITHUB_TOKEN is empty: give the step `env: GITHUB_TOKEN: ${{ "
                    "steps.app.outputs.token || github.token }}` (README: Running on GitHub)"
                )
            return None  # and skip importing PyGithub: a third of a second per token-less run
        from ante.github.adapter import connect

        return connect(self.environ)

    @property
    def in_actions(self) -> bool:
        return self.settings.in_actions

    def repositories(self, policy: Policy | None, *also: str) -> list[str]:
        """The team's repositories: its own first, then the policy's (and `also`); each once.

        GitHub spells a repository's name in any case, so `O/R` and `o/r` are one repository.
        """
        names = [self.settings.repository, *(policy.repositories if policy else ()), *also]
        unique: dict[str, str] = {}
        for name in names:
            if name:
                unique.setdefault(name.lower(), name)
        return list(unique.values())

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
        target = self.settings.step_summary
        if target:
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(markdown.rstrip("\n") + "\n\n")
