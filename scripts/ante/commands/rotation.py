"""`ante rotation`: the on-call schedule, its calendar feed, and a pull request's preview.

ante rotation [NAME] [--weeks N] [--format text|json]   the schedule from this week on
ante rotation ics [NAME]                                write rotations/<name>.ics
ante rotation preview --before DIR [--weeks N]          validate, then show whose shifts a
                                                        change moves (DIR: the data before)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ante.context import Context
from ante.errors import UsageError
from ante.files import rotations, yamlio
from ante.services.rotation import (
    _all,
    conflict_text,
    describe,
    frozen_until,
    ics_path,
    parse_words,
    preview,
    write_ics,
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "rotation",
        help="the on-call schedule; `rotation ics [NAME]` writes the calendar feed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("words", nargs="*", metavar="[ics|preview] [NAME]", help="verb and rotation")
    p.add_argument("--weeks", type=int, default=None, help="how many weeks (default 8; 12 preview)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--before", help="preview: a checkout of the data before the change")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    verb, name = parse_words(args.words)
    weeks = args.weeks
    if weeks is not None and not 1 <= weeks <= 520:
        raise UsageError("--weeks: between 1 and 520")
    if verb == "ics":
        rosters = [rotations.find(ctx.repo, name)] if name else _all(ctx.repo)
        for roster in rosters:
            changed = write_ics(ctx, roster)
            shown = yamlio.display(ics_path(ctx.repo, roster.name), ctx.repo)
            ctx.say(f"{'wrote' if changed else 'unchanged:'} {shown}")
        return 0
    if verb == "preview":
        if not args.before:
            raise UsageError("rotation preview: --before DIR is required")
        return preview(ctx, Path(args.before), name, weeks or 12)
    roster = rotations.find(ctx.repo, name)
    shifts = rotations.weeks_for(ctx.repo, roster, ctx.now, weeks or 8)
    if args.format == "json":
        ctx.say(json.dumps([shift.json() for shift in shifts], indent=2))
    else:
        ctx.say(describe(roster, shifts, frozen_until(ctx.repo, roster)))
    for conflict in rotations.conflicts_for(ctx.repo, roster, ctx.now):
        ctx.warn(f"warning: {conflict_text(roster, conflict)}")
    return 0
