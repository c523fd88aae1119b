"""What STATUS.md shows, as plain data (pure): built from the repo's data, zero API calls.

`view(sources, now)` turns what `status_file` read from the repository into sections. A section
whose data does not exist (no rotation file yet, no recorded metrics) is None and the template
leaves it out. Everything relative to `now` is quantised to the week or the month, so the same
data renders the same file all week long.

Size: one short function per section of STATUS.md, and `view`, which calls them all.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo

from ante.clock import iso_week, week_start
from ante.core.coverage import Coverage
from ante.core.issue_url import issue_ref
from ante.core.ledger import Ledger
from ante.core.models import Entry
from ante.render.status_sections import (
    Actions,
    Award,
    BacklogSection,
    BalanceRow,
    Balances,
    BudgetRow,
    Chart,
    CoverageNote,
    FollowUpLike,
    Link,
    NightBudget,
    OnCall,
    PageLike,
    Pages,
    QueueItemLike,
    QueueRow,
    Schedule,
    ScheduleRow,
    ShiftLike,
    Sources,
    Status,
    SweptLike,
    Tax,
    TaxWeekLike,
    WeekMetricsLike,
)

CHART_WEEKS = 12  # the backlog charts
RATE_WEEKS = 4  # "current rates" for the backlog estimate, and the balances' change column
RECENT_AWARDS = 10
QUEUE_ROWS = 10
SCHEDULE_WEEKS = 8
STATEMENTS = "ledger/statements"  # one page per member: their entries this year


def view(sources: Sources, now: datetime) -> Status:
    today = now.date()
    return Status(
        as_of=latest_data_date(sources),
        on_call=on_call(sources.shifts, sources.escalation, now, sources.zones),
        balances=balances(sources.ledger, today, sources.earlier_entries),
        tax=tax(sources.tax, sources.ledger),
        backlog=backlog(sources.metrics, sources.backlog_target),
        queue=queue(sources.queue),
        schedules=schedules(sources.shifts, now, sources.zones),
        pages=pages(sources.pages, now),
        awards=recent_awards(sources.ledger.entries),
        postmortems=postmortems(sources.pages, today),
        swept=swept(sources.swept),
        night_budget=night_budget(sources.pages, sources.budgets, now),
        actions=actions(sources.followups, today),
        coverage=coverage_notes(sources.coverage, now, sources.zones),
    )


# ---- each section ----------------------------------------------------------------------------


def issue_link(url: str) -> Link:
    """`owner/repo#12` for an issue URL; anything else is shown as it is, unlinked."""
    ref = issue_ref(url)
    if ref is not None:
        return Link(f"{ref[0]}#{ref[1]}", url)
    return Link(url, url if url.startswith("https://") else None)


def window_start(today: date) -> date:
    """Monday of the week three weeks before this one: the last four calendar weeks."""
    return week_start(iso_week(today)) - timedelta(weeks=RATE_WEEKS - 1)


def balances(ledger: Ledger, today: date, earlier: Iterable[Entry] = ()) -> Balances:
    """Current members, most chips first, then by name: a leaderboard with no ranks."""
    since = window_start(today)
    chips = ledger.balances()
    change: dict[str, int] = {}
    for entry in [*earlier, *ledger.entries]:
        if entry.date >= since:
            change[entry.member] = change.get(entry.member, 0) + entry.delta
    rows = [
        BalanceRow(
            login,
            member.display_name,
            chips.get(login, 0),
            change.get(login, 0),
            f"{STATEMENTS}/{login}.md",
        )
        for login, member in ledger.members.items()
        if member.active_on(today)
    ]
    rows.sort(key=lambda r: (-r.chips, r.name.lower(), r.login.lower()))
    return Balances(rows, sum(r.chips for r in rows), since, sum(r.in_debt for r in rows))


def tax(week: TaxWeekLike | None, ledger: Ledger) -> Tax | None:
    if week is None:
        return None
    # The week's entries say which week they are for in their id (`tax:2026-W47:alice`).
    taken = [e for e in ledger.entries if e.kind == "tax" and week.week in f"{e.id} {e.ref}"]
    paid = -sum(e.delta for e in taken)
    payers = len({e.member for e in taken if e.delta})
    return Tax(week.week, week.rate, week.reason, paid, payers, bool(getattr(week, "waived", 0)))


def on_call(
    shifts: Mapping[str, Sequence[ShiftLike]] | None,
    escalation: Mapping[str, Sequence[str]] | None,
    now: datetime,
    zones: Mapping[str, tzinfo] | None = None,
) -> list[OnCall] | None:
    """Who holds each role of each rotation right now, until when, and who is next."""
    if not shifts:
        return None
    result: list[OnCall] = []
    for rotation, rota in shifts.items():  # in the rotation store's order
        ordered = sorted(rota, key=lambda s: s.start)
        current = next((i for i, s in enumerate(ordered) if s.start <= now < s.end), None)
        if current is None:
            continue
        shift = ordered[current]
        following = ordered[current + 1] if current + 1 < len(ordered) else None
        result.append(
            OnCall(
                rotation,
                [(role, login) for role, login in shift.roles.items() if login],
                local(shift.end, rotation, zones),
                [(r, login) for r, login in following.roles.items() if login] if following else [],
                list((escalation or {}).get(rotation, [])),
            )
        )
    return result or None


def schedules(
    shifts: Mapping[str, Sequence[ShiftLike]] | None,
    now: datetime,
    zones: Mapping[str, tzinfo] | None = None,
) -> list[Schedule] | None:
    if not shifts:
        return None
    result: list[Schedule] = []
    for rotation, rota in shifts.items():  # in the rotation store's order
        ordered = [s for s in sorted(rota, key=lambda s: s.start) if s.end > now]
        ordered = ordered[:SCHEDULE_WEEKS]
        if not ordered:
            continue
        roles: list[str] = []
        for shift in ordered:
            roles.extend(role for role in shift.roles if role not in roles)
        rows = [
            ScheduleRow(
                local(s.start, rotation, zones),
                [s.roles.get(r) or "" for r in roles],
                s.start <= now < s.end,
            )
            for s in ordered
        ]
        result.append(Schedule(rotation, roles, rows))
    return result or None


def local(moment: datetime, rotation: str, zones: Mapping[str, tzinfo] | None) -> datetime:
    """A handoff shown in the rotation's own timezone, as its volunteers read it."""
    zone = (zones or {}).get(rotation)
    return moment.astimezone(zone) if zone is not None else moment


