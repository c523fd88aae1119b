"""Builders for intake and triage tests: recorded throughput, events from the fake, runs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ante.core.backlog import WeekMetrics
from ante.files import backlog

from . import payloads
from .ante import Result, run_ante
from .awardkit import write_event
from .fakegithub import FakeGitHub
from .fakegithub.webhooks import issues_payload

TAG = "<!-- ante:issue -->"


def record_closes(repo: Path, *closed: int) -> None:
    """Backlog metrics whose weeks closed `closed` overhead issues each (the latest last)."""
    rows = [
        WeekMetrics(f"2026-W{46 - len(closed) + n:02d}", 20, 3, c) for n, c in enumerate(closed)
    ]
    backlog.write(repo, rows)


def event(
    fake: FakeGitHub,
    tmp: Path,
    number: int,
    action: str,
    *,
    sender: str = "octocat",
    label: str | None = None,
) -> Path:
    """The `issues` payload GitHub would send now for o/r#number, as the fake holds it."""
    issue = fake.issue("o/r", number)
    payload = issues_payload("o/r", issue, action, sender, label, fake.now)
    payload = payloads.validated(f"issues-{action}", payload)
    return write_event(tmp, payload, name=f"{number}-{action}-{len(fake.calls)}.json")


def ante(repo: Path, env: dict[str, str], now: datetime, *args: str) -> Result:
    return run_ante(args, repo=repo, env=env, now=now, check=True)


def ante_comments(fake: FakeGitHub, number: int) -> list[str]:
    return [c.body for c in fake.comments("o/r", number) if c.body.startswith(TAG)]


def writes(fake: FakeGitHub) -> int:
    return len(fake.calls) - fake.count("GET")
