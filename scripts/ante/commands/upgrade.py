"""`ante upgrade [--check]`: migrate the data and ante's own files to this release.

Prints the diff. `--check` changes nothing and exits 1 when anything would change: the check on
a release-bump pull request, which fails until the migration is committed to it.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from ante import __version__, flags
from ante.context import Context
from ante.services import upgrade


@dataclass(frozen=True)
class Options:
    check: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        return cls(check=bool(args.check))


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("upgrade", help="migrate data and ante's own files to this release")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if out of date")
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    changes = upgrade.plan(ctx.repo, ctx.environ)
    if not changes:
        ctx.say(f"up to date with ante {__version__}: nothing to change")
        return 0
    ctx.say(upgrade.diff(changes).rstrip("\n"))
    if opts.check:
        message = (
            f"{len(changes)} file(s) differ from what ante {__version__} writes. Run "
            f"`ante upgrade` (e.g. `uvx --from ante-overhead=={__version__} ante upgrade`) on "
            "this branch, review the diff and commit it."
        )
        ctx.warn(message)
        if ctx.in_actions:
            ctx.say(f"::error::{message}")
        ctx.summary(f"### ante upgrade needed\n\n{message}")
        return 1
    upgrade.apply(ctx.repo, changes)
    ctx.say(
        f"upgraded to ante {__version__}: {len(changes)} file(s) changed; "
        "review with `git diff` and commit"
    )
    return 0
