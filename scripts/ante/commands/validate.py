"""`ante validate`: every data file, with each problem at its file, line and column."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from ante import flags
from ante.context import Context
from ante.services.validate import _count, check_all


@dataclass(frozen=True)
class Options:
    against: str  # a git ref; "" skips the append-only check
    full: bool  # re-read every closed year instead of trusting its seal

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        return cls(against=args.against, full=args.full)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("validate", help="check every data file (path:line:col: message)")
    p.add_argument(
        "--against",
        default="HEAD",
        metavar="REF",
        help="committed journal entries at REF must be unchanged (default HEAD; '' to skip)",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="re-read every closed year too (by default a closed year is trusted by its seal)",
    )
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    check_all(ctx, against=opts.against, full=opts.full)
    ctx.say(f"ok: {_count(ctx.repo)} data files valid")
    return 0
