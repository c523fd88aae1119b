"""Whom ante listens to: events only from the team's repositories, pages only from people the
policy lets page. (Comments are ante's own only when its identity wrote them: the adapter's
`own_comment`.)"""

from __future__ import annotations

from ante.context import Context
from ante.core.models import Policy
from ante.errors import AnteError
from ante.github.types import GitHubError

WRITERS = ("admin", "maintain", "write")


def team_repositories(ctx: Context, policy: Policy) -> list[str]:
    """This repository (in Actions) and the product repositories the policy names."""
    own = ctx.environ.get("GITHUB_REPOSITORY", "").strip()
    return [r for r in dict.fromkeys([own, *policy.repositories]) if r]


def check_repository(ctx: Context, policy: Policy, repo: str, what: str) -> None:
    """Refuse `what` about `repo` unless it is one of the team's repositories.

    Outside Actions (no GITHUB_REPOSITORY) a person runs ante by hand: their word is enough.
    """
    if not ctx.environ.get("GITHUB_REPOSITORY", "").strip():
        return
    allowed = team_repositories(ctx, policy)
    if repo.lower() not in {r.lower() for r in allowed}:
        raise AnteError(
            f"{what}: {repo} is not one of this team's repositories ({', '.join(allowed)}; "
            "add it to `repositories:` in ledger/policy.yaml); nothing changed"
        )


def may_page(ctx: Context, policy: Policy, sender: str | None, repo: str) -> bool:
    """Whether `sender` may page the on-call under the policy's `paging.who`."""
    who = policy.paging.who
    if who == "everyone":
        return True
    if not sender:
        return False
    login = sender.lower()
    gh = ctx.github
    if who == "members":
        from ante.files import rotations  # the rosters: only for this one question

        people = {m.lower() for m in ctx.store.members()}
        for roster in rotations.load_rotations(ctx.repo):
            people |= {v.login.lower() for v in roster.config.volunteers}
            people |= {m.lower() for m in roster.config.escalation}
        if login in people:
            return True
    elif gh is not None and gh.team_member(who, sender):
        return True
    if gh is None:
        return False
    try:
        return gh.permission(repo, sender) in WRITERS
    except GitHubError as error:
        if error.status == 404:  # not a collaborator, or no such user
            return False
        raise
