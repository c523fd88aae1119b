"""`ante balance [LOGIN] [--format json]`: chips per member, derived from the journal."""

from __future__ import annotations

import argparse
import json

from ante.context import Context
from ante.errors import AnteError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("balance", help="chip balances (derived from the journal)")
    p.add_argument("login", nargs="?", help="one member")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    ledger = ctx.store.load()
    balances = ledger.balances()
    if args.login:
        login = ledger.canonical(args.login)
        if login is None:
            raise AnteError(f"{args.login!r} is not a member (see ledger/members.yaml)")
        balances = {login: balances.get(login, 0)}
    else:
        balances = {k: v for k, v in balances.items() if k in ledger.members}
    if args.format == "json":
        ctx.say(json.dumps(balances))
        return 0
    width = max((len(k) for k in balances), default=0)
    for login, chips in balances.items():
        ctx.say(f"{login:<{width}}  {chips:>4} chip{'s' if abs(chips) != 1 else ''}")
    return 0
