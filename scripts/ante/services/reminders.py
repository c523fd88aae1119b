"""Reminders (`ante remind`, with sync): the day before a shift starts and at its handoff, each
person is told in the team's channels; each reminder once, late runs catch up.

On GitHub too, with or without channels: the day before a handoff, ante's one comment on the
rotation's open handoff issue mentions whoever starts a shift tomorrow (GitHub notifies them).
At the handoff itself the new week's issue names them."""

from __future__ import annotations

from datetime import datetime, timedelta

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


HANDOFF_LABEL = "on-call-handoff"


def tell_on_github(ctx: Context, found: list[Notice]) -> None:
    """Tomorrow's starters, mentioned in one comment on each rotation's open handoff issue."""
    eves: dict[tuple[str, datetime], list[Notice]] = {}
    for notice in found:
        if notice.details.get("when") == "eve":
            eves.setdefault((notice.details["rotation"], notice.at), []).append(notice)
    gh, repo = ctx.github, ctx.settings.repository
    if not eves:
        return
    if gh is None or not repo:
        ctx.say("would mention tomorrow's starters on the handoff issue (no GITHUB_TOKEN)")
        return
    issues = gh.list_issues(repo, state="open", labels=[HANDOFF_LABEL], sort="created")
    for (rotation, start), items in eves.items():
        tag = f"<!-- ante:handoff {rotation} "
        mine = [i for i in issues if gh.is_mine(i.author) and tag in i.body]
        if not mine:
            ctx.say(f"{rotation}: no open handoff issue to mention tomorrow's starters on")
            continue
        lines = ["**Tomorrow's handoff**: your shift starts then.", ""]
        lines += [f"- {n.text.removeprefix('⏰ Tomorrow: ')}" for n in items]
        marker = f"reminder {rotation} {start:%Y%m%dT%H%MZ}"
        gh.upsert_comment(repo, mine[-1].number, marker, "\n".join(lines))
        names = ", ".join("@" + p for n in items for p in n.people)
        ctx.say(f"{rotation}: mentioned {names} on #{mine[-1].number}")


def run(ctx: Context, *, push: bool) -> int:
    found = notices(ctx)
    tell_on_github(ctx, found)
    if not paging.policy(ctx).configured:
        ctx.say(f"{len(found)} reminder(s) due, but no channel under notify: in the policy")
        return 0
    paging.send(ctx, found, push=push)
    ctx.say(f"{len(found)} reminder(s) due")
    return 0
