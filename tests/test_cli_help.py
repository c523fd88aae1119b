"""`ante --help` lists every command without importing any command module."""

from __future__ import annotations

import argparse
import subprocess
import sys

from ante import cli


def _summaries(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {action.dest: action.help for action in sub._choices_actions}


def test_the_help_list_matches_each_command_s_own_help() -> None:
    assert _summaries(cli.build_parser(full=True)) == cli.COMMANDS, (
        "a command's add_parser help and cli.COMMANDS differ: keep them the same words"
    )


def test_help_imports_no_command_and_nothing_heavy() -> None:
    probe = (
        "import sys, contextlib, io\n"
        "from ante import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: cli.main(['--help'])\n"
        "    except SystemExit: pass\n"
        "heavy = ('ante.commands.', 'ante.context', 'pydantic', 'yaml', 'jinja2', 'github')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]", loaded
