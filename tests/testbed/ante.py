"""The one way tests run ante: in-process (fast, streams captured) or as a real process."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ante import cli

NOW = "2026-11-18T09:00:00Z"  # a Wednesday, the day of the handoff and the tax


def stamp(when: datetime | str) -> str:
    """ANTE_NOW's form of an instant."""
    if isinstance(when, str):
        return when
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Result:
    code: int
    out: str
    err: str


def command(
    args: Sequence[str],
    *,
    repo: Path | None = None,
    env: dict[str, str] | None = None,
    now: datetime | str | None = None,
) -> tuple[list[str], dict[str, str]]:
    """ante's arguments and environment: `env` replaces os.environ entirely (default: only
    ANTE_NOW=NOW); `repo` adds --repo, `now` sets ANTE_NOW."""
    full = ["--repo", str(repo), *args] if repo is not None else list(args)
    environ = dict(env) if env is not None else {"ANTE_NOW": NOW}
    if now is not None:
        environ["ANTE_NOW"] = stamp(now)
    return full, environ


def run_ante(
    args: Sequence[str],
    *,
    repo: Path | None = None,
    env: dict[str, str] | None = None,
    now: datetime | str | None = None,
    process: bool = False,
    check: bool = False,
) -> Result:
    """Run ante and wait; `process` runs `python -m ante` instead of calling it in-process,
    `check` fails the test unless it exits 0."""
    full, environ = command(args, repo=repo, env=env, now=now)
    if process:
        proc = start_ante(full, env=environ)
        out, err = proc.communicate(timeout=120)
        result = Result(proc.returncode, out, err)
    else:
        result = _in_process(full, environ)
    if check:
        assert result.code == 0, result.err + result.out
    return result


def start_ante(
    args: Sequence[str],
    *,
    repo: Path | None = None,
    env: dict[str, str] | None = None,
    now: datetime | str | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[str]:
    """ante as a real process, not waited for (for concurrent writers)."""
    full, environ = command(args, repo=repo, env=env, now=now)
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.Popen(
        [sys.executable, "-m", "ante", *full],
        cwd=cwd,
        env=base | environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _in_process(args: list[str], environ: dict[str, str]) -> Result:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        try:
            code = cli.main(args, environ=environ)
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    finally:
        sys.stdout, sys.stderr = old
    return Result(code, out.getvalue(), err.getvalue())
