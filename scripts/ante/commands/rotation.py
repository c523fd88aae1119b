"""`ante rotation`: the on-call schedule, its calendar feed, and a pull request's preview.

ante rotation [NAME] [--weeks N] [--format text|json]   the schedule from this week on
ante rotation ics [NAME]                                write rotations/<name>.ics
ante rotation preview --before DIR [--weeks N]          validate, then show whose shifts a
                                                        change moves (DIR: the data before)
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from .. import ics, rotation_store, schedule, yamlio
from ..context import Context
from ..errors import DataError, UsageError
from ..rotation import WEEKDAYS
from ..rotation_store import Roster
from ..schedule import Shift

VERBS = ("ics", "preview")
FEED_PAST_WEEKS, FEED_WEEKS = 8, 26


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "rotation",
        help="the on-call schedule; `rotation ics [NAME]` writes the calendar feed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("words", nargs="*", metavar="[ics|preview] [NAME]", help="verb and rotation")
    p.add_argument("--weeks", type=int, default=None, help="how many weeks (default 8; 12 preview)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--before", help="preview: a checkout of the data before the change")
    p.set_defaults(run=run)


def parse_words(words: Sequence[str]) -> tuple[str, str | None]:
    """(verb, name): `rotation NAME`, `rotation ics NAME`, `rotation preview`."""
    verb = "show"
    rest = list(words)
    if rest and rest[0] in VERBS:
        verb = rest.pop(0)
    if len(rest) > 1:
        raise UsageError(f"rotation: too many names: {' '.join(rest)}")
    return verb, rest[0] if rest else None


def run(args: argparse.Namespace, ctx: Context) -> int:
    verb, name = parse_words(args.words)
    weeks = args.weeks
    if weeks is not None and not 1 <= weeks <= 520:
        raise UsageError("--weeks: between 1 and 520")
    if verb == "ics":
        rosters = [rotation_store.find(ctx.repo, name)] if name else _all(ctx.repo)
        for roster in rosters:
            changed = write_ics(ctx, roster)
            shown = yamlio.display(ics_path(ctx.repo, roster.name), ctx.repo)
            ctx.say(f"{'wrote' if changed else 'unchanged:'} {shown}")
        return 0
    if verb == "preview":
        if not args.before:
            raise UsageError("rotation preview: --before DIR is required")
        return preview(ctx, Path(args.before), name, weeks or 12)
    roster = rotation_store.find(ctx.repo, name)
    shifts = rotation_store.weeks_for(ctx.repo, roster, ctx.now, weeks or 8)
    if args.format == "json":
        ctx.say(json.dumps([shift.json() for shift in shifts], indent=2))
    else:
        ctx.say(describe(roster, shifts, frozen_until(ctx.repo, roster)))
    for conflict in rotation_store.conflicts_for(ctx.repo, roster, ctx.now):
        ctx.warn(f"warning: {conflict_text(roster, conflict)}")
    return 0


def _all(repo: Path) -> list[Roster]:
    rosters = rotation_store.load_rotations(repo)
    if not rosters:
        from ..errors import AnteError

        raise AnteError("no rotation here: add one as rotations/<name>.yaml")
    return rosters


# ---- text ----------------------------------------------------------------------------------


def frozen_until(repo: Path, roster: Roster) -> datetime | None:
    published = rotation_store.published(repo, roster.name)
    return published[-1].end if published else None


def local(roster: Roster, moment: datetime) -> str:
    return moment.astimezone(roster.config.zone).strftime("%a %Y-%m-%d %H:%M")


def describe(roster: Roster, shifts: Sequence[Shift], frozen: datetime | None) -> str:
    config = roster.config
    head = (
        f"{roster.name}: handoff {WEEKDAYS[config.handoff.weekday].capitalize()} "
        f"{config.handoff.at:%H:%M} {config.handoff.timezone}"
    )
    if frozen:
        head += f"; published (frozen) until {local(roster, frozen)}"
    lines = [head]
    for shift in shifts:
        people = "  ".join(f"{role} @{login}" for role, login in shift.roles.items())
        mark = "  [frozen]" if frozen and shift.end <= frozen else ""
        lines.append(
            f"  {local(roster, shift.start)} → {local(roster, shift.end)}  "
            f"{people or '(nobody available)'}{mark}"
        )
    if config.escalation:
        lines.append("  escalation: " + ", ".join(f"@{m}" for m in config.escalation))
    return "\n".join(lines)


def conflict_text(roster: Roster, conflict: schedule.Conflict) -> str:
    who = f"@{conflict.login}" if conflict.login else "nobody"
    return (
        f"{roster.name}: {local(roster, conflict.start)}: {conflict.role} {who} "
        f"{conflict.reason}; add an override in rotations/{roster.name}.yaml"
        if conflict.login
        else f"{roster.name}: {local(roster, conflict.start)}: no {conflict.role}: "
        f"{conflict.reason}"
    )


# ---- the calendar feed ---------------------------------------------------------------------


def ics_path(repo: Path, name: str) -> Path:
    return repo / "rotations" / f"{name}.ics"


def feed_shifts(repo: Path, roster: Roster, now: datetime) -> list[Shift]:
    """Recently served shifts, then the coming weeks."""
    ahead = rotation_store.weeks_for(repo, roster, now, FEED_WEEKS)
    first = ahead[0].start if ahead else now
    since = first - timedelta(weeks=FEED_PAST_WEEKS)
    past = [r.shift() for r in rotation_store.served(repo, roster.name) if since <= r.start < first]
    return past + ahead


def write_ics(ctx: Context, roster: Roster) -> bool:
    data = ics.calendar(
        roster.name,
        feed_shifts(ctx.repo, roster, ctx.now),
        description=roster.config.description,
    )
    target = ics_path(ctx.repo, roster.name)
    if target.exists() and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


# ---- a pull request's preview --------------------------------------------------------------


def preview(ctx: Context, before_dir: Path, name: str | None, weeks: int) -> int:
    """Validate the changed data, then show the next `weeks` weeks before and after."""
    from . import validate

    validate.check_all(ctx, argparse.Namespace(against=""))
    try:
        old = {r.name: r for r in rotation_store.load_rotations(before_dir)}
    except DataError:
        old = {}  # the base was already broken: show the change against nothing
    new = {r.name: r for r in rotation_store.load_rotations(ctx.repo)}
    names = [n for n in sorted(old.keys() | new.keys()) if name is None or n == name]
    sections = []
    for rotation in names:
        # Both sides use the published weeks of the base: a pull request cannot unfreeze them.
        published = rotation_store.published(before_dir, rotation)
        before = _weeks(old.get(rotation), published, ctx.now, weeks)
        after = _weeks(new.get(rotation), published, ctx.now, weeks)
        roster = new.get(rotation) or old[rotation]
        conflicts = (
            schedule.conflicts(roster.config, [s for s in after if s.end > ctx.now][:1])
            if rotation in new
            else []
        )
        sections.append(preview_markdown(roster, before, after, conflicts))
    text = "\n\n".join(sections) or "No rotations."
    ctx.say(text)
    ctx.summary(text)
    return 0


def _weeks(roster: Roster | None, published: list[Shift], now: datetime, weeks: int) -> list[Shift]:
    if roster is None:
        return []
    return schedule.weeks_from(roster.config, published, now, weeks)


def preview_markdown(
    roster: Roster, before: Sequence[Shift], after: Sequence[Shift], conflicts: Sequence
) -> str:
    lines = [f"### Rotation `{roster.name}`: the next {max(len(before), len(after))} weeks", ""]
    roles = roster.config.roles
    lines.append("| Week | " + " | ".join(roles) + " | |")
    lines.append("|---|" + "---|" * len(roles) + "---|")
    old = {s.start: s for s in before}
    moved: dict[str, int] = {}
    starts = sorted({s.start for s in before} | {s.start for s in after})
    new = {s.start: s for s in after}
    for start in starts:
        a, b = old.get(start), new.get(start)
        cells = []
        for role in roles:
            x = a.roles.get(role) if a else None
            y = b.roles.get(role) if b else None
            if x == y:
                cells.append(f"@{y}" if y else "—")
            else:
                cells.append(f"~~{'@' + x if x else '—'}~~ → **{'@' + y if y else '—'}**")
                for login, change in ((x, -1), (y, 1)):
                    if login:
                        moved[login] = moved.get(login, 0) + change
        changed = "moved" if a is None or b is None or a.roles != b.roles else ""
        lines.append(f"| {local(roster, start)} | " + " | ".join(cells) + f" | {changed} |")
    lines.append("")
    if any(moved.values()):
        gains = ", ".join(f"@{k} {v:+d}" for k, v in sorted(moved.items()) if v)
        lines.append(f"Shifts gained or lost: {gains}.")
    elif moved:
        lines.append("Some shifts moved between people; everyone keeps their count.")
    else:
        lines.append("No shift moves in these weeks.")
    for conflict in conflicts:
        lines.append(f"- ⚠ {conflict_text(roster, conflict)}")
    return "\n".join(lines)
