"""Builders for intake and triage tests: recorded throughput, events from the fake, runs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ante.core.backlog import WeekMetrics
from ante.files import backlog

from . import payloads
from .ante import Result, run_ante, stamp
from .awardkit import write_event
from .fakegithub import FakeGitHub

TAG = "<!-- ante:issue -->"


def record_closes(repo: Path, *closed: int) -> None:
    """Backlog metrics whose weeks closed `closed` overhead issues each (the latest last)."""
    rows = [
        WeekMetrics(f"2026-W{46 - len(closed) + n:02d}", 20, 3, c) for n, c in enumerate(closed)
    ]
    backlog.write(repo, rows)


def event(fake: FakeGitHub, tmp: Path, number: int, action: str, **extra: object) -> Path:
    """The `issues` payload GitHub would send now for o/r#number, as the fake holds it."""
    issue = fake.issue("o/r", number)
    payload = payloads.issues_event(
        action,
        number=number,
        title=issue.title,
        labels=issue.labels,
        assignees=issue.assignees,
        state_reason=issue.state_reason if issue.state == "closed" else None,
        closed_at=stamp(issue.closed_at or fake.now),
        **extra,  # type: ignore[arg-type]
    )
    payload["issue"].update(
        created_at=stamp(issue.created_at),
        updated_at=stamp(issue.updated_at),
        comments=len(issue.comments),
    )
    payload = payloads.validated(f"issues-{action}", payload)
    return write_event(tmp, payload, name=f"{number}-{action}-{len(fake.calls)}.json")


def ante(repo: Path, env: dict[str, str], now: datetime, *args: str) -> Result:
    return run_ante(args, repo=repo, env=env, now=now, check=True)


def ante_comments(fake: FakeGitHub, number: int) -> list[str]:
    return [c.body for c in fake.comments("o/r", number) if c.body.startswith(TAG)]


def writes(fake: FakeGitHub) -> int:
    return len(fake.calls) - fake.count("GET")
