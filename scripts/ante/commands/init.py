"""`ante init DIR [--members a,b,c]`: a new team repository, ready to run."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

from ante import flags
from ante.context import Context
from ante.core.ledger import grants_due
from ante.core.models import LOGIN
from ante.errors import AnteError, UsageError
from ante.files import gitrepo, scaffold, yamlio
from ante.services import status_file


@dataclass(frozen=True)
class Options:
    dir: Path
    members: tuple[str, ...]

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        return cls(dir=Path(args.dir), members=tuple(parse_logins(args.members)))


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("init", help="create a new team repository")
    p.add_argument("dir", help="where (created if missing; must not already hold a ledger)")
    p.add_argument("--members", default="", help="comma-separated GitHub logins")
    flags.runs(p, Options.parse, run)


def parse_logins(text: str) -> list[str]:
    logins = [part.strip().lstrip("@") for part in re.split(r"[,\s]+", text) if part.strip()]
    for login in logins:
        if not LOGIN.match(login):
            raise UsageError(f"--members: {login!r} is not a GitHub login")
    if len({x.lower() for x in logins}) != len(logins):
        raise UsageError("--members: a login is listed twice")
    return logins


def create(target: Path, logins: list[str], ctx: Context) -> Path:
    if (target / "ledger" / "members.yaml").exists():
        raise AnteError(f"{target} already holds a ledger; nothing changed")
    target.mkdir(parents=True, exist_ok=True)
    today = ctx.now.date()
    scaffold.copy_template_parts(target)
    for rel, text in scaffold.team_files(logins, today, target.resolve().name).items():
        yamlio.write_text(target / rel, text)
    team = Context(repo=target, now=ctx.now, environ=ctx.environ, out=ctx.out, err=ctx.err)
    ledger = team.store.load()
    team.store.append(ledger, grants_due(ledger, today))
    status_file.write(team)
    if not gitrepo.is_repo(target):
        gitrepo.git(target, "init", "--quiet", "--initial-branch=main")
    gitrepo.commit(target, ["."], f"ante init: {len(logins)} members")
    return target


def run(opts: Options, ctx: Context) -> int:
    logins = list(opts.members)
    target = create(opts.dir, logins, ctx)
    ctx.say(f"team repository ready in {target} ({len(logins)} members, 2 chips each by default)")
    return 0
