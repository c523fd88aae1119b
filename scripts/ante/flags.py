"""The options several commands share, declared once, and how a command's options reach it.

Each command module declares its arguments in `add_parser` and turns the parsed arguments into
one frozen `Options` value at the edge (`Options.parse`); `runs` binds the two, so `run` and
everything below it see plain values, never an argparse Namespace.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar

from ante.errors import UsageError

if TYPE_CHECKING:
    from ante.context import Context

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Arguments: TypeAlias = argparse._ActionsContainer  # a parser, or a group of its arguments
Options = TypeVar("Options")

PUSH_HELP = "commit and push (retrying on conflicts)"
DRY_RUN_HELP = "say what would change; change nothing (wins over --push)"


@dataclass(frozen=True)
class Bound(Generic[Options]):
    """A command's entry: the parsed arguments become its options, then it runs."""

    parse: Callable[[argparse.Namespace], Options]
    run: Callable[[Options, Context], int]

    def __call__(self, args: argparse.Namespace, ctx: Context) -> int:
        return self.run(self.parse(args), ctx)


def runs(
    parser: argparse.ArgumentParser,
    parse: Callable[[argparse.Namespace], Options],
    run: Callable[[Options, Context], int],
) -> None:
    """What `cli` calls for this command: `run(parse(args), ctx)`."""
    parser.set_defaults(run=Bound(parse, run))


def push(parser: Arguments, help: str = PUSH_HELP) -> None:
    parser.add_argument("--push", action="store_true", help=help)


def dry_run(parser: Arguments, help: str = DRY_RUN_HELP) -> None:
    parser.add_argument("--dry-run", action="store_true", help=help)


def output_format(parser: Arguments, *extra: str) -> None:
    """`--format text|json` (and any `extra` formats, e.g. csv)."""
    parser.add_argument("--format", choices=("text", *extra, "json"), default="text")


def period(parser: Arguments, start: str, end: str = "today") -> None:
    """`--from DAY --to DAY` (into `start` and `end`; read them with `day`)."""
    parser.add_argument("--from", dest="start", help=f"first day, YYYY-MM-DD (default: {start})")
    parser.add_argument("--to", dest="end", help=f"last day, YYYY-MM-DD (default: {end})")


def day(text: str | None, flag: str) -> date | None:
    """A `--from`/`--to` value: None when not given; a clear error when not a date."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag}: not a date (YYYY-MM-DD): {text!r}") from None


def event(parser: Arguments, help: str, *, required: bool = False) -> None:
    """`--event FILE`: an event payload (JSON), as GitHub Actions hands it to a step."""
    parser.add_argument("--event", required=required, help=help)


@dataclass(frozen=True)
class PushOptions:
    """The options of a command whose only choice is `--push`."""

    push: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> PushOptions:
        return cls(push=bool(args.push))


@dataclass(frozen=True)
class EventOptions:
    """The options of a command that applies one event file: `--event FILE [--push]`."""

    event: Path
    push: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> EventOptions:
        return cls(event=Path(args.event), push=args.push)
