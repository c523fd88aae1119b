"""`ante followup [--push]`: post-mortem actions become issues, linked both ways; finished or
dropped ones are ticked off; a post-mortem with open actions does not stay closed; owners of
overdue actions are reminded once a week."""

from __future__ import annotations

from ante import flags
from ante.context import Context
from ante.services import followups


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("followup", help="post-mortem actions: open, link, chase, tick off")
    flags.push(p)
    flags.runs(p, flags.PushOptions.parse, run)


def run(opts: flags.PushOptions, ctx: Context) -> int:
    return followups.run(ctx, push=opts.push)
