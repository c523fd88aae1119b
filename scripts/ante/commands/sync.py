"""`ante sync [--push]`: reconcile the journal with overhead issues, so no chip is lost.

GitHub can delay or drop workflow runs, and overhead issues often live in product repositories
with no workflow of ours. Sync searches each repository in the policy (and this one) for
overhead issues updated since the cursor in `ledger/sync.yaml`, applies them with the same
idempotent rules as `ante award`, comments on the issues it changed, and advances the cursor.

API cost: one search request per 100 issues found per repository; issues the journal already
matches cost nothing more. A new award needs the earner's role on the repository (one cached
check per person and repository); only when that is not enough (the earner has no triage
rights, or nobody is assigned) is the issue's timeline read to see who applied the label.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .. import awards, clock, gitops, yamlio
from ..awards import IssueFacts, Provenance
from ..context import Context
from ..errors import AnteError, Problem
from ..ledger import Ledger
from ..models import Strict
from . import award
from .award import Case

if TYPE_CHECKING:
    from ..github import GitHubAdapter

SYNC_FILE = "ledger/sync.yaml"
HEADER = (
    "# Written by ante sync: overhead issues updated before `cursor` have been reconciled.\n"
    "# Delete this file to look back to the start of the journal's year on the next run.\n"
)
OVERLAP = timedelta(minutes=10)  # GitHub's search index lags behind by a few minutes
REFRESH = timedelta(hours=24)  # a quiet repo still moves its cursor (one commit a day at most)


class SyncFile(Strict):
    cursor: datetime


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sync", help="award chips for overhead issues whose events were missed")
    p.add_argument("--push", action="store_true", help="commit and push (retrying on conflicts)")
    p.add_argument("--since", help="look back to this time (ISO-8601) instead of the cursor")
    p.set_defaults(run=run)


# ---- the cursor --------------------------------------------------------------------------------


def read_cursor(repo: Path) -> datetime | None:
    path = repo / SYNC_FILE
    if not path.exists():
        return None
    return yamlio.load(path, SyncFile, repo).cursor


def write_cursor(repo: Path, cursor: datetime) -> None:
    yamlio.write_text(repo / SYNC_FILE, HEADER + f"cursor: {clock.utc_text(cursor)}\n")


def check_cursor(ctx: Context, args: argparse.Namespace) -> list[Problem]:
    """For `ante validate`: the cursor file, when there is one, is well formed."""
    read_cursor(ctx.repo)
    return []


def start_of(ledger: Ledger, now: datetime) -> datetime:
    """Without a cursor: from the journal's first entry of this period (the game's start)."""
    first = min((entry.date for entry in ledger.entries), default=now.date())
    return datetime(first.year, first.month, first.day, tzinfo=now.tzinfo)


# ---- searching -----------------------------------------------------------------------------------


def repositories(ctx: Context, ledger: Ledger) -> list[str]:
    names = list(ledger.policy.repositories)
    own = ctx.environ.get("GITHUB_REPOSITORY")
    if own:
        names.append(own)
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(name.lower(), name)
    return list(unique.values())


def query(repo: str, ledger: Ledger, since: datetime) -> str:
    labels = sorted({*ledger.policy.awards, ledger.policy.overhead_label}, key=str.lower)
    spelled = ",".join(
        f'"{label}"' if any(c in label for c in ' ,"') else label for label in labels
    )
    return f"repo:{repo} is:issue label:{spelled} updated:>={clock.utc_text(since)}"


def vet(gh: GitHubAdapter, case: Case, ledger: Ledger) -> None:
    """Settle who may earn: roles first (cached), the timeline only when they don't decide it."""
    issue = case.issue
    members = {login.lower() for login in ledger.members}
    earners = [p.login for p in issue.assignees if not p.bot and p.login.lower() in members]
    if issue.assignees and all(
        gh.permission(issue.repo, login) in awards.TRUSTED_ROLES for login in earners
    ):
        case.provenance = Provenance(known=True)  # trusted earners: whoever labelled, it counts
        case.trusted = frozenset(earners)
        return
    award.investigate(gh, case, ledger)


