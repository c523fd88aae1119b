"""`ante`: the command line. Parses, builds the context, runs one command, maps errors to exits."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, clock
from .context import Context
from .errors import AnteError, DataError, UsageError

# One module per command under ante.commands, each with add_parser(sub) and run(args, ctx).
COMMANDS = (
    "init",
    "validate",
    "balance",
    "status",
    "refresh",
    "demo",
    "award",
    "sync",
    "rotation",
    "handoff",
    "shifts",
    "emergency",
    "tax",
    "simulate",
    "intake",
    "triage",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"ante: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ante",
        description="Run the team's Overhead chip economy and on-call rotations from this repo.",
    )
    parser.add_argument("--version", action="version", version=f"ante {__version__}")
    parser.add_argument("--repo", default=".", help="the team repository (default: .)")
    parser.add_argument("--now", help="pin the clock (ISO-8601); also ANTE_NOW")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"ante.commands.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    env = dict(os.environ if environ is None else environ)
    args = build_parser().parse_args(argv)
    try:
        ctx = Context(repo=Path(args.repo), now=clock.now(args.now, env), environ=env)
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


if __name__ == "__main__":
    raise SystemExit(main())
