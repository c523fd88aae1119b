"""`ante balance [LOGIN] [--format json]`: chips per member, derived from the journal."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

from ante import flags
from ante.context import Context
from ante.errors import AnteError


@dataclass(frozen=True)
class Options:
    login: str | None
    format: str

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        return cls(login=args.login, format=args.format)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("balance", help="chip balances (derived from the journal)")
    p.add_argument("login", nargs="?", help="one member")
    flags.output_format(p)
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    ledger = ctx.store.load()
    balances = ledger.balances()
    if opts.login:
        login = ledger.canonical(opts.login)
        if login is None:
            raise AnteError(f"{opts.login!r} is not a member (see ledger/members.yaml)")
        balances = {login: balances.get(login, 0)}
    else:
        balances = {k: v for k, v in balances.items() if k in ledger.members}
    if opts.format == "json":
        ctx.say(json.dumps(balances))
        return 0
    width = max((len(k) for k in balances), default=0)
    for login, chips in balances.items():
        ctx.say(f"{login:<{width}}  {chips:>4} chip{'s' if abs(chips) != 1 else ''}")
    return 0
