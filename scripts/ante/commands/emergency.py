"""`ante emergency [--event FILE | --sweep] [--push]`: page the on-call for an emergency.

Opened or labelled: assign the captain on call at that moment, mention the first-mate and show
the escalation path (one comment, edited in place), and record the page as in-hours or
out-of-hours in `ledger/pages/<YYYY>.yaml`. Closed: open a post-mortem issue from
`templates/postmortem.md.j2`, assigned to the captain and linked both ways, and record it.
Each happens once however often the event is delivered or re-run. `--sweep`: page every open
emergency (in this repository and the policy's) that has no page yet, and tell whoever was on
call of each emergency closed in the last day that was never paged at all.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ante import flags

if TYPE_CHECKING:
    from ante.context import Context


@dataclass(frozen=True)
class Options:
    event: Path | None  # None: $GITHUB_EVENT_PATH
    sweep: bool
    push: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        event = Path(args.event) if args.event else None
        return cls(event=event, sweep=args.sweep, push=args.push)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("emergency", help="page the on-call for a product-emergency issue event")
    flags.event(p, "the `issues` event payload (default: $GITHUB_EVENT_PATH)")
    p.add_argument(
        "--sweep", action="store_true", help="page every open emergency that has no page yet"
    )
    flags.push(p)
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    from ante.services import emergency  # loaded when the command runs, not at start-up

    if opts.sweep:  # the scheduled sweep: emergencies closed since the last one are looked at too
        since = ctx.now - emergency.CLOSED_LOOK_BACK
        return emergency.sweep(ctx, push=opts.push, closed_since=since)
    source = opts.event or (Path(ctx.settings.event_path) if ctx.settings.event_path else None)
    return emergency.handle(ctx, source, push=opts.push)
