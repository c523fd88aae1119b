"""`ante handoff [--push]`: the weekly on-call handoff.

In the repository (one commit, pushed with retries under --push): publish the weeks entering
the frozen horizon, record the shifts served since the last handoff (overrides applied),
regenerate each calendar feed, snapshot the `product-maintenance-duty` queue and re-render
STATUS.md. On GitHub: open this week's handoff issue per rotation (once, however often the
handoff runs) and close the previous ones. Without a token it says what it would have done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ante import flags
from ante.context import Context
from ante.core import coverage, schedule
from ante.core.coverage import Coverage
from ante.errors import Problem
from ante.files import emergencies, followups, gitrepo, intake_notes, maintenance, rotations, yamlio
from ante.files.rotations import Roster
from ante.render import templates
from ante.render.ics import role_title
from ante.services import handoff_notice, status_file
from ante.services import rotation as rotation_job

HANDOFF_LABEL = "on-call-handoff"
PATHS = ("ledger", "rotations", "STATUS.md")


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("handoff", help="the weekly on-call handoff (records, calendar, issue)")
    flags.push(p)
    flags.runs(p, flags.PushOptions.parse, run)


@dataclass(frozen=True)
class LastWeek:
    pages: int
    in_hours: int
    out_of_hours: int
    closed: int | None  # maintenance issues closed; None without GitHub


# ---- the repository ------------------------------------------------------------------------


def record(
    ctx: Context, rosters: Sequence[Roster], queue: list[maintenance.QueueItem] | None
) -> str | None:
    """Bring the files up to date (idempotent); the commit message, or None if nothing changed."""
    done: list[str] = []
    for roster in rosters:
        config, name = roster.config, roster.name
        published = rotations.published(ctx.repo, name)
        fresh = schedule.to_freeze(config, published, ctx.now)
        header = rotations.SCHEDULE_HEADER.format(name=name)
        lines = [rotations.record_line(s) for s in fresh]
        if rotations.append_shifts(rotations.schedule_path(ctx.repo, name), header, lines):
            done.append(f"{name}: published {len(fresh)} week(s)")
        served = rotations.served(ctx.repo, name)
        until = served[-1].end if served else None
        parts = schedule.served(config, published + fresh, until, ctx.now)
        header = rotations.SHIFTS_HEADER.format(name=name)
        lines = [rotations.record_line(s, share) for s, share in parts]
        if rotations.append_shifts(rotations.shifts_path(ctx.repo, name), header, lines):
            done.append(f"{name}: recorded {len(parts)} served shift(s)")
        if rotation_job.write_ics(ctx, roster):
            done.append(f"{name}: calendar")
    if queue is not None:
        path = maintenance.queue_path(ctx.repo)
        old = maintenance.load_queue(ctx.repo) if path.exists() else None
        if old != maintenance.ordered(queue):
            yamlio.write_text(path, maintenance.queue_text(queue, ctx.now))
            done.append(f"queue: {len(queue)} issue(s)")
    if done:
        status_file.write(ctx)
        return "ante handoff: " + "; ".join(done)
    return None


# ---- GitHub --------------------------------------------------------------------------------


def read_queue(ctx: Context) -> list[maintenance.QueueItem] | None:
    gh = ctx.github
    if gh is None or not ctx.settings.repository:
        return None
    items: list[maintenance.QueueItem] = []
    for repo in _repositories(ctx):
        found = gh.list_issues(repo, state="open", labels=[maintenance.DUTY_LABEL], sort="created")
        items += [maintenance.item(i.number, i.title, i.url, i.labels, i.body) for i in found]
    return maintenance.ordered(items)


def closed_last_week(ctx: Context, start: datetime, end: datetime) -> int | None:
    gh = ctx.github
    if gh is None or not ctx.settings.repository:
        return None
    total = 0
    for repo in _repositories(ctx):  # closed in the window: updated since its start, at least
        found = gh.list_issues(repo, state="closed", labels=[maintenance.DUTY_LABEL], since=start)
        total += sum(1 for i in found if i.closed_at is not None and start <= i.closed_at < end)
    return total


def _repositories(ctx: Context) -> list[str]:
    return ctx.repositories(ctx.store.policy() if ctx.store.policy_path.exists() else None)


def marker(name: str, start: datetime) -> str:
    return f"<!-- ante:handoff {name} {yamlio.scalar(start)} -->"


def issue_view(
    ctx: Context,
    roster: Roster,
    week: schedule.Shift,
    queue: list[maintenance.QueueItem],
    last: LastWeek,
) -> dict[str, object]:
    config = roster.config
    conflicts = rotations.conflicts_for(ctx.repo, roster, ctx.now)
    pay = config.compensation
    return {
        "rotation": roster.name,
        "week_start": rotation_job.local(roster, week.start),
        "week_end": rotation_job.local(roster, week.end),
        "timezone": config.handoff.timezone,
        "roles": [(role_title(role), login) for role, login in week.roles.items()],
        "escalation": list(config.escalation),
        "queue": queue,
        "last": last,
        "conflicts": [rotation_job.conflict_text(roster, c) for c in conflicts],
        "compensation": f"{pay.amount} {pay.currency}" if pay.amount else None,
        "swept": intake_notes.swept_since(ctx.repo, (ctx.now - timedelta(days=7)).date()),
        "overdue": [
            i
            for i in followups.load(ctx.repo)
            if i.state == "open" and i.due is not None and i.due < ctx.now.date()
        ],
        "coverage": coverage_view(roster, rotations.coverage_for(ctx.repo, roster, ctx.now), ctx),
    }


def coverage_view(roster: Roster, found: Coverage, ctx: Context) -> dict[str, object]:
    """The coverage warnings as lines of text for the issue template."""
    today = ctx.now.date()
    gaps = [
        f"week of {rotation_job.local(roster, gap.start)}: no {' and no '.join(gap.roles)}"
        + (" (already published: needs an override)" if gap.frozen else "")
        for gap in found.gaps
    ]
    return {
        "endings": [ending.text(today) for ending in found.endings],
        "gaps": gaps,
        "hint": found.gap_hint(),
        "path": found.path,
    }


def empty_horizon(ctx: Context, rosters: Sequence[Roster]) -> int:
    """Fail loudly (annotation, job summary, exit 1) if the frozen horizon has an empty role."""
    failed = 0
    for roster in rosters:
        shifts = rotations.weeks_for(ctx.repo, roster, ctx.now, roster.config.horizon_weeks + 1)
        empty = coverage.empty_in_horizon(roster.config, shifts, ctx.now)
        if not empty:
            continue
        failed += 1
        weeks = "; ".join(
            f"{rotation_job.local(roster, gap.start)}: no {' and no '.join(gap.roles)}"
            for gap in empty
        )
        shown = yamlio.display(roster.path, ctx.repo)
        message = (
            f"rotation {roster.name}: nobody on call within the frozen horizon ({weeks}). "
            f"Add volunteers or renew a term in {shown}, and an override for the published "
            "weeks; until then an emergency pages the escalation tier."
        )
        ctx.warn(f"ante: {message}")
        ctx.annotate(Problem(shown, None, None, message))
        ctx.summary(f"### ante handoff: `{roster.name}` has empty weeks\n\n{message}")
    return failed


def open_issue(ctx: Context, roster: Roster, queue: list[maintenance.QueueItem]) -> None:
    """This week's handoff issue (once), and the previous weeks' closed."""
    config = roster.config
    published = rotations.published(ctx.repo, roster.name)
    moment = ctx.now + timedelta(microseconds=1)
    week = schedule.covering(schedule.plan(config, published, ctx.now, moment), ctx.now)
    if week is None:
        ctx.say(f"{roster.name}: no week covers now; no handoff issue")
        return
    shown = schedule.covering(schedule.apply_overrides(config, [week]), ctx.now) or week
    before = schedule.handoff_before(config, week.start - timedelta(microseconds=1))
    recent = emergencies.load_pages(ctx.repo, since=before)
    numbers = emergencies.count(recent, before, week.start, roster.name)
    closed = closed_last_week(ctx, before, week.start)
    last = LastWeek(numbers.pages, numbers.in_hours, numbers.out_of_hours, closed)
    tag = marker(roster.name, week.start)
    body = templates.render(
        ctx.repo, "handoff.md.j2", **issue_view(ctx, roster, shown, queue, last)
    )
    body += f"\n{tag}\n"
    day = week.start.astimezone(config.zone).date()
    title = f"On-call handoff: {roster.name}, week of {day}"
    captain = shown.roles.get(config.captain_role)
    gh, repo = ctx.github, ctx.settings.repository
    if gh is None or not repo:
        ctx.say(f"would open the issue {title!r} and close last week's (no GITHUB_TOKEN)")
        return
    # ante's own issues, found by their hidden key through the issues API (search lags: two
    # runs a minute apart would each open one). Open ones to close, and this week's, if any.
    found = gh.list_issues(repo, state="open", labels=[HANDOFF_LABEL], sort="created")
    mine = [
        i for i in found if gh.is_mine(i.author) and f"<!-- ante:handoff {roster.name} " in i.body
    ]
    if any(tag in i.body for i in mine) or gh.find_keyed_issue(repo, tag, labels=[HANDOFF_LABEL]):
        ctx.say(f"{roster.name}: this week's handoff issue is already there")
    else:
        assignees = [captain] if captain else []
        made = gh.create_issue(repo, title, body, labels=[HANDOFF_LABEL], assignees=assignees)
        ctx.say(f"{roster.name}: opened {made.url}")
    for old in mine:
        if old.state == "open" and tag not in old.body:
            gh.close_issue(repo, old.number)
            ctx.say(f"{roster.name}: closed the earlier handoff issue #{old.number}")


def run(opts: flags.PushOptions, ctx: Context) -> int:
    rosters = rotations.load_rotations(ctx.repo)
    if not rosters:
        ctx.say("no rotations: nothing to hand off")
        return 0
    queue = read_queue(ctx)
    if queue is None:
        ctx.say("no GITHUB_TOKEN: the maintenance queue snapshot is left as it was")

    def apply() -> str | None:
        return record(ctx, rotations.load_rotations(ctx.repo), queue)

    result = gitrepo.save(ctx.repo, apply, PATHS, push=opts.push)
    ctx.say(result.report("records already up to date"))
    rosters = rotations.load_rotations(ctx.repo)
    for roster in rosters:
        open_issue(ctx, roster, queue if queue is not None else maintenance.load_queue(ctx.repo))
    handoff_notice.send_all(ctx, push=opts.push)  # the team channel's weekly summary
    return 1 if empty_horizon(ctx, rosters) else 0
