"""`ante adjust LOGIN ±N --reason TEXT [--by LOGIN] [--open-pr] [--dry-run] [--format json]`.

A correction to a member's chips: one `adjust` entry with its reason and who asked, in a file
of its own (`ledger/journal/<YYYY>/adjust-<date>-<login>-<digest>.yaml`). With `--open-pr` it
is proposed as a pull request from `ante/adjust/...`, reviewed like the weekly tax; ante never
pushes it to main. Without, the file is written to the working tree for a pull request of your
own. `--dry-run` and `--format json` only say what the entry would be.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from ante import flags
from ante.context import Context
from ante.errors import UsageError
from ante.services import adjust


@dataclass(frozen=True)
class Options:
    login: str
    chips: int
    reason: str
    by: str | None  # None: $GITHUB_ACTOR
    open_pr: bool
    dry_run: bool  # also with --format json: a report never writes
    format: str

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        try:
            chips = int(args.chips)
        except ValueError:
            raise UsageError(f"chips: a whole number like +2 or -1, not {args.chips!r}") from None
        dry_run = args.dry_run or args.format == "json"
        return cls(args.login, chips, args.reason, args.by, args.open_pr, dry_run, args.format)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("adjust", help="propose a chip correction (a reviewed pull request)")
    p.add_argument("login", help="the member")
    p.add_argument("chips", help="chips to add (+2) or take away (-2)")
    p.add_argument("--reason", required=True, help="why: goes into the journal and the PR")
    p.add_argument("--by", help="who asked (default: $GITHUB_ACTOR)")
    p.add_argument("--open-pr", action="store_true", help="push a branch and open the PR")
    flags.dry_run(p, "print the entry, write nothing")
    flags.output_format(p)
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    found = adjust.plan(ctx, opts.login, opts.chips, opts.reason, opts.by)
    adjust.show(ctx, found, opts.format)
    if opts.dry_run:
        return 0
    if opts.open_pr:
        adjust.open_pr(ctx, found)
    else:
        adjust.write_local(ctx, found)
    return 0
