"""The work behind `ante adjust`: a correction as a reviewed pull request, never a push."""

from __future__ import annotations

import json

from ante.context import Context
from ante.core import adjust
from ante.errors import AnteError, UsageError
from ante.files import gitrepo
from ante.files.journal import journal_text
from ante.render import templates
from ante.services import proposal

LABELS = ("chip-adjustment",)


def who_asked(ctx: Context, by: str | None) -> str:
    """`--by`, else the person who started the workflow run."""
    asked = (by or ctx.settings.actor or "").strip().lstrip("@")
    if not asked:
        raise UsageError("--by: say who asked for the adjustment (their GitHub login)")
    return asked


def plan(ctx: Context, login: str, delta: int, reason: str, by: str | None) -> adjust.Adjustment:
    ledger = ctx.store.load()
    member = ledger.canonical(login.lstrip("@"))
    if member is None:
        raise AnteError(f"{login!r} is not a member (see ledger/members.yaml); nothing written")
    try:
        found = adjust.adjustment(
            member, delta, reason, who_asked(ctx, by), ctx.now.date(), ledger.balance(member)
        )
    except adjust.AdjustError as exc:
        raise UsageError(str(exc)) from None
    if ledger.has(found.entry.id):
        raise AnteError(f"{found.entry.id} is already in the journal; nothing to do")
    return found


def path_of(found: adjust.Adjustment) -> str:
    return f"ledger/journal/{found.entry.date.year}/{found.file_name()}"


def file_text(found: adjust.Adjustment) -> str:
    return journal_text(found.entry.date.year, [found.entry])


def show(ctx: Context, found: adjust.Adjustment, fmt: str) -> None:
    if fmt == "json":
        ctx.say(json.dumps({**found.json(), "path": path_of(found)}))
        return
    e = found.entry
    ctx.say(f"{found.title()} ({found.before} → {found.after}), asked by @{e.by}: {e.reason}")


def write_local(ctx: Context, found: adjust.Adjustment) -> None:
    """The entry's file in the working tree, for a pull request the person opens."""
    target = ctx.repo / path_of(found)
    if target.exists():
        ctx.say(f"unchanged: {path_of(found)}")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(file_text(found), encoding="utf-8")
    ctx.say(
        f"wrote {path_of(found)} (not committed): propose it in a pull request, "
        "or run with --open-pr"
    )


def open_pr(ctx: Context, found: adjust.Adjustment) -> None:
    github, repo = ctx.github, ctx.settings.repository or ""
    if github is None or not repo:
        raise AnteError("--open-pr needs GITHUB_TOKEN and GITHUB_REPOSITORY; nothing written")
    if not gitrepo.is_repo(ctx.repo):
        raise AnteError(f"{ctx.repo} is not a git checkout; nothing written")
    known = github.find_pulls(repo, found.branch)
    if any(p.merged for p in known):
        ctx.say(f"{found.branch}: already merged; nothing to do")
        return
    policy = ctx.store.policy()
    body = templates.render(ctx.repo, "adjust-pr.md.j2", adjustment=found, path=path_of(found))
    proposal.propose(
        ctx,
        github,
        repo,
        proposal.Proposal(
            branch=found.branch,
            files={path_of(found): file_text(found)},
            message=f"ante: {found.title()} ({found.entry.reason})",
            title=found.title(),
            body=body,
            labels=LABELS,
            reviewers=[
                r for r in policy.tax.reviewers if r.lower() != (found.entry.by or "").lower()
            ],
            summary=f"{found.entry.reason} (asked by @{found.entry.by})",
            name=found.entry.id,
        ),
        known,
    )
