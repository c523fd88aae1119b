"""Real git for tests: a bare "origin" and clones of it in a temp dir."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .ante import run_ante
from .fakegithub import remote


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return proc.stdout


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

    def pushes(self) -> list[remote.Push]:
        """Every ref update offered to origin, with who pushed (see fakegithub.remote)."""
        return remote.pushes(self.origin)

    def show(self, path: str, ref: str = "main") -> str:
        return git(self.origin, "show", f"{ref}:{path}")


def make_team(tmp: Path, members: Sequence[str] = ("alice", "bob", "carol")) -> TeamRemote:
    """`ante init` a team repo, push it to a new bare origin, return both."""
    workdir = tmp / "team"
    result = run_ante(["init", str(workdir), "--members", ",".join(members)])
    assert result.code == 0, result.err
    origin = tmp / "origin.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(origin)], check=True)
    remote.install(origin)  # GitHub's side: who pushed what, and protection when asked
    git(workdir, "remote", "add", "origin", str(origin))
    git(workdir, "push", "--quiet", "-u", "origin", "main")
    git(workdir, "config", "user.name", "tester")
    git(workdir, "config", "user.email", "tester@example.com")
    return TeamRemote(origin, workdir, tmp)
