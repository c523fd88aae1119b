"""Reminders (`ante remind`, hourly with sync): the day before a shift starts and at its
handoff, each person is told in the team's channels; each reminder once, late runs catch up."""

from __future__ import annotations

from datetime import timedelta

from ante.context import Context
from ante.core import reminders
from ante.core.notify import Notice
from ante.files import rotations
from ante.render.ics import role_title
from ante.services import paging


def notices(ctx: Context) -> list[Notice]:
    out: list[Notice] = []
    for roster in rotations.load_rotations(ctx.repo):
        shifts = rotations.weeks_for(ctx.repo, roster, ctx.now - timedelta(days=8), 3)
        zone = roster.config.zone
        for item in reminders.due(roster.name, shifts, ctx.now):
            title = role_title(item.role)
            start = item.start.astimezone(zone)
            end = item.end.astimezone(zone)
            span = f"{start:%a %d %b %H:%M} → {end:%a %d %b %H:%M} {start.tzname()}"
            if item.kind == "eve":
                summary = f"@{item.login}: your {roster.name} shift as {title} starts tomorrow"
                text = f"⏰ Tomorrow: @{item.login} is {title} ({roster.name}), {span}."
            else:
                summary = f"@{item.login}: your {roster.name} shift as {title} starts now"
                text = f"🔔 Handoff: @{item.login} is now {title} ({roster.name}), {span}."
            out.append(
                Notice(
                    "reminder",
                    item.key,
                    summary,
                    text,
                    item.start,
                    people=(item.login,),
                    details={"rotation": roster.name, "role": item.role, "when": item.kind},
                )
            )
    return out


def run(ctx: Context, *, push: bool) -> int:
    found = notices(ctx)
    if not paging.policy(ctx).configured:
        ctx.say(f"{len(found)} reminder(s) due, but no channel under notify: in the policy")
        return 0
    paging.send(ctx, found, push=push)
    ctx.say(f"{len(found)} reminder(s) due")
    return 0
