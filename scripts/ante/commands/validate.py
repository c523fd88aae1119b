"""`ante validate`: every data file, with each problem at its file, line and column."""

from __future__ import annotations

import argparse

from ante.context import Context
from ante.services.validate import _count, check_all


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="check every data file (path:line:col: message)")
    p.add_argument(
        "--against",
        default="HEAD",
        metavar="REF",
        help="committed journal entries at REF must be unchanged (default HEAD; '' to skip)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    check_all(ctx, args)
    ctx.say(f"ok: {_count(ctx.repo)} data files valid")
    return 0
