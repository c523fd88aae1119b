"""`ante history LOGIN [--from DATE] [--to DATE] [--format text|json|csv]`: a chip statement.

Every journal entry of the member from `--from` (default: the first day of the journal's
current year) to `--to` (default: today), each with its date, kind, chips, the running balance
and a link to its issue, tax pull request or adjustment. Reads only the years asked for: the
year's checkpoint carries everything before it.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from datetime import date

from ante import flags
from ante.context import Context
from ante.render import statement as render
from ante.services import history


@dataclass(frozen=True)
class Options:
    login: str
    start: date | None  # None: the first day of the journal's current year
    end: date | None  # None: today
    format: str

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        start, end = flags.day(args.start, "--from"), flags.day(args.end, "--to")
        return cls(args.login, start, end, args.format)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("history", help="a member's chip statement with a running balance")
    p.add_argument("login", help="the member")
    flags.period(p, "Jan 1")
    flags.output_format(p, "csv")
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    found = history.statement(ctx, opts.login, opts.start, opts.end)
    if opts.format == "json":
        ctx.say(json.dumps(found.json()))
    elif opts.format == "csv":
        ctx.out.write(render.table(found))
    else:
        ctx.say(render.plain(found))
    return 0