def candidates(
    gh: GitHubAdapter, ledger: Ledger, found: Sequence[IssueFacts], earlier: dict, today: date
) -> list[Case]:
    """The issues whose journal entries would change; vetted only when someone would earn."""
    cases: list[Case] = []
    for issue in found:
        past = earlier.get(issue.url, []) + ledger.entries_for(issue.url)
        newest = max((e.at for e in past if e.at is not None), default=None)
        if newest is not None and newest >= issue.updated_at:
            continue  # the journal has seen this very state
        case = Case(issue)
        if awards.worth(issue, ledger.policy) and not issue.assignees:
            award.investigate(gh, case, ledger)  # search results don't say who closed it
        wanted = awards.shares(issue, ledger.policy, ledger.members, case.provenance)
        hopeful = awards.reconcile(issue, ledger.policy, wanted, past, today)
        if not hopeful.changed:
            continue
        if case.timeline is None:
            if any(share.chips for share in wanted):
                vet(gh, case, ledger)
            else:
                case.provenance = Provenance(known=True)  # nobody earns: nothing to vet
        cases.append(case)
    return cases


# ---- the command -------------------------------------------------------------------------------


def run(args: argparse.Namespace, ctx: Context) -> int:
    ledger = ctx.store.load()
    repos = repositories(ctx, ledger)
    if not repos:
        ctx.say("nothing to sync: no repositories in ledger/policy.yaml and no GITHUB_REPOSITORY")
        return 0
    gh = ctx.github
    if gh is None:
        ctx.say(f"no GitHub token: would search {', '.join(repos)} for overhead issues")
        return 0
    cursor = read_cursor(ctx.repo)
    since = clock.parse_instant(args.since, what="--since") if args.since else None
    since = since or cursor or start_of(ledger, ctx.now)
    found: list[IssueFacts] = []
    complete = True
    for repo in repos:
        result = gh.search_issues(query(repo, ledger, since))
        found += [award.facts_from_issue(item) for item in result.items if not item.is_pull]
        complete = complete and not result.incomplete and len(result.items) >= result.total_count
    earlier = award.earlier_history(ctx, ledger, found)
    cases = candidates(gh, ledger, found, earlier, ctx.now.date())
    # Everything seen is reconciled up to now (less the index lag); a capped or incomplete
    # search only up to the newest issue it returned, so the next run goes on from there.
    reached = ctx.now - OVERLAP
    if not complete and found:
        reached = min(reached, max(issue.updated_at for issue in found))
    move = cases or cursor is None or reached - cursor >= REFRESH
    plans = publish(ctx, cases, earlier, reached if move else None, push=args.push)
    changed = [plan for plan in plans if plan.changed]
    ctx.say(
        f"searched {len(repos)} repositories since {clock.utc_text(since)}: "
        f"{len(found)} overhead issues, {len(changed)} changed"
    )
    for plan in changed:
        ctx.say(f"  {plan.issue.key}: {plan.headline()}")
    if changed:
        lines = [f"- {p.issue.key}: {p.headline()}" for p in changed]
        ctx.summary("### ante sync\n\n" + "\n".join(lines))
    failures: list[str] = []
    balances = ctx.store.load().balances()
    for case in cases:
        plan = case.plan
        if plan is not None and (plan.changed or any(s.refusal for s in plan.shares)):
            try:
                award.post_comment(ctx, gh, case, balances)
            except AnteError as exc:
                failures.append(f"{case.issue.key}: {exc}")
    if failures:
        raise AnteError(
            "the journal is up to date but some comments failed (re-run to retry):\n"
            + "\n".join(failures)
        )
    return 0


def publish(
    ctx: Context,
    cases: Sequence[Case],
    earlier: dict,
    cursor: datetime | None,
    *,
    push: bool,
) -> list[awards.Plan]:
    plans: list[awards.Plan] = []

    def attempt() -> str | None:
        plans[:] = award.apply(ctx, cases, earlier)
        message = awards.commit_message(plans)
        if cursor is not None:
            write_cursor(ctx.repo, cursor)
            message = message or f"ante sync: reconciled up to {clock.utc_text(cursor)}"
        return message

    if not push:
        attempt()
        return plans
    gitops.publish(
        ctx.repo,
        attempt,
        award.LEDGER_PATHS,
        attempts=award.PUSH_ATTEMPTS,
        base_delay=award.PUSH_DELAY,
    )
    return plans
