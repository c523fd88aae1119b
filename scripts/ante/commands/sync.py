"""`ante sync [--push]`: reconcile the journal with overhead issues, so no chip is lost.

GitHub can delay or drop workflow runs, and overhead issues often live in product repositories
with no workflow of ours. Sync lists each repository's issues (the policy's and this one)
updated since the cursor in `ledger/sync.yaml`, through the issues API (which reads current
state; search lags behind writes and could skip an issue forever), applies the overhead ones and
those the journal holds chips for with the same idempotent rules as `ante award`, comments on
the issues it changed, and advances the cursor to the run's start less an overlap: an issue seen
twice changes nothing the second time.

An award whose run was lost between its push and its comment is caught too: for each issue whose
journal entry is newer than the cursor, sync reads its comments and posts ante's when it is
missing or older than the journal's change (a person's later label can hide the loss, so the
issue's own `updated_at` is no sign).

An open overhead issue that ante never acknowledged (its `opened` or `labeled` event was
missed; `ledger/intake.yaml` has no note of it) is acknowledged as the Monday refresh would.

API cost: one list request per 100 issues updated since the cursor per repository; issues the
journal already matches cost nothing more, except one comment listing for an issue whose
journal entry is newer than the cursor (about once per award). A new award reads the issue's
timeline (who applied the label) and, when needed, a role on the repository (cached per person
and repository).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import datetime

from ante import clock, flags
from ante.context import Context
from ante.errors import AnteError
from ante.services import award, intake
from ante.services.sync import (
    OVERLAP,
    REFRESH,
    candidates,
    facts_keyed,
    publish,
    read_cursor,
    start_of,
    updated_issues,
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
    listed = updated_issues(gh, repos, ledger, since)
    found = [facts_keyed(item, ledger) for item in listed]
    earlier = award.earlier_history(ctx, ledger, found)
    cases = candidates(gh, ledger, found, earlier, ctx.now.date(), since)
    # The list reads current state, so everything updated before the run started is seen; the
    # overlap covers clock skew between the runner and GitHub, and idempotency makes it free.
    reached = ctx.now - OVERLAP
    move = cases or cursor is None or reached - cursor >= REFRESH
    plans = publish(ctx, cases, earlier, reached if move else None, push=opts.push)
    changed = [plan for plan in plans if plan.changed]
    ctx.say(
        f"listed {len(repos)} repositories since {clock.utc_text(since)}: "
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
        if done is not None and (done.changed or case.owed or any(s.refusal for s in done.shares)):
            try:
                award.post_comment(ctx, gh, case, balances)
            except AnteError as exc:
                failures.append(f"{case.issue.key}: {exc}")
    try:
        told = intake.acknowledge_missed(ctx, gh, listed, push=opts.push)
    except AnteError as exc:
        failures.append(f"acknowledging the issues whose events were missed: {exc}")
    else:
        if told:
            ctx.say(f"acknowledged (their events were missed): {', '.join(told)}")
    if failures:
        raise AnteError(
            "the journal is up to date but some comments failed (re-run to retry):\n"
            + "\n".join(failures)
        )
    return 0
