"""`ante rotation`: the on-call schedule, its calendar feed, and a pull request's preview.

ante rotation [NAME] [--weeks N] [--format text|json]   the schedule from this week on
ante rotation ics [NAME]                                write rotations/<name>.ics
ante rotation preview --before DIR [--weeks N]          validate, then show whose shifts a
        [--comment]                                     change moves (DIR: the data before);
                                                        --comment tells them on the PR
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from ante import flags
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


@dataclass(frozen=True)
class Options:
    words: tuple[str, ...]  # [ics|preview] [NAME]
    weeks: int | None
    format: str
    before: Path | None
    comment: bool = False  # preview: tell whoever's shifts move, on the pull request

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        before = Path(args.before) if args.before else None
        return cls(tuple(args.words), args.weeks, args.format, before, bool(args.comment))


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser(
        "rotation",
        help="the on-call schedule; `rotation ics [NAME]` writes the calendar feed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("words", nargs="*", metavar="[ics|preview] [NAME]", help="verb and rotation")
    p.add_argument("--weeks", type=int, default=None, help="how many weeks (default 8; 12 preview)")
    flags.output_format(p)
    p.add_argument("--before", help="preview: a checkout of the data before the change")
    p.add_argument(
        "--comment",
        action="store_true",
        help="preview: mention whoever's future shifts move in one comment on the pull request",
    )
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    verb, name = parse_words(list(opts.words))
    weeks = opts.weeks
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
        if opts.before is None:
            raise UsageError("rotation preview: --before DIR is required")
        return preview(ctx, opts.before, name, weeks or 12, tell=opts.comment)
    roster = rotations.find(ctx.repo, name)
    shifts = rotations.weeks_for(ctx.repo, roster, ctx.now, weeks or 8)
    if opts.format == "json":
        ctx.say(json.dumps([shift.json() for shift in shifts], indent=2))
    else:
        ctx.say(describe(roster, shifts, frozen_until(ctx.repo, roster)))
    for conflict in rotations.conflicts_for(ctx.repo, roster, ctx.now):
        ctx.warn(f"warning: {conflict_text(roster, conflict)}")
    return 0
