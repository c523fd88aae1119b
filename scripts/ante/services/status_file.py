"""Gather what STATUS.md shows from the repository's files: the status page's only I/O.

Only data already in the repo is read (ledger/, rotations/, tool-written records): zero API
calls. Each source comes from the module that owns its file format; where its file is missing
(or empty), that source is None and its section is left out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ante.clock import iso_week, week_start
from ante.context import Context
from ante.core.coverage import WINDOW_WEEKS
from ante.core.models import Entry, JournalFile
from ante.files import (
    backlog,
    emergencies,
    followups,
    intake_notes,
    maintenance,
    rotations,
    tax_weeks,
    yamlio,
)
from ante.files.journal import Store
from ante.render import status_view, templates
from ante.render.status_sections import Sources
from ante.render.status_view import SCHEDULE_WEEKS, window_start
from ante.services import history


def load(repo: Path, store: Store, now: datetime) -> Sources:
    ledger = store.load()
    sources = Sources(ledger=ledger, backlog_target=ledger.policy.tax.target_backlog)
    sources.tax = tax_weeks.latest(repo)
    sources.metrics = backlog.load_history(repo) or None
    sources.shifts = rotations.upcoming(repo, now, SCHEDULE_WEEKS + 1) or None
    if sources.shifts:
        sources.escalation = rotations.escalation(repo)
        rosters = rotations.load_rotations(repo)
        sources.zones = {r.name: r.config.zone for r in rosters}
        sources.budgets = {
            r.name: r.config.out_of_hours_budget for r in rosters if r.config.emergency_label
        }
        # STATUS.md shows at least the weeks the coverage checks: one schedule serves both.
        shown = sources.shifts if SCHEDULE_WEEKS >= WINDOW_WEEKS else {}
        sources.coverage = [
            rotations.coverage_for(repo, r, now, shown.get(r.name)) for r in rosters
        ]
    sources.queue = maintenance.load_queue(repo) or None
    records = emergencies.load_pages(
        repo, since=now - timedelta(weeks=6)
    )  # this month, 4 weeks back
    # No pages at all and no rotation: there is no on-call here to report on.
    sources.pages = records if records or sources.shifts else None
    sources.followups = followups.load(repo) or None
    sources.swept = intake_notes.swept_since(repo, week_start(iso_week(now.date()))) or None
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


def build(ctx: Context, sources: Sources | None = None) -> str:
    sources = sources or load(ctx.repo, ctx.store, ctx.now)
    return templates.render(
        ctx.repo, "STATUS.md.j2", **status_view.view(sources, ctx.now).context()
    )


def write(ctx: Context, out: str | None = None) -> bool:
    """Render and write STATUS.md; False when the file already said exactly this."""
    return bool(write_all(ctx, out))


def write_all(ctx: Context, out: str | None = None) -> list[str]:
    """STATUS.md and, with it, the members' statement pages it links to: what changed."""
    sources = load(ctx.repo, ctx.store, ctx.now)
    text = build(ctx, sources)
    if out == "-":
        ctx.out.write(text)
        return ["-"]
    changed: list[str] = []
    target = ctx.repo / (out or "STATUS.md")
    if not (target.exists() and target.read_text(encoding="utf-8") == text):
        yamlio.write_text(target, text)
        changed.append(out or "STATUS.md")
    if out is None:
        changed += history.write_pages(ctx, sources.ledger)
    return changed
