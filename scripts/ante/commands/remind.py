"""`ante remind [--push]`: tell each person in the team's channels the day before their shift
starts and at its handoff (once each; a late run still sends what is useful)."""

from __future__ import annotations

from ante import flags
from ante.context import Context
from ante.services import reminders


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("remind", help="shift reminders: the day before, and at handoff")
    flags.push(p, "commit and push the record of what was sent")
    flags.runs(p, flags.PushOptions.parse, run)


def run(opts: flags.PushOptions, ctx: Context) -> int:
    return reminders.run(ctx, push=opts.push)
