"""Tokens: who is asking, which repositories they reach, with which permissions.

GitHub refuses what a token cannot do in two ways: a private repository the token cannot see
does not exist for it (404 Not Found), a missing permission on a repository it can see is a 403
"Resource not accessible by integration" (App installation tokens, GITHUB_TOKEN) or "... by
personal access token". Public repositories can be read by any token and written by none that
was not granted them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Repo

WORKFLOW_BOT = "github-actions[bot]"
# The value of o/r's GITHUB_TOKEN in the `github_fake` fixture.
FIXTURE_TOKEN = "ghs_fake_token"
# The repository permissions a workflow's `permissions:` and an App installation can hold.
SCOPES = (
    "actions",
    "attestations",
    "checks",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "metadata",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
)
LEVELS = {"none": 0, "read": 1, "write": 2}
KINDS = ("workflow", "app", "personal")
_serial = itertools.count(1)

Permissions = Mapping[str, str] | str | None


@dataclass(frozen=True)
class Token:
    """A credential the fake knows: its secret, whose it is, what it reaches.

    `kind` is "workflow" (a job's GITHUB_TOKEN), "app" (an App installation token) or
    "personal" (a fine-grained personal access token). `repositories` are lower-case full
    names. Events a "workflow" token causes start no workflow runs (`starts_runs`).
    """

    value: str
    identity: str
    kind: str
    repositories: frozenset[str]
    permissions: Mapping[str, str]

    @property
    def starts_runs(self) -> bool:
        return self.kind != "workflow"

    def granted(self, repo: Repo) -> bool:
        """Granted the repository: a grant follows it through renames (GitHub grants by id)."""
        return any(n.lower() in self.repositories for n in (repo.full_name, *repo.former_names))

    def sees(self, repo: Repo) -> bool:
        return not repo.private or self.granted(repo)

    def level(self, repo: Repo, scope: str) -> int:
        """What this token may do on `repo` for `scope`: 0 none, 1 read, 2 write."""
        if not self.granted(repo):
            return 0 if repo.private else LEVELS["read"]
        return LEVELS[self.permissions.get(scope, "none")]

    @property
    def refusal(self) -> str:
        who = "personal access token" if self.kind == "personal" else "integration"
        return f"Resource not accessible by {who}"


def permissions(given: Permissions, *, default: str = "write") -> dict[str, str]:
    """A job's `permissions:` as GitHub reads it: `read-all`, `write-all`, `{}` or a mapping.

    Scopes a mapping leaves out are `none`; `metadata` is always readable. None means the
    permissive default of a repository created before 2023 (`default` on every scope).
    """
    if given is None:
        levels = dict.fromkeys(SCOPES, default)
    elif isinstance(given, str):
        if given not in ("read-all", "write-all"):
            raise ValueError(f"permissions must be read-all, write-all or a mapping, not {given}")
        levels = dict.fromkeys(SCOPES, given.removesuffix("-all"))
    else:
        levels = dict.fromkeys(SCOPES, "none")
        for scope, level in given.items():
            name = scope.replace("_", "-")
            if name not in SCOPES or level not in LEVELS:
                raise ValueError(f"unknown permission {scope}: {level}")
            levels[name] = level
    if levels["metadata"] == "none":
        levels["metadata"] = "read"
    return levels


def mint(
    kind: str,
    identity: str,
    repos: Iterable[str],
    given: Permissions,
    *,
    value: str | None = None,
) -> Token:
    if kind not in KINDS:
        raise ValueError(f"token kind must be one of {KINDS}")
    prefix = {"workflow": "ghs", "app": "ghs", "personal": "github_pat"}[kind]
    return Token(
        value=value or f"{prefix}_fake{next(_serial):06d}",
        identity=identity,
        kind=kind,
        repositories=frozenset(r.lower() for r in repos),
        permissions=permissions(given),
    )