def backlog(metrics: Sequence[WeekMetricsLike] | None, target: int) -> BacklogSection | None:
    if not metrics:
        return None
    history = sorted(metrics, key=lambda m: week_start(m.week))
    shown = history[-CHART_WEEKS:]
    recent = history[-RATE_WEEKS:]
    opened_rate = sum(m.opened for m in recent) / len(recent)
    closed_rate = sum(m.closed for m in recent) / len(recent)
    latest = history[-1]
    labels = [m.week.split("-")[1] for m in shown]
    flow_max = max([m.opened for m in shown] + [m.closed for m in shown] + [1])
    return BacklogSection(
        open_now=latest.open,
        week=latest.week,
        weeks=shown,
        flow=Chart(
            "Overhead issues closed (bars) vs opened (line) per week",
            labels,
            [m.closed for m in shown],
            [[m.opened for m in shown]],
            nice_max(flow_max),
        ),
        trend=Chart(
            "Open overhead backlog at the end of each week",
            labels,
            [m.open for m in shown],
            [],
            nice_max(max([m.open for m in shown] + [target, 1])),
        ),
        opened_rate=opened_rate,
        closed_rate=closed_rate,
        target=target,
        estimate=estimate(latest.open, latest.week, opened_rate, closed_rate, target),
    )


def nice_max(value: int) -> int:
    """A round top for a chart's y-axis, a little above the largest value."""
    step: int = 10 ** max(0, len(str(value)) - 1)
    return max(step, math.ceil(value * 1.1 / step) * step)


def estimate(open_now: int, week: str, opened: float, closed: float, target: int) -> str:
    """When the backlog reaches its target if the last weeks' rates hold, in one sentence."""
    rates = f"{closed:.1f} closed and {opened:.1f} opened a week over the last {RATE_WEEKS} weeks"
    if open_now <= target:
        return f"The backlog ({open_now}) is at or under its target of {target}."
    drain = closed - opened
    if drain <= 0:
        return (
            f"At the current rates ({rates}) the backlog is not shrinking, "
            f"so it will not reach its target of {target}."
        )
    weeks = math.ceil((open_now - target) / drain)
    reach = iso_week(week_start(week) + timedelta(weeks=weeks))
    return (
        f"At the current rates ({rates}) the backlog reaches its target of {target} "
        f"around **{reach}**, in about {weeks} week{'' if weeks == 1 else 's'}."
    )


def queue(items: Sequence[QueueItemLike] | None) -> list[QueueRow] | None:
    """The top of the queue, in the duty module's order (priority label, then due date)."""
    if not items:
        return None
    rows = [
        QueueRow(
            Link(f"#{item.number}", item.url),
            item.title,
            "" if item.priority is None else str(item.priority),
            item.due,
        )
        for item in items[:QUEUE_ROWS]
    ]
    return rows


