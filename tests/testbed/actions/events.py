"""Payloads the runner raises itself: pushes seen on the git remote, cron ticks, dispatches.

Push payloads start from GitHub's own example (`payloads.push_event`) and carry the real commits
and changed paths; every one is validated against the `x-webhooks` schema.
"""

from __future__ import annotations

import subprocess
from typing import Any

from testbed import payloads

from .remote import Push, Remotes

ZERO = "0" * 40


def push_payload(remotes: Remotes, push: Push, pusher: str, *, bot: bool) -> dict[str, Any]:
    bare = remotes.path(push.repo)
    added: list[str] = []
    modified: list[str] = []
    removed: list[str] = []
    if push.after != ZERO:
        if push.before == ZERO:
            added = remotes.files(push.repo, push.after, ".")
        else:
            status = _git(bare, "diff", "--name-status", "--no-renames", push.before, push.after)
            for line in status.splitlines():
                kind, path = line.split("\t", 1)
                {"A": added, "D": removed}.get(kind, modified).append(path)
    payload = payloads.push_event(
        repo=push.repo,
        ref=push.ref,
        sender=pusher,
        added=added,
        modified=modified,
        removed=removed,
        message=_git(bare, "log", "-1", "--format=%s", push.after).strip()
        if push.after != ZERO
        else "",
    )
    commit = payload["head_commit"]
    commit.update(id=push.after, url=f"https://github.com/{push.repo}/commit/{push.after}")
    payload.update(
        before=push.before,
        after=push.after,
        created=push.before == ZERO,
        deleted=push.after == ZERO,
        compare=f"https://github.com/{push.repo}/compare/{push.before[:12]}...{push.after[:12]}",
    )
    if payload["deleted"]:
        payload.update(commits=[], head_commit=None)
    if bot:
        payload["sender"] = payloads.user(pusher, payload["sender"], type="Bot")
    return payloads.validated("push", payload)


def changed_paths(payload: dict[str, Any]) -> list[str]:
    files: list[str] = []
    for commit in payload.get("commits") or []:
        files += commit.get("added", []) + commit.get("modified", []) + commit.get("removed", [])
    return sorted(set(files))


def _git(bare: Any, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(bare), *args], capture_output=True, text=True, check=True
    ).stdout
