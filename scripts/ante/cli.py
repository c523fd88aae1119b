"""`ante`: the command line. Parses, builds the context, runs one command, maps errors to exits."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ante import __version__
from ante.errors import AnteError, DataError, UsageError

# One module per command under ante.commands: add_parser(sub) declares its arguments and binds
# them (flags.runs) to its Options and its run(options, ctx). Here, each command's one-line
# summary for `ante --help`, which lists them without importing any (the same words as its
# add_parser's help; a test keeps them equal).
COMMANDS: dict[str, str] = {
    "init": "make a team repository (new, empty or an existing clone)",
    "validate": "check every data file (path:line:col: message)",
    "balance": "chip balances (derived from the journal)",
    "history": "a member's chip statement with a running balance",
    "adjust": "propose a chip correction (a reviewed pull request)",
    "status": "render STATUS.md from templates/STATUS.md.j2",
    "refresh": "grant new members their chips and re-render STATUS.md",
    "demo": "offline demo: a sandbox team repo lives through a quarter",
    "award": "apply one `issues` event: award or revoke chips",
    "issue": "one issue event: page, sweep, award, acknowledge",
    "sync": "award chips for overhead issues whose events were missed",
    "rotation": "the on-call schedule; `rotation ics [NAME]` writes the calendar feed",
    "handoff": "the weekly on-call handoff (records, calendar, issue)",
    "shifts": "served on-call shifts per person and the amount owed",
    "emergency": "page the on-call for a product-emergency issue event",
    "escalate": "escalate emergency pages nobody acknowledged",
    "remind": "shift reminders: the day before, and at handoff",
    "followup": "post-mortem actions: open, link, chase, tick off",
    "tax": "the weekly chip tax (a pull request the team reviews)",
    "simulate": "compare tax policies over a simulated team",
    "intake": "acknowledge overhead issues with an expected pickup window",
    "triage": "sweep stale overhead issues: ask, then close as not planned",
    "upgrade": "migrate data and ante's own files to this release",
}
# Commands that run on data in an older format (or on none): the rest refuse it (files/formats).
ANY_FORMAT = frozenset({"init", "upgrade", "demo"})


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"ante: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser(only: str | None = None, *, full: bool = False) -> argparse.ArgumentParser:
    """The parser; with `only`, just that command's (its module alone is imported: faster).

    Without `only`, the commands are listed from COMMANDS without importing their modules
    (`ante --help`, a usage error); `full` imports every command's own parser.
    """
    light = only is None and not full
    width = max(map(len, COMMANDS)) + 2
    listing = "".join(f"  {name:<{width}}{summary}\n" for name, summary in COMMANDS.items())
    parser = _Parser(
        prog="ante",
        description="Run the team's Overhead chip economy and on-call rotations from this repo.",
        epilog=f"commands:\n{listing}\n`ante COMMAND --help` for one command's options."
        if light
        else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ante {__version__}")
    parser.add_argument("--repo", default=".", help="the team repository (default: .)")
    parser.add_argument("--now", help="pin the clock (ISO-8601); also ANTE_NOW")
    if light:  # the list alone: no command module, no subparser is built
        parser.add_argument("command", metavar="COMMAND", choices=list(COMMANDS))
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in (only,) if only else COMMANDS:
        importlib.import_module(f"ante.commands.{name}").add_parser(sub)
    return parser


def requested(argv: Sequence[str]) -> str | None:
    """The command named on the command line, if it is one of ours (else: build them all)."""
    words = iter(argv)
    for word in words:
        if word in ("--repo", "--now"):
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
        elif word in ("-h", "--help", "--version"):
            return None
    return None


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    env = dict(os.environ if environ is None else environ)
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(requested(words)).parse_args(words)
    from ante import clock
    from ante.context import Context

    try:
        ctx = Context(repo=Path(args.repo), now=clock.now(args.now, env), environ=env)
        if args.command not in ANY_FORMAT:
            _require_current_format(ctx.repo)
        return int(args.run(args, ctx))
    except UsageError as exc:
        print(f"ante: error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        report = Context(repo=Path(args.repo), now=clock.now(None, {}), environ=env)
        for problem in exc.problems:
            print(problem, file=sys.stderr)
            report.annotate(problem)
        report.summary("### ante: invalid data\n\n" + "\n".join(f"- `{p}`" for p in exc.problems))
        return 1
    except AnteError as exc:
        print(f"ante: {exc}", file=sys.stderr)
        if env.get("GITHUB_ACTIONS") == "true":
            print(f"::error::{exc}", file=sys.stdout)
        return 1
    except KeyboardInterrupt:
        return 130
    except (Exception, RecursionError, MemoryError) as exc:  # the last net: never a traceback
        if env.get("ANTE_DEBUG"):
            raise
        print(f"ante: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("ante: nothing was written; please report this with the command", file=sys.stderr)
        return 1


def _require_current_format(repo: Path) -> None:
    from ante.files import formats

    if formats.is_team_repo(repo):
        formats.require_current(repo)


def program() -> NoReturn:
    """The `ante` program (its console script, `python -m ante`): `main` in a whole process.

    CPython's cyclic garbage collector runs every 100,000 new container objects instead of
    every 700. Starting up makes ~60,000 (the libraries' modules, classes and functions) and
    almost no reference cycles, which the collector would walk again and again: about a sixth
    of `ante award`'s CPU to its first request. A long run still collects its cycles
    (`validate --full` over ten years at 500 members leaves under a thousand). At exit, the
    run's objects are frozen out of the last collection, which would walk them all once more
    to free memory the operating system takes back anyway: atexit handlers still run and the
    standard streams are still flushed (ante closes every file it writes before it returns).
    `main` called in a longer-lived process (the tests) leaves the collector alone.
    """
    gc.set_threshold(100_000, 10, 10)
    code = main()
    gc.freeze()
    raise SystemExit(code)


if __name__ == "__main__":
    program()
