"""`ante triage [--dry-run] [--push]`: sweep the noise out of the Overhead backlog (weekly).

Open overhead issues with no activity but ante's for the policy's `stale_days` get the triage
label and, in ante's one comment, "still relevant?"; unanswered after `grace_days` they are
closed as not planned with a comment saying why. An answer (a comment, a label change, any
edit) puts the issue back in the queue. Exempt labels are never swept. One issues-API request
per 100 open issues per repository and overhead label (never search, which lags); per changed
issue two writes (the label or state, and the comment) and only
rarely a read of the comment; the run stops at `max_operations` API calls and the next run
carries on. ante's notes (`ledger/intake.yaml`) keep its own writes from counting as activity;
the closed issues are listed in `ledger/sweeps.yaml` for STATUS.md and the handoff.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from ante import flags
from ante.context import Context
from ante.core import intake
from ante.files import intake_notes
from ante.services import intake as intake_job


@dataclass(frozen=True)
class Options:
    dry_run: bool
    push: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        return cls(dry_run=args.dry_run, push=args.push)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("triage", help="sweep stale overhead issues: ask, then close as not planned")
    flags.dry_run(p)
    flags.push(p)
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    policy = ctx.store.policy()
    gh = ctx.github
    repos = ctx.repositories(policy)
    if gh is None or not repos:
        ctx.say("no GitHub token (or repository): nothing read, nothing swept")
        return 0
    queue = intake_job.open_overhead(gh, repos, policy)
    notes = intake_notes.load_notes(ctx.repo)
    plan = intake.sweep(
        queue.issues,
        notes,
        policy.intake,
        ctx.now,
        budget=policy.intake.max_operations - queue.reads,
        recorded=intake_job.pace(ctx, policy),
    )
    intake_job.report(ctx, "ante triage", plan, dry_run=opts.dry_run)
    if opts.dry_run:
        for skip in plan.skipped:
            if skip.why.startswith("exempt"):
                ctx.say(f"  skip {skip.url}: {skip.why}")
        return 0
    changes, swept = intake_job.carry_out(ctx, gh, plan.steps, policy)
    changes = intake_job.forgotten(notes, queue.issues, queue.complete) | changes
    intake_job.publish(ctx, changes, swept, push=opts.push, what="triage: weekly sweep")
    return 0
