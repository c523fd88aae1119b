"""`ante status [--out FILE]`: render STATUS.md from the repo's own data (no API calls)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from ante import flags
from ante.context import Context
from ante.services.status_file import write_all


@dataclass(frozen=True)
class Options:
    out: str | None  # a path; "-" for stdout; None for STATUS.md in the repo

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        return cls(out=args.out)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("status", help="render STATUS.md from templates/STATUS.md.j2")
    p.add_argument("--out", help="where to write (default STATUS.md in the repo; - for stdout)")
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    changed = write_all(ctx, opts.out)
    if opts.out != "-":
        pages = [path for path in changed if path.startswith("ledger/statements/")]
        shown = opts.out or "STATUS.md"
        message = f"{'wrote' if shown in changed else 'unchanged:'} {shown}"
        if pages:
            message += f" and {len(pages)} statement page(s) in ledger/statements/"
        ctx.say(message)
        ctx.summary(f"### ante status\n\n{message}")
    return 0
