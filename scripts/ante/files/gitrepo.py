"""Git, as the ledger's transport: read committed files, commit, and push safely.

A ledger write is `apply` (idempotent: it looks at the files and adds only what is missing),
then one commit, then a push. When another writer got there first the push is rejected; we
fetch, reset to the remote, apply again and retry with jittered backoff, a bounded number of
times, then fail loudly. Because `apply` is idempotent, nothing is lost and nothing doubles.
"""

from __future__ import annotations

import random
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ante.errors import AnteError

BOT_NAME = "ante"
BOT_EMAIL = "ante@users.noreply.github.com"


class GitError(AnteError):
    pass


class ProtectedBranchError(GitError):
    """GitHub refused the push by a branch protection rule or a ruleset: retrying cannot help."""


# What GitHub's git server says when a rule refuses a push (docs: "About protected branches",
# "About rulesets"); both come on the first attempt and every later one.
PROTECTION_CODES = {
    "GH006": "a branch protection rule",
    "GH013": "a ruleset",
}


def refused_by_rule(stderr: str) -> str | None:
    """`GH006`/`GH013` when a protection rule refused the push, else None."""
    return next((code for code in PROTECTION_CODES if f"{code}:" in stderr), None)


def protection_advice(code: str, target: str, stderr: str) -> str:
    rule = PROTECTION_CODES[code]
    said = next((line.strip() for line in stderr.splitlines() if code in line), code)
    return (
        f"{target} is protected by {rule} and refused ante's push ({said}). Retrying cannot "
        "help. Either add ante's GitHub App to the bypass list (Settings → Rules → Rulesets → "
        f"the rule covering {target} → Bypass list → Add bypass → Apps → your ante App, "
        "'Always allow'), and give the workflows the App's token (variable ANTE_APP_CLIENT_ID, "
        "secret ANTE_APP_PRIVATE_KEY; README: Running on GitHub); or, for a classic branch "
        "protection rule, move it to a ruleset with that bypass. Nothing was lost: the event "
        "can be re-run once the rule allows ante."
    )


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    if check and proc.returncode != 0:
        raise GitError(f"git {' '.join(args)} failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc


def is_repo(repo: Path) -> bool:
    return git(repo, "rev-parse", "--git-dir", check=False).returncode == 0


def has_commits(repo: Path, ref: str = "HEAD") -> bool:
    return git(repo, "rev-parse", "--verify", "--quiet", ref, check=False).returncode == 0


def show(repo: Path, ref: str, path: str) -> str | None:
    """The text of `path` at `ref`, or None where it did not exist."""
    proc = git(repo, "show", f"{ref}:{path}", check=False)
    return proc.stdout if proc.returncode == 0 else None


def list_files(repo: Path, ref: str, folder: str) -> list[str]:
    proc = git(repo, "ls-tree", "-r", "--name-only", ref, "--", folder, check=False)
    return proc.stdout.split() if proc.returncode == 0 else []


def changed_since(repo: Path, ref: str, folder: str) -> list[str]:
    """Files under `folder` committed at `ref` that the working tree has changed or deleted.

    One `git diff` (which compares by blob, not by reading every file in Python): what did
    not change since `ref` needs no further look, however many years of files there are.
    """
    proc = git(
        repo,
        "diff",
        "--name-only",
        "--no-renames",
        "--diff-filter=MDT",
        ref,
        "--",
        folder,
        check=False,
    )
    return proc.stdout.split() if proc.returncode == 0 else list_files(repo, ref, folder)


def branch(repo: Path) -> str:
    return git(repo, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()


def commit(repo: Path, paths: Sequence[str], message: str) -> bool:
    """Commit `paths` if they changed; False when there was nothing to commit."""
    git(repo, "add", "-A", "--", *paths)
    if git(repo, "diff", "--cached", "--quiet", check=False).returncode == 0:
        return False
    git(
        repo,
        "-c",
        f"user.name={_identity(repo, 'user.name', BOT_NAME)}",
        "-c",
        f"user.email={_identity(repo, 'user.email', BOT_EMAIL)}",
        "commit",
        "--quiet",
        "-m",
        message,
    )
    return True


def _identity(repo: Path, key: str, default: str) -> str:
    value = git(repo, "config", "--get", key, check=False).stdout.strip()
    return value or default


@dataclass(frozen=True)
class Published:
    changed: bool
    attempts: int
    message: str | None
    earlier: tuple[str, ...] = ()  # local commits from earlier runs, pushed first

    def report(self, nothing: str = "nothing changed") -> str:
        """What this write did, in one line, for the command's output."""
        said = []
        if self.earlier:
            said.append(
                f"pushed {len(self.earlier)} earlier local commit(s): " + "; ".join(self.earlier)
            )
        if self.message:
            said.append(self.message.splitlines()[0])
        return "\n".join(said) or nothing


def ahead(repo: Path, remote: str, target: str) -> list[str]:
    """Subjects of the local commits not on `remote/target` (as last fetched), oldest first."""
    proc = git(repo, "log", "--reverse", "--format=%s", f"{remote}/{target}..HEAD", check=False)
    if proc.returncode != 0:  # no such remote branch yet (or no commit): nothing to deliver
        return []
    return [line for line in proc.stdout.splitlines() if line.strip()]


def _deliver(
    repo: Path,
    remote: str,
    target: str,
    attempts: int,
    pause: Callable[[int], None],
) -> tuple[str, ...]:
    """Push the commits an earlier local run left behind (rebased onto the remote if it moved)."""
    pending = ahead(repo, remote, target)
    if not pending:
        return ()
    for attempt in range(1, attempts + 1):
        pushed = git(repo, "push", "--quiet", remote, f"HEAD:{target}", check=False)
        if pushed.returncode == 0:
            return tuple(pending)
        code = refused_by_rule(pushed.stderr)
        if code is not None:
            raise ProtectedBranchError(protection_advice(code, f"{remote}/{target}", pushed.stderr))
        if attempt == attempts:
            break
        pause(attempt)
        git(repo, "fetch", "--quiet", remote, target)
        rebased = git(
            repo,
            "-c",
            f"user.name={_identity(repo, 'user.name', BOT_NAME)}",
            "-c",
            f"user.email={_identity(repo, 'user.email', BOT_EMAIL)}",
            "rebase",
            "--quiet",
            "--autostash",
            f"{remote}/{target}",
            check=False,
        )
        if rebased.returncode != 0:
            git(repo, "rebase", "--abort", check=False)
            raise GitError(
                f"{len(pending)} local commit(s) ({'; '.join(pending)}) conflict with "
                f"{remote}/{target}: nothing was pushed and nothing is lost. Run "
                "`git pull --rebase`, resolve, then run the command again."
            )
    raise GitError(f"could not push the earlier local commits to {remote}/{target}")


def publish(
    repo: Path,
    apply: Callable[[], str | None],
    paths: Sequence[str],
    *,
    remote: str = "origin",
    attempts: int = 8,
    base_delay: float = 0.2,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> Published:
    """Push what earlier local runs committed, then apply, commit and push, re-applying on top
    of the remote after each rejected push.

    `apply` changes the working tree and returns the commit message, or None if there was
    nothing to do. Raises GitError after `attempts` rejected pushes.
    """
    rng = rng or random.Random()
    target = branch(repo)

    def pause(attempt: int) -> None:
        sleep(base_delay * (2 ** min(attempt - 1, 5)) * (0.5 + rng.random()))

    earlier = _deliver(repo, remote, target, attempts, pause)
    for attempt in range(1, attempts + 1):
        message = apply()
        if message is None or not commit(repo, paths, message):
            return Published(bool(earlier), attempt, None, earlier)
        pushed = git(repo, "push", "--quiet", remote, f"HEAD:{target}", check=False)
        if pushed.returncode == 0:
            return Published(True, attempt, message, earlier)
        code = refused_by_rule(pushed.stderr)
        if code is not None:
            raise ProtectedBranchError(protection_advice(code, f"{remote}/{target}", pushed.stderr))
        if attempt == attempts:
            break
        pause(attempt)
        git(repo, "fetch", "--quiet", remote, target)
        git(repo, "reset", "--quiet", "--hard", f"{remote}/{target}")
    raise GitError(
        f"could not push to {remote}/{target} after {attempts} attempts "
        "(other writers kept landing first); the event can be re-run safely"
    )


def save(
    repo: Path,
    apply: Callable[[], str | None],
    paths: Sequence[str],
    *,
    push: bool,
    **options: object,
) -> Published:
    """A writing command's one way to write: with `push`, `publish`; without, apply and commit
    locally (in a git checkout), so a later `--push` delivers exactly this run's commit."""
    if push:
        return publish(repo, apply, paths, **options)  # type: ignore[arg-type]
    message = apply()
    if message is not None and (repo / ".git").exists() and has_commits(repo):
        commit(repo, paths, message)
    return Published(message is not None, 1, message)


def origin_url(repo: Path) -> str | None:
    """The `origin` remote's URL, read from .git/config (no git process: status runs often)."""
    config = repo / ".git" / "config"
    if not config.is_file():
        if not (repo / ".git").exists():
            return None
        proc = git(repo, "remote", "get-url", "origin", check=False)
        return proc.stdout.strip() or None
    section = None
    for raw in config.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line
        elif section == '[remote "origin"]' and line.startswith("url"):
            return line.partition("=")[2].strip()
    return None


def github_slug(url: str) -> str | None:
    """owner/name from a GitHub remote URL (https or ssh), None for any other remote."""
    import re

    found = re.match(
        r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
        r"([\w.-]+/[\w.-]+?)(?:\.git)?/?$",
        url.strip(),
    )
    return found.group(1) if found else None
