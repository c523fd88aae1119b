"""`ante tax [--week W] [--dry-run] [--format json] [--open-pr]`: the weekly chip tax.

Without `--open-pr` it plans the week and writes its tax file into the working tree (nothing
with `--dry-run`). With `--open-pr` (the weekly workflow) it records last week's backlog
metrics on main, waives weeks whose pull request was closed unmerged, and offers every week
since the last one on main as its own pull request from branch `ante/tax/<week>`: created
once, updated on re-runs. Merging the pull request is what applies the tax.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from ante import clock, flags
from ante.context import Context
from ante.core import tax
from ante.errors import UsageError
from ante.files import backlog, tax_weeks
from ante.github.types import Pull
from ante.services.tax import BRANCH, _offer_pull, _publish, _show, observe, plan_weeks, waiver


@dataclass(frozen=True)
class Options:
    week: str | None  # None: every week not yet taxed
    dry_run: bool
    format: str
    open_pr: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        if args.week and not backlog.is_week(args.week):
            raise UsageError(f"--week: not an ISO week (YYYY-Www): {args.week!r}")
        if args.format == "json" and args.open_pr:
            raise UsageError(
                "--format json only reports the plan; it cannot be used with --open-pr"
            )
        dry_run = args.dry_run or args.format == "json"  # a report never writes
        return cls(args.week or None, dry_run, args.format, args.open_pr)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("tax", help="the weekly chip tax (a pull request the team reviews)")
    p.add_argument("--week", help="the ISO week, YYYY-Www (default: every week not yet taxed)")
    flags.dry_run(p, "print the plan, write nothing")
    flags.output_format(p)
    p.add_argument("--open-pr", action="store_true", help="record metrics and open the PR(s)")
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    ledger = ctx.store.load()
    done = tax_weeks.weeks_on_main(ctx.repo)
    history = backlog.load_history(ctx.repo)
    current = opts.week or clock.iso_week(ctx.now.date())
    if opts.week:
        weeks = [] if opts.week in {t.week for t in done} else [opts.week]
    else:
        # Before any tax reached main, the first recorded metrics week marks the first run.
        last = done[-1].week if done else history[0].week if history else None
        weeks = tax.pending([t.week for t in done], last, current)
    if not weeks:
        ctx.say(f"nothing to do: the tax of {current} is already on main")
        return 0
    github = ctx.github if opts.open_pr and not opts.dry_run else None
    open_now = history[-1].open if history else 0
    repo_name = ctx.settings.repository or ""
    pulls: dict[str, tuple[Pull, ...]] = {}
    if github is not None and repo_name:
        row = observe(github, ctx.repositories(ledger.policy), ledger.policy, ctx.now)
        history, open_now = backlog.record(history, row), row.open
        pulls = {w: github.find_pulls(repo_name, BRANCH.format(week=w)) for w in weeks}
        waived = {
            w: waiver(w, ps[0], ctx.store.open_period_for(0))
            for w, ps in pulls.items()
            if ps and not any(p.state == "open" or p.merged for p in ps)
        }
        _publish(ctx, row, waived)
        weeks = [w for w in weeks if w not in waived and not any(p.merged for p in pulls[w])]
        ledger = ctx.store.load()
    elif opts.open_pr and not opts.dry_run:
        ctx.warn("no GITHUB_TOKEN/GITHUB_REPOSITORY: planning only, no metrics and no PR")
    if not weeks:
        return 0
    offers = plan_weeks(ctx, ledger, weeks, history, open_now)
    for offer in offers:
        _show(ctx, offer, opts.format)
        if opts.dry_run:
            continue
        if github is not None:
            _offer_pull(ctx, github, repo_name, offer, pulls.get(offer.plan.week, ()))
        elif not opts.open_pr:
            ctx.store.write_new_file(
                offer.plan.day.year,
                tax.file_name(offer.plan.week),
                offer.plan.entries(),
                head={
                    "week": offer.plan.week,
                    "rate": offer.plan.rate,
                    "reason": offer.plan.reason,
                },
            )
            ctx.say(
                f"wrote {offer.path} (not committed): the weekly workflow proposes it as a "
                "pull request (ante tax --open-pr)"
            )
    return 0
