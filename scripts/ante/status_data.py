"""Gather what STATUS.md shows from the repository's files: the status page's only I/O.

Only data already in the repo is read (ledger/, rotations/, tool-written records): zero API
calls. Each source comes from the module that owns its file format; while a module or its file
is missing, that source is None and its section is left out.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import yamlio
from .clock import iso_week, week_start
from .models import Entry, JournalFile
from .status import DEFAULT_BACKLOG_TARGET, SCHEDULE_WEEKS, Sources, window_start
from .store import Store


def optional(module: str, name: str) -> Callable[..., Any] | None:
    """`ante.<module>.<name>`, or None while that module does not exist (yet)."""
    try:
        found = importlib.import_module(f"ante.{module}")
    except ModuleNotFoundError as exc:
        if exc.name == f"ante.{module}":
            return None
        raise
    return getattr(found, name, None)


def load(repo: Path, store: Store, now: datetime) -> Sources:
    ledger = store.load()
    sources = Sources(ledger=ledger, backlog_target=backlog_target(ledger.policy))
    if (latest := optional("tax", "latest")) is not None:
        sources.tax = latest(repo)
    if (history := optional("metrics", "load_history")) is not None:
        sources.metrics = history(repo) or None
    if (upcoming := optional("rotation_store", "upcoming")) is not None:
        sources.shifts = upcoming(repo, now, SCHEDULE_WEEKS + 1) or None
    if sources.shifts and (escalation := optional("rotation_store", "escalation")) is not None:
        sources.escalation = escalation(repo)
    if sources.shifts and (rotations := optional("rotation_store", "load_rotations")) is not None:
        sources.zones = {r.name: r.config.zone for r in rotations(repo)}
    if (queue := optional("duty", "load_queue")) is not None:
        sources.queue = queue(repo) or None
    if (pages := optional("pages", "load_pages")) is not None:
        records = pages(repo, since=now - timedelta(weeks=6))  # this month, and 4 weeks back
        # No pages at all and no rotation: there is no on-call here to report on.
        sources.pages = records if records or sources.shifts else None
    if (swept := optional("intake_store", "swept_since")) is not None:
        sources.swept = swept(repo, week_start(iso_week(now.date()))) or None
    sources.earlier_entries = earlier_entries(store, ledger.period, window_start(now.date()))
    return sources


def backlog_target(policy: object) -> int:
    """The backlog the tax aims for, when the policy names one."""
    tax = getattr(policy, "tax", None)
    for name in ("target_backlog", "target"):
        value = getattr(tax, name, None)
        if isinstance(value, int):
            return value
    return DEFAULT_BACKLOG_TARGET


def earlier_entries(store: Store, period: int | None, since: Any) -> list[Entry]:
    """The previous period's recent entries, when the balances' window reaches back into it."""
    if period is None or since.year >= period or (period - 1) not in store.periods():
        return []
    entries: list[Entry] = []
    for path in store.period_files(period - 1):
        journal = yamlio.load(path, JournalFile, store.repo, empty={})
        entries.extend(e for e in journal.entries if e.date >= since)
    return entries
