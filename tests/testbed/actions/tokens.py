"""Tokens as Actions hands them out, minted by the fake GitHub (which refuses what they cannot do).

A job's GITHUB_TOKEN (`workflow`) acts as github-actions[bot], reaches only the repository the
workflow runs in and carries the job's `permissions:` (the workflow's when the job sets none, the
repository's default otherwise); what it does starts no workflow runs. Personal and App tokens
reach the repositories they were granted. The fake enforces them on the API; the git remotes
(`remote.py`) read the book this module writes and enforce them on push.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from testbed.fakegithub import FakeGitHub, Token

ACTIONS_BOT = "github-actions[bot]"
# The repository setting "Workflow permissions: Read repository contents and packages
# permissions", the default of repositories created since 2023.
RESTRICTED_DEFAULT = {"contents": "read", "packages": "read", "metadata": "read"}


def job_permissions(workflow_level: Any, job_level: Any, default: dict[str, str]) -> Any:
    """A job's `permissions:` as the token gets them: the job's, else the workflow's, else the
    repository's default."""
    chosen = job_level if job_level is not None else workflow_level
    return dict(default) if chosen is None else chosen


def can(token: Token, fake: FakeGitHub, repository: str, scope: str, level: str) -> bool:
    repo = fake.repo(repository)
    return token.level(repo, scope) >= {"read": 1, "write": 2}[level]


class TokenBook:
    """The tokens of one test world, minted by its fake and listed where git hooks read them."""

    def __init__(self, path: Path, fake: FakeGitHub) -> None:
        self.path, self.fake = path, fake
        self._tokens: dict[str, Token] = {}
        self._flush()

    def workflow(self, repo: str, permissions: Any) -> Token:
        return self._keep(self.fake.workflow_token(repo, permissions))

    def app(self, identity: str, repos: Iterable[str], permissions: Any) -> Token:
        return self._keep(self.fake.app_token(list(repos), permissions, identity=identity))

    def personal(self, identity: str, repos: Iterable[str], permissions: Any) -> Token:
        return self._keep(self.fake.personal_token(identity, list(repos), permissions))

    def get(self, value: str | None) -> Token | None:
        return self._tokens.get(value or "")

    def _keep(self, token: Token) -> Token:
        self._tokens[token.value] = token
        self._flush()
        return token

    def _flush(self) -> None:
        data = {
            value: {
                "identity": t.identity,
                "kind": t.kind,
                "repositories": sorted(t.repositories),
                "permissions": dict(t.permissions),
            }
            for value, t in self._tokens.items()
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data), encoding="utf-8")
