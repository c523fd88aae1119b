"""Builders for award tests: `issues` events from GitHub's examples, checked against its schema."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import payloads

CREATED = "2026-11-10T09:00:00Z"


def event_payload(
    action: str,
    *,
    number: int = 1,
    repo: str = "o/r",
    labels: Sequence[str] = ("overhead",),
    assignees: Sequence[str] = ("alice",),
    state_reason: str | None = None,
    updated_at: str = "2026-11-17T10:00:00Z",
    sender: str = "octocat",
    label: str | None = None,
) -> dict[str, Any]:
    """An `issues` event whose issue carries `labels` and `assignees`, last updated `updated_at`."""
    payload = payloads.issues_event(
        action,
        repo=repo,
        number=number,
        labels=labels,
        label=label,
        state_reason=state_reason,
        assignees=assignees,
        sender=sender,
        closed_at=updated_at,
    )
    payload["issue"].update(created_at=CREATED, updated_at=updated_at)
    return payloads.validated(f"issues-{action}", payload)


def write_event(folder: Path, payload: dict[str, Any], *, name: str = "event.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path
