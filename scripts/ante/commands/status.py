"""`ante status [--out FILE]`: render STATUS.md from the repo's own data (no API calls)."""

from __future__ import annotations

import argparse

from ante.context import Context
from ante.services.status_file import write


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("status", help="render STATUS.md from templates/STATUS.md.j2")
    p.add_argument("--out", help="where to write (default STATUS.md in the repo; - for stdout)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    changed = write(ctx, args.out)
    if args.out != "-":
        message = f"{'wrote' if changed else 'unchanged:'} {args.out or 'STATUS.md'}"
        ctx.say(message)
        ctx.summary(f"### ante status\n\n{message}")
    return 0
