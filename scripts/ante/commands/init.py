"""`ante init [DIR] [--members a,b,c]`: a team repository, ready to run.

DIR may be new, empty, or an existing clone (its files stay; ante adds its own beside them).
Without `--members` the roster starts with the current GitHub user when one can be found, or
empty with a note on how to join.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ante import flags, resources
from ante.context import Context
from ante.core.ledger import grants_due
from ante.core.models import LOGIN
from ante.errors import AnteError, UsageError
from ante.files import formats, gitrepo, scaffold
from ante.services import status_file


@dataclass(frozen=True)
class Options:
    dir: Path
    members: tuple[str, ...] | None  # None: not given (ask git/GitHub who runs init)

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        given = None if args.members is None else tuple(parse_logins(args.members))
        return cls(dir=Path(args.dir), members=given)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("init", help="make a team repository (new, empty or an existing clone)")
    p.add_argument("dir", nargs="?", default=".", help="where (default: .; created if missing)")
    p.add_argument(
        "--members",
        default=None,
        help="comma-separated GitHub logins (default: you, as GitHub or git knows you)",
    )
    flags.runs(p, Options.parse, run)


def parse_logins(text: str) -> list[str]:
    logins = [part.strip().lstrip("@") for part in re.split(r"[,\s]+", text) if part.strip()]
    for login in logins:
        if not LOGIN.match(login):
            raise UsageError(f"--members: {login!r} is not a GitHub login")
    if len({x.lower() for x in logins}) != len(logins):
        raise UsageError("--members: a login is listed twice")
    return logins


def current_user(target: Path, environ: Mapping[str, str]) -> str | None:
    """The GitHub login of whoever runs init: the GitHub CLI's, else git's `github.user`."""
    candidates: list[str] = []
    if shutil.which("gh") and environ.get("ANTE_OFFLINE") != "1":
        try:
            proc = subprocess.run(
                ["gh", "api", "user", "--jq", ".login"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
            if proc.returncode == 0:
                candidates.append(proc.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    where = target if target.is_dir() else Path.cwd()
    candidates.append(gitrepo.git(where, "config", "--get", "github.user", check=False).stdout)
    for login in (c.strip() for c in candidates):
        if login and LOGIN.match(login):
            return login
    return None


def create(target: Path, logins: list[str], ctx: Context) -> tuple[Path, list[str]]:
    """Write the team's files that are missing, commit them; returns (repo, files written)."""
    if (target / "ledger" / "members.yaml").exists() or (target / formats.FILE).exists():
        raise AnteError(
            f"{target} already holds a ledger; nothing changed "
            "(to bring it to this release: ante upgrade)"
        )
    if target.exists() and not target.is_dir():
        raise AnteError(f"{target} is a file, not a folder; nothing changed")
    today = ctx.now.date()
    files = scaffold.team_files(logins, today, target.resolve().name)
    files[formats.FILE] = formats.text()
    files.update(scaffold.tool_files(resources.action_pin(ctx.environ)))
    target.mkdir(parents=True, exist_ok=True)
    kept = [rel for rel in files if (target / rel).exists()]
    written = scaffold.write_missing(target, files)
    team = Context(repo=target, now=ctx.now, environ=ctx.environ, out=ctx.out, err=ctx.err)
    ledger = team.store.load()
    team.store.append(ledger, grants_due(ledger, today))
    status_file.write(team)
    if gitrepo.git(target, "rev-parse", "--show-toplevel", check=False).stdout.strip() != str(
        target.resolve()
    ):
        gitrepo.git(target, "init", "--quiet", "--initial-branch=main")
    paths = [*written, "ledger", "STATUS.md"]
    gitrepo.commit(target, paths, f"ante init: {len(logins)} members")
    return target, kept


def run(opts: Options, ctx: Context) -> int:
    target = opts.dir
    if opts.members is not None:
        logins = list(opts.members)
    else:
        me = current_user(target, ctx.environ)
        logins = [me] if me else []
    repo, kept = create(target, logins, ctx)
    for rel in kept:
        ctx.warn(f"kept the existing {rel} (compare with `ante upgrade --check`)")
    who = ", ".join(logins) if logins else "nobody yet: add yourself to ledger/members.yaml"
    ctx.say(f"team repository ready in {repo} (members: {who}; 2 chips each by default)")
    ctx.say("next: push it to GitHub, then see the README's 'Adopting ante' steps")
    return 0
