"""A change to the ledger proposed as a pull request, never pushed to main: the weekly tax and
chip adjustments go this way, so a person reviews them before they count.

The branch is written without touching the working tree (a temporary index on top of the
checked-out commit), pushed with --force (the proposal is ante's own branch, rebuilt from main
each time), and the pull request is opened once and updated on re-runs.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ante.context import Context
from ante.errors import AnteError
from ante.files import gitrepo
from ante.github.types import GitHubError, Pull

if TYPE_CHECKING:  # PyGithub is imported only by the runs that talk to GitHub
    from ante.github.adapter import GitHubAdapter


@dataclass(frozen=True)
class Proposal:
    branch: str
    files: dict[str, str]  # path in the repository -> its whole new text
    message: str  # the commit's
    title: str
    body: str
    labels: Sequence[str] = ()
    reviewers: Sequence[str] = ()
    summary: str = ""  # for the job summary, above the pull request's link
    name: str = ""  # how the output names it, e.g. the tax's week


def push_branch(repo: Path, base: str, files: dict[str, str], branch: str, message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(tmp) / "index"))
        env.setdefault("GIT_AUTHOR_NAME", gitrepo.BOT_NAME)
        env.setdefault("GIT_AUTHOR_EMAIL", gitrepo.BOT_EMAIL)
        env.setdefault("GIT_COMMITTER_NAME", gitrepo.BOT_NAME)
        env.setdefault("GIT_COMMITTER_EMAIL", gitrepo.BOT_EMAIL)

        def git(*args: str, data: str | None = None) -> str:
            proc = subprocess.run(
                ["git", "-C", str(repo), *args],
                input=data,
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            if proc.returncode != 0:
                raise gitrepo.GitError(f"git {args[0]} failed: {proc.stderr.strip()}")
            return proc.stdout.strip()

        git("read-tree", base)
        for rel, text in files.items():
            blob = git("hash-object", "-w", "--stdin", data=text)
            git("update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}")
        tree = git("write-tree")
        commit = git("commit-tree", tree, "-p", base, "-m", message)
        git("push", "--quiet", "--force", "origin", f"{commit}:refs/heads/{branch}")


def propose(
    ctx: Context, github: GitHubAdapter, repo: str, proposal: Proposal, known: Sequence[Pull]
) -> Pull:
    """Push the branch and open its pull request, or update the one already open."""
    base = gitrepo.git(ctx.repo, "rev-parse", "HEAD").stdout.strip()
    push_branch(ctx.repo, base, proposal.files, proposal.branch, proposal.message)
    existing = next((p for p in known if p.state == "open"), None)
    if existing is not None:
        pull = github.edit_pull(repo, existing.number, title=proposal.title, body=proposal.body)
        ctx.say(f"{proposal.name or proposal.branch}: updated {pull.url}")
        return pull
    try:
        pull = github.create_pull(
            repo,
            title=proposal.title,
            head=proposal.branch,
            base=gitrepo.branch(ctx.repo),
            body=proposal.body,
        )
    except AnteError as error:
        if not isinstance(error, GitHubError) or error.status != 403:
            raise
        raise AnteError(
            f"{error}\nAllow it: Settings → Actions → General → Workflow permissions → "
            '"Allow GitHub Actions to create and approve pull requests".'
        ) from error
    if proposal.labels:
        github.add_labels(repo, pull.number, list(proposal.labels))
    if proposal.reviewers:
        github.request_reviewers(repo, pull.number, list(proposal.reviewers))
    ctx.say(f"{proposal.name or proposal.branch}: opened {pull.url}")
    summary = f"{proposal.summary}\n\n" if proposal.summary else ""
    ctx.summary(f"### {proposal.title}\n\n{summary}{pull.url}")
    return pull
