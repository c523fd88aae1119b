"""`ante demo [--out DIR]`: the offline end-to-end demo (a sandbox team's quarter)."""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ante import cli, demo, flags
from ante.context import Context
from ante.errors import AnteError


@dataclass(frozen=True)
class Options:
    out: Path | None

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        return cls(out=Path(args.out) if args.out else None)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("demo", help="offline demo: a sandbox team repo lives through a quarter")
    p.add_argument("--out", help="build the sandbox here and leave it (default: a temp dir)")
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    if opts.out:
        root = opts.out.resolve()
        if root.exists() and any(root.iterdir()):
            raise AnteError(f"{root} is not empty; choose a new directory for the demo")
    else:
        root = Path(tempfile.mkdtemp(prefix="ante-demo-"))
    ctx.say(f"ante demo: building a sandbox team repo in {root} (offline, no token)")
    team, quarter = demo.play(root, frozenset(cli.COMMANDS))
    (root / "demo.log").write_text("\n".join(quarter.log), encoding="utf-8")
    ledger = Context(repo=team, now=ctx.now, environ={}).store.load()
    ctx.say(
        f"replayed {demo.WEEKS} weeks: {quarter.closed} overhead issues closed, "
        f"{quarter.reopened} reopened, {len(quarter.taxes)} weekly taxes merged, "
        f"{quarter.handoffs} on-call handoffs"
    )
    ctx.say("chip balances: " + json.dumps(ledger.balances()))
    ctx.say(f"git history: {team} ({len(_log(team))} commits; origin at {root / 'origin.git'})")
    ctx.say(f"every command and its output: {root / 'demo.log'}")
    ctx.say(f"STATUS.md: {team / 'STATUS.md'}")
    return 0


def _log(team: Path) -> list[str]:
    from ante.files import gitrepo

    return gitrepo.git(team, "log", "--oneline").stdout.splitlines()
