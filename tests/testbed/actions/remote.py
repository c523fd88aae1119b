"""The git side of the fake GitHub: one bare repository per GitHub repository.

Pushes are authenticated the way `actions/checkout` leaves a clone: with `persist-credentials`
the token travels with every push (here: in the clone's `remote.origin.receivepack`, which sets
TESTBED_TOKEN for the receiving side); without it a push has no credentials and is refused. The
`pre-receive` hook refuses what GitHub refuses (no credentials, a token that cannot see the
repository, a token without `contents: write`); `post-receive` logs every accepted push with the
token that made it, so the runner can raise the `push` event (or not: GITHUB_TOKEN's pushes start
no workflow runs), and can kill the job that pushed right after the push landed (a runner lost
mid-push). Branch protection and rulesets are the fake GitHub's (`testbed.fakegithub.remote`),
run by the pre-receive hook with the token's identity as the pusher.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from testbed.fakegithub import Token
from testbed.fakegithub import remote as fakeremote

HOOK = r'''#!{python} -S
"""{name} hook of the test bed's git remote (see tests/testbed/actions/remote.py)."""
import json, os, signal, sys
from pathlib import Path

ROOT = Path({root!r})
REPO = {repo!r}
token_value = os.environ.get("TESTBED_TOKEN", "")
updates = [line.split() for line in sys.stdin.read().splitlines() if line.strip()]
if {name!r} == "pre-receive":
    tokens = json.loads((ROOT / "tokens.json").read_text())
    token = tokens.get(token_value)
    if not token_value:
        print("fatal: could not read Username for 'https://github.com': No such device or address")
        sys.exit(1)
    if token is None or REPO.lower() not in [r.lower() for r in token["repositories"]]:
        print("Repository not found.")
        sys.exit(1)
    if token["permissions"].get("contents") != "write":
        print(f"Permission to {{REPO}}.git denied to {{token['identity']}}.")
        sys.exit(1)
    for _old, _new, ref in updates:
        if ref.startswith("refs/pull/"):
            print(f"! [remote rejected] {{ref}} (deny updating a hidden ref)")
            sys.exit(1)
    # branch protection and rulesets: the fake GitHub's own rules, with the token's identity
    import subprocess
    rules = subprocess.run(
        [str(Path.cwd() / "hooks" / "github-rules")],
        input="".join(" ".join(u) + "\n" for u in updates),
        env=dict(os.environ, FAKEGITHUB_PUSHER=token["identity"]),
        text=True,
        check=False,
    )
    sys.exit(rules.returncode)
record = {{"repo": REPO, "token": token_value, "job": os.environ.get("TESTBED_JOB"),
          "updates": updates}}
with open(ROOT / "pushes.jsonl", "a", encoding="utf-8") as log:
    log.write(json.dumps(record) + "\n")
kill = ROOT / "kill-after-push"
job = os.environ.get("TESTBED_JOB")
if job and kill.exists() and kill.read_text().strip() == job:
    kill.unlink()
    os.killpg(os.getpgrp(), signal.SIGKILL)
'''


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False, env=env
    )
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} in {repo}: {proc.stderr.strip()}")
    return proc.stdout


@dataclass(frozen=True)
class Push:
    repo: str
    token: str
    job: str | None
    before: str
    after: str
    ref: str


MERGE_IDENTITY = "web-flow"  # who pushes a merge made with the merge button


class Remotes:
    """Bare repositories under `root`, named like their GitHub repositories."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._log = root / "pushes.jsonl"
        self._read = 0

    def path(self, full_name: str) -> Path:
        return self.root / f"{full_name.lower()}.git"

    def create(self, full_name: str, source: Path | None = None) -> Path:
        """A new bare repository, with `source`'s branches pushed into it when given."""
        bare = self.path(full_name)
        bare.parent.mkdir(parents=True, exist_ok=True)
        git(self.root, "init", "--quiet", "--bare", "-b", "main", str(bare))
        if source is not None:
            git(source, "push", "--quiet", str(bare), "--all")
        fakeremote.install(bare)  # GitHub's rules (protection, rulesets), run by our pre-receive
        (bare / "hooks" / "pre-receive").rename(bare / "hooks" / "github-rules")
        for name in ("pre-receive", "post-receive"):
            hook = bare / "hooks" / name
            hook.write_text(
                HOOK.format(python=sys.executable, name=name, root=str(self.root), repo=full_name)
            )
            hook.chmod(0o755)
        return bare

    def protect(self, full_name: str, *, rule: str = "ruleset", bypass: Iterable[str] = ()) -> None:
        """Protect `main` as GitHub does (`rule`: "branch" for GH006, "ruleset" for GH013); the
        identities in `bypass` (e.g. the App, "ante-app[bot]") may still push."""
        # A pull request merged on GitHub satisfies the rule: its merge commit is pushed by
        # GitHub's own identity (web-flow), which the test bed's merges use.
        allowed = [*bypass, MERGE_IDENTITY]
        fakeremote.protect(self.path(full_name), rule=rule, bypass=allowed, repo=full_name)

    def head(self, full_name: str, ref: str = "refs/heads/main") -> str | None:
        proc = subprocess.run(
            ["git", "-C", str(self.path(full_name)), "rev-parse", "--verify", "--quiet", ref],
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.stdout.strip() or None

    def show(self, full_name: str, path: str, ref: str = "main") -> str | None:
        proc = subprocess.run(
            ["git", "-C", str(self.path(full_name)), "show", f"{ref}:{path}"],
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.stdout if proc.returncode == 0 else None

    def files(self, full_name: str, ref: str, folder: str) -> list[str]:
        out = git(self.path(full_name), "ls-tree", "-r", "--name-only", ref, "--", folder)
        return out.split()

    def changed(self, full_name: str, before: str, after: str) -> list[str]:
        """The paths a push or a pull request changed."""
        if set(before) == {"0"}:
            return git(self.path(full_name), "ls-tree", "-r", "--name-only", after).split()
        out = git(self.path(full_name), "diff", "--name-only", f"{before}...{after}")
        return out.split()

    def credential(self, token: Token) -> str:
        """What a clone's `remote.origin.receivepack` holds to push with `token`."""
        return f"TESTBED_TOKEN={shlex.quote(token.value)} git-receive-pack"

    def pushes(self) -> list[Push]:
        """The pushes accepted since the last call."""
        if not self._log.exists():
            return []
        with self._log.open("rb") as log:  # from where the last call stopped: flat in age
            log.seek(self._read)
            fresh = log.read()
        complete = fresh[: fresh.rfind(b"\n") + 1]  # a hook may be writing the last line
        self._read += len(complete)
        out = []
        for line in complete.decode("utf-8").splitlines():
            record = json.loads(line)
            for before, after, ref in record["updates"]:
                out.append(Push(record["repo"], record["token"], record["job"], before, after, ref))
        return out

    def kill_after_push(self, job: str) -> None:
        """The next push by `job` lands, then its runner dies (the whole step's process group)."""
        (self.root / "kill-after-push").write_text(job)
