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
from dataclasses import dataclass
from datetime import datetime

from ante import clock, flags
from ante.context import Context
from ante.core.awards import IssueFacts
from ante.errors import AnteError
from ante.services import award
from ante.services.sync import (
    OVERLAP,
    REFRESH,
    candidates,
    publish,
    query,
    read_cursor,
    start_of,
)


@dataclass(frozen=True)
class Options:
    push: bool
    since: datetime | None  # None: from the cursor

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        since = clock.parse_instant(args.since, what="--since") if args.since else None
        return cls(push=args.push, since=since)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("sync", help="award chips for overhead issues whose events were missed")
    flags.push(p)
    p.add_argument("--since", help="look back to this time (ISO-8601) instead of the cursor")
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    ledger = ctx.store.load()
    repos = ctx.repositories(ledger.policy)
    if not repos:
        ctx.say("nothing to sync: no repositories in ledger/policy.yaml and no GITHUB_REPOSITORY")
        return 0
    gh = ctx.github
    if gh is None:
        ctx.say(f"no GitHub token: would search {', '.join(repos)} for overhead issues")
        return 0
    cursor = read_cursor(ctx.repo)
    since = opts.since or cursor or start_of(ledger, ctx.now)
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
    plans = publish(ctx, cases, earlier, reached if move else None, push=opts.push)
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
        done = case.plan
        if done is not None and (done.changed or any(s.refusal for s in done.shares)):
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
