"""The weekly handoff summary for the team's channel: who is on call now, last week's pages,
open and overdue follow-ups, and what changed in the roster. Once per rotation and week."""

from __future__ import annotations

from datetime import timedelta

from ante.context import Context
from ante.core import schedule
from ante.core.notify import Notice
from ante.files import emergencies, followups, rotations
from ante.files.rotations import Roster
from ante.render.ics import role_title
from ante.services import paging


def summary(ctx: Context, roster: Roster) -> Notice | None:
    config = roster.config
    published = rotations.published(ctx.repo, roster.name)
    moment = ctx.now + timedelta(microseconds=1)
    week = schedule.covering(schedule.plan(config, published, ctx.now, moment), ctx.now)
    if week is None:
        return None
    shown = schedule.covering(schedule.apply_overrides(config, [week]), ctx.now) or week
    before = schedule.handoff_before(config, week.start - timedelta(microseconds=1))
    pages = [
        p
        for p in emergencies.load_pages(ctx.repo, since=before)
        if p.rotation == roster.name and before <= p.opened < week.start
    ]
    night = sum(p.out_of_hours for p in pages)
    start = week.start.astimezone(config.zone)
    lines = [f"📋 Handoff, `{roster.name}`, week of {start:%a %d %b %H:%M %Z}"]
    on_call = ", ".join(f"{role_title(r)} @{who}" for r, who in shown.roles.items())
    lines.append(f"On call: {on_call or 'nobody: add volunteers or an override'}")
    lines.append(
        f"Last week: {len(pages)} page(s), {len(pages) - night} in hours, {night} out of hours"
    )
    for page in pages:
        lines.append(f"  • #{page.number} {paging._chat(page.title)}: {page.issue}")
    lines += followup_lines(ctx)
    lines += changes(ctx, roster)
    return Notice(
        "handoff",
        f"handoff/{roster.name}/{week.start:%Y%m%dT%H%MZ}",
        f"Handoff summary: {roster.name}, week of {start:%d %b}",
        "\n".join(lines),
        week.start,
        people=tuple(shown.roles.values()),
        details={"rotation": roster.name},
    )


def followup_lines(ctx: Context) -> list[str]:
    """Open post-mortem actions, overdue first (from the last follow-up snapshot)."""
    items = followups.load(ctx.repo)
    open_items = [i for i in items if i.state == "open"]
    if not open_items:
        return ["Open follow-ups: none"]
    overdue = [i for i in open_items if i.due and i.due < ctx.now.date()]
    out = [f"Open follow-ups: {len(open_items)} ({len(overdue)} overdue)"]
    out += [
        f"  • overdue since {i.due}: {paging._chat(i.title)} @{i.owner}: {i.url}" for i in overdue
    ]
    return out


def changes(ctx: Context, roster: Roster) -> list[str]:
    """Terms starting or ending around this handoff, and this week's covers."""
    config = roster.config
    today = ctx.now.astimezone(config.zone).date()
    week_ago, week_ahead = today - timedelta(days=7), today + timedelta(days=7)
    out: list[str] = []
    for v in config.volunteers:
        if week_ago < v.start <= today:
            out.append(f"@{v.login} joined the rotation ({v.start})")
        if today <= v.term_end < week_ahead:
            out.append(f"@{v.login}'s term ends {v.term_end}: renew by editing `to:`")
    for o in config.overrides:
        if o.start <= week_ahead and o.end >= today:
            out.append(f"@{o.cover} covers the {o.role} {o.start} to {o.end}")
    return ["What changed: " + "; ".join(out)] if out else ["What changed: nothing in the roster"]


def send_all(ctx: Context, *, push: bool) -> None:
    found = [n for r in rotations.load_rotations(ctx.repo) if (n := summary(ctx, r))]
    paging.send(ctx, found, push=push)
