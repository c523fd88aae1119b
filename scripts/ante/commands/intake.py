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
from typing import TYPE_CHECKING

from ante.context import Context

if TYPE_CHECKING:
    pass
from ante.services.intake import on_event, on_refresh


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("intake", help="acknowledge overhead issues with an expected pickup window")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--event", help="an `issues` event payload (e.g. $GITHUB_EVENT_PATH)")
    which.add_argument(
        "--refresh", action="store_true", help="weekly: acknowledge missed issues, re-tell moves"
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="say what would change; change nothing (wins over --push)",
    )
    p.add_argument("--push", action="store_true", help="commit and push (retrying on conflicts)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    if args.event:
        return on_event(ctx, args)
    return on_refresh(ctx, args)
