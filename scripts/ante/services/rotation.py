"""The work behind `ante rotation`; its command module only turns arguments into a call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from ante.context import Context
from ante.core import schedule
from ante.core.rotation import WEEKDAYS
from ante.core.schedule import Shift
from ante.errors import DataError, UsageError
from ante.files import rotations
from ante.files.rotations import Roster
from ante.render import ics

VERBS = ("ics", "preview")


FEED_PAST_WEEKS, FEED_WEEKS = 8, 26


def parse_words(words: Sequence[str]) -> tuple[str, str | None]:
    """(verb, name): `rotation NAME`, `rotation ics NAME`, `rotation preview`."""
    verb = "show"
    rest = list(words)
    if rest and rest[0] in VERBS:
        verb = rest.pop(0)
    if len(rest) > 1:
        raise UsageError(f"rotation: too many names: {' '.join(rest)}")
    return verb, rest[0] if rest else None


def _all(repo: Path) -> list[Roster]:
    rosters = rotations.load_rotations(repo)
    if not rosters:
        from ante.errors import AnteError

        raise AnteError("no rotation here: add one as rotations/<name>.yaml")
    return rosters


def frozen_until(repo: Path, roster: Roster) -> datetime | None:
    published = rotations.published(repo, roster.name)
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


def ics_path(repo: Path, name: str) -> Path:
    return repo / "rotations" / f"{name}.ics"


def feed_shifts(repo: Path, roster: Roster, now: datetime) -> list[Shift]:
    """Recently served shifts, then the coming weeks."""
    ahead = rotations.weeks_for(repo, roster, now, FEED_WEEKS)
    first = ahead[0].start if ahead else now
    try:
        since = first - timedelta(weeks=FEED_PAST_WEEKS)
    except OverflowError:  # a published week in year 1 (any date is valid): all that was served
        since = datetime.min.replace(tzinfo=first.tzinfo)
    past = [r.shift() for r in rotations.served(repo, roster.name) if since <= r.start < first]
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


def preview(
    ctx: Context, before_dir: Path, name: str | None, weeks: int, *, tell: bool = False
) -> int:
    """Validate the changed data, then show the next `weeks` weeks before and after."""
    from ante.services import validate

    validate.check_all(ctx, against="HEAD")  # a committed history is trusted by git and seals
    try:
        old = {r.name: r for r in rotations.load_rotations(before_dir)}
    except DataError:
        old = {}  # the base was already broken: show the change against nothing
    new = {r.name: r for r in rotations.load_rotations(ctx.repo)}
    names = [n for n in sorted(old.keys() | new.keys()) if name is None or n == name]
    from ante.core.moves import Move, moves
    from ante.services import shift_moves

    sections = []
    moved: list[tuple[Roster, list[Move]]] = []
    for rotation in names:
        # Both sides use the published weeks of the base: a pull request cannot unfreeze them.
        published = rotations.published(before_dir, rotation)
        before = _weeks(old.get(rotation), published, ctx.now, weeks)
        after = _weeks(new.get(rotation), published, ctx.now, weeks)
        roster = new.get(rotation) or old[rotation]
        conflicts = (
            schedule.conflicts(roster.config, [s for s in after if s.end > ctx.now][:1])
            if rotation in new
            else []
        )
        sections.append(preview_markdown(roster, before, after, conflicts))
        moved.append((roster, moves(before, after, ctx.now)))
    if moved:
        sections.append(shift_moves.summary(moved))
    text = "\n\n".join(sections) or "No rotations."
    ctx.say(text)
    ctx.summary(text)
    if tell:
        shift_moves.comment(ctx, moved)
    return 0


def _weeks(roster: Roster | None, published: list[Shift], now: datetime, weeks: int) -> list[Shift]:
    if roster is None:
        return []
    return schedule.weeks_from(roster.config, published, now, weeks)


def preview_markdown(
    roster: Roster,
    before: Sequence[Shift],
    after: Sequence[Shift],
    conflicts: Sequence[schedule.Conflict],
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
