"""`ante intake --event FILE | --refresh [--dry-run] [--push]`: tell reporters where they stand.

`--event` (an `issues` event: opened, labeled, reopened, closed, unlabeled): an open overhead
issue gets the intake section of ante's one comment (its queue position and expected pickup
window), once; a closed one gets its resolution. `--refresh` (weekly): acknowledge every open
overhead issue ante has not commented on yet (missed events, product repositories) and re-tell
the estimates that moved by more than a week. Comments first, then the notes in
`ledger/intake.yaml` (pushed with retries under --push); a failure in between is repaired by
the next run without a second comment.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from ante import flags
from ante.context import Context
from ante.services.intake import on_event, on_refresh


@dataclass(frozen=True)
class Options:
    event: Path | None  # None: --refresh
    dry_run: bool
    push: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        event = Path(args.event) if args.event else None
        return cls(event=event, dry_run=args.dry_run, push=args.push)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("intake", help="acknowledge overhead issues with an expected pickup window")
    which = p.add_mutually_exclusive_group(required=True)
    flags.event(which, "an `issues` event payload (e.g. $GITHUB_EVENT_PATH)")
    which.add_argument(
        "--refresh", action="store_true", help="weekly: acknowledge missed issues, re-tell moves"
    )
    flags.dry_run(p)
    flags.push(p)
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    if opts.event:
        return on_event(ctx, opts.event, dry_run=opts.dry_run, push=opts.push)
    return on_refresh(ctx, dry_run=opts.dry_run, push=opts.push)
