"""The work behind `ante history`, and the statement pages STATUS.md links to."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ante.context import Context
from ante.core import history
from ante.core.ledger import Ledger
from ante.core.models import Entry
from ante.errors import AnteError
from ante.files import gitrepo, yamlio
from ante.render import statement as page


def repository(ctx: Context) -> str | None:
    """owner/name on GitHub: the Actions environment, else the `origin` remote's URL."""
    if ctx.settings.repository:
        return ctx.settings.repository
    try:
        url = gitrepo.origin_url(ctx.repo)
    except OSError:  # no git on this machine: links point into the repository instead
        return None
    return gitrepo.github_slug(url) if url else None


def server(ctx: Context) -> str:
    return ctx.settings.server_url


def member_login(ctx: Context, login: str) -> str:
    members = ctx.store.members()
    lowered = login.lstrip("@").lower()
    found = next((m for m in members if m.lower() == lowered), None)
    if found is None:
        raise AnteError(f"{login!r} is not a member (see ledger/members.yaml)")
    return found


def default_start(ctx: Context) -> date:
    """The first day of the journal's current year: a statement is a year, like a bank's."""
    periods = ctx.store.periods()
    year = periods[-1] if periods else ctx.now.year
    return date(min(year, ctx.now.year), 1, 1)


def statement(ctx: Context, login: str, start: date | None, end: date | None) -> history.Statement:
    """`login`'s statement, reading only the years from `start`'s checkpoint on."""
    who = member_login(ctx, login)
    start = start or default_start(ctx)
    end = end or ctx.now.date()
    if end < start:
        raise AnteError(f"--to ({end}) is before --from ({start})")
    first, periods = history.periods_for(ctx.store.periods(), start, end)
    carried = ctx.store.opening_balances(first).get(who, 0) if first is not None else 0
    mine: list[Entry] = []
    for period in periods:
        mine += ctx.store.member_entries(period, who)
    return history.statement(
        who, carried, mine, start, end, repository=repository(ctx), server=server(ctx)
    )


# ---- the pages -------------------------------------------------------------------------------


def page_path(repo: Path, login: str) -> Path:
    return repo / page.PAGE_DIR / f"{login}.md"


def write_pages(ctx: Context, ledger: Ledger) -> list[str]:
    """Every member's statement of the current year as a page; the pages that changed."""
    if ledger.period is None:
        return []
    start = date(ledger.period, 1, 1)
    end = date(ledger.period, 12, 31)
    grouped = history.by_member(ledger.entries)
    slug, host = repository(ctx), server(ctx)
    changed: list[str] = []
    for login, member in ledger.members.items():
        mine = grouped.get(login.lower(), [])
        carried = ledger.opening.get(login, 0)
        found = history.statement(login, carried, mine, start, end, repository=slug, server=host)
        text = page.markdown(found, member.name)
        target = page_path(ctx.repo, login)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        yamlio.write_text(target, text)
        changed.append(yamlio.display(target, ctx.repo))
    return changed
