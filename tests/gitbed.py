"""Real git for tests: a bare "origin" and clones of it in a temp dir, plus ante runners."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ante import cli

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-18T09:00:00Z"  # a Wednesday, the day of the handoff and the tax


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return proc.stdout


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_ante(args: Sequence[str], *, env: dict[str, str] | None = None) -> Result:
    """ante in-process, with its streams captured; env replaces os.environ entirely."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        try:
            code = cli.main(list(args), environ=dict(env or {"ANTE_NOW": NOW}))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    finally:
        sys.stdout, sys.stderr = old
    return Result(code, out.getvalue(), err.getvalue())


def run_ante_process(
    args: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """ante as a real subprocess (for concurrency tests and exit-code checks)."""
    full_env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    full_env.update(env or {"ANTE_NOW": NOW})
    return subprocess.Popen(  # type: ignore[return-value]
        [sys.executable, "-m", "ante", *args],
        cwd=cwd,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@dataclass
class TeamRemote:
    """A team repo pushed to a bare origin; `clone()` gives independent working copies."""

    origin: Path
    workdir: Path
    tmp: Path

    def clone(self, name: str) -> Path:
        target = self.tmp / name
        subprocess.run(["git", "clone", "--quiet", str(self.origin), str(target)], check=True)
        git(target, "config", "user.name", "tester")
        git(target, "config", "user.email", "tester@example.com")
        return target

    def head(self) -> str:
        return git(self.origin, "rev-parse", "main").strip()

    def show(self, path: str, ref: str = "main") -> str:
        return git(self.origin, "show", f"{ref}:{path}")


def make_team(tmp: Path, members: Sequence[str] = ("alice", "bob", "carol")) -> TeamRemote:
    """`ante init` a team repo, push it to a new bare origin, return both."""
    workdir = tmp / "team"
    result = run_ante(["init", str(workdir), "--members", ",".join(members)])
    assert result.code == 0, result.err
    origin = tmp / "origin.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(origin)], check=True)
    git(workdir, "remote", "add", "origin", str(origin))
    git(workdir, "push", "--quiet", "-u", "origin", "main")
    git(workdir, "config", "user.name", "tester")
    git(workdir, "config", "user.email", "tester@example.com")
    return TeamRemote(origin, workdir, tmp)
