"""Gather what STATUS.md shows from the repository's files: the status page's only I/O.

Only data already in the repo is read (ledger/, rotations/, tool-written records): zero API
calls. Each source comes from the module that owns its file format; where its file is missing
(or empty), that source is None and its section is left out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import duty, intake_store, metrics, pages, rotation_store, tax, yamlio
from .clock import iso_week, week_start
from .models import Entry, JournalFile
from .status import SCHEDULE_WEEKS, Sources, window_start
from .store import Store


def load(repo: Path, store: Store, now: datetime) -> Sources:
    ledger = store.load()
    sources = Sources(ledger=ledger, backlog_target=ledger.policy.tax.target_backlog)
    sources.tax = tax.latest(repo)
    sources.metrics = metrics.load_history(repo) or None
    sources.shifts = rotation_store.upcoming(repo, now, SCHEDULE_WEEKS + 1) or None
    if sources.shifts:
        sources.escalation = rotation_store.escalation(repo)
        sources.zones = {r.name: r.config.zone for r in rotation_store.load_rotations(repo)}
    sources.queue = duty.load_queue(repo) or None
    records = pages.load_pages(repo, since=now - timedelta(weeks=6))  # this month, 4 weeks back
    # No pages at all and no rotation: there is no on-call here to report on.
    sources.pages = records if records or sources.shifts else None
    sources.swept = intake_store.swept_since(repo, week_start(iso_week(now.date()))) or None
    sources.earlier_entries = earlier_entries(store, ledger.period, window_start(now.date()))
    return sources


def earlier_entries(store: Store, period: int | None, since: Any) -> list[Entry]:
    """The previous period's recent entries, when the balances' window reaches back into it."""
    if period is None or since.year >= period or (period - 1) not in store.periods():
        return []
    entries: list[Entry] = []
    for path in store.period_files(period - 1):
        journal = yamlio.load(path, JournalFile, store.repo, empty={})
        entries.extend(e for e in journal.entries if e.date >= since)
    return entries