def pages(records: Sequence[PageLike] | None, now: datetime) -> Pages | None:
    if records is None:
        return None
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    month = [p for p in records if start <= p.opened < end]
    still_open = sorted((p for p in records if p.closed is None), key=lambda p: p.opened)
    return Pages(
        f"{start:%B %Y}",
        sum(not p.out_of_hours for p in month),
        sum(bool(p.out_of_hours) for p in month),
        [page_link(p.issue, p) for p in still_open],
    )


def night_budget(
    records: Sequence[PageLike] | None, budgets: Mapping[str, int | None] | None, now: datetime
) -> NightBudget | None:
    """Out-of-hours pages opened this month (UTC), per rotation against its budget and per
    person woken (paged first or by an escalation: one count per emergency)."""
    if records is None or not budgets:
        return None
    from ante.core.paging import budget, month_of

    counted = budget(records, month_of(now), dict(budgets))
    rows = [
        BudgetRow(name, pages, counted.budgets.get(name), counted.over(name))
        for name, pages in counted.per_rotation.items()
    ]
    return NightBudget(rows, list(counted.per_person.items()))


def actions(items: Sequence[FollowUpLike] | None, today: date) -> Actions | None:
    """Open post-mortem actions; the overdue ones, longest overdue first."""
    if not items:
        return None
    still = [i for i in items if i.state == "open"]
    late = sorted((i for i in still if i.due and i.due < today), key=lambda i: (i.due, i.number))
    return Actions(
        len(still),
        [(Link(f"#{i.number}", i.url, i.title), i.owner, i.due) for i in late if i.due],
    )


def page_link(url: str, page: PageLike) -> Link:
    link = issue_link(url)
    return Link(link.text, link.url, str(getattr(page, "title", "") or ""))


def postmortems(records: Sequence[PageLike] | None, today: date) -> list[Link] | None:
    """Post-mortems of the emergencies closed in the last four weeks, oldest first.

    The repo records when a post-mortem was asked for, not when it was finished; a page
    record that says so (`postmortem_closed`) drops out at once.
    """
    if not records:
        return None
    since = window_start(today)
    recent = sorted(
        (
            p
            for p in records
            if p.postmortem
            and p.closed is not None
            and p.closed.date() >= since
            and not getattr(p, "postmortem_closed", None)
        ),
        key=lambda p: (p.closed, p.issue),
    )
    return [page_link(p.postmortem, p) for p in recent if p.postmortem] or None


def swept(records: Sequence[SweptLike] | None) -> list[Link] | None:
    """The noise swept from the overhead backlog this week (`status_file` picks the week)."""
    if not records:
        return None
    return [Link(issue_link(r.issue).text, issue_link(r.issue).url, r.title) for r in records]


def recent_awards(entries: Sequence[Entry]) -> list[Award] | None:
    """The latest awards, each netted with the revokes of the same issue and member."""
    groups: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        if entry.kind in ("award", "revoke"):
            groups.setdefault((entry.ref, entry.member.lower()), []).append(entry)

    def latest(group: list[Entry]) -> tuple[date, float, str]:
        last = max(group, key=lambda e: (e.date, e.at.timestamp() if e.at else 0.0, e.id))
        return last.date, last.at.timestamp() if last.at else 0.0, last.id

    ordered = sorted(groups.values(), key=latest, reverse=True)[:RECENT_AWARDS]
    rows = []
    for group in ordered:
        given = [e for e in group if e.kind == "award"]
        taken = [e for e in group if e.kind == "revoke"]
        first = min(given or group, key=lambda e: e.date)
        rows.append(
            Award(
                first.date,
                first.member,
                sum(e.delta for e in group),
                issue_link(first.ref),
                sum(e.delta for e in given),
                -sum(e.delta for e in taken),
                max((e.date for e in taken), default=None),
            )
        )
    return rows or None


def coverage_notes(
    found: Sequence[Coverage] | None, now: datetime, zones: Mapping[str, tzinfo] | None = None
) -> list[CoverageNote] | None:
    """Only the rotations that need someone to act."""
    notes = [
        CoverageNote(
            c.rotation,
            [e.text(now.date()) for e in c.endings],
            [(local(g.start, c.rotation, zones), list(g.roles), g.frozen) for g in c.gaps],
            c.gap_hint(),
        )
        for c in found or ()
        if not c.ok
    ]
    return notes or None


def latest_data_date(sources: Sources) -> date | None:
    """The date of the newest recorded fact: STATUS.md shows this, never the wall clock."""
    days = [entry.date for entry in sources.ledger.entries]
    for page in sources.pages or ():
        days.append(page.opened.date())
        if page.closed is not None:
            days.append(page.closed.date())
    return max(days, default=None)
