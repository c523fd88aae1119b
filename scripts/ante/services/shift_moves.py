"""Telling people a pull request moves their shifts: one comment on the pull request naming
each person whose future shifts change, with the old and the new dates, edited in place on
every push (so nobody learns of a moved shift by surprise)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ante.context import Context
from ante.core.moves import Held, Move
from ante.files.rotations import Roster
from ante.github import payloads

MARKER = "rotation-moves"


def _dates(roster: Roster, held: Sequence[Held]) -> str:
    zone = roster.config.zone
    parts = [
        f"{role} {start.astimezone(zone):%a %d %b %Y %H:%M} → {end.astimezone(zone):%a %d %b %H:%M}"
        for role, start, end in held
    ]
    return "; ".join(parts) or "none"


def section(roster: Roster, found: Sequence[Move], mention: bool) -> list[str]:
    """The lines for one rotation: `@login` mentions in the comment, plain names elsewhere."""
    at = "@" if mention else ""
    zone = roster.config.handoff.timezone
    lines = [f"**`{roster.name}`** (times in {zone}):", ""]
    for move in found:
        lines.append(f"- {at}{move.login}")
        lines.append(f"  - before: {_dates(roster, move.old)}")
        lines.append(f"  - after: {_dates(roster, move.new)}")
    return lines


def summary(per_rotation: Sequence[tuple[Roster, Sequence[Move]]]) -> str:
    """For the job summary: who moves, without mentions."""
    moved = [(r, m) for r, m in per_rotation if m]
    if not moved:
        return "No future shift moves for anyone."
    lines = ["#### Whose future shifts this change moves", ""]
    for roster, found in moved:
        lines += [*section(roster, found, mention=False), ""]
    return "\n".join(lines).rstrip()


def comment_text(per_rotation: Sequence[tuple[Roster, Sequence[Move]]]) -> str:
    moved = [(r, m) for r, m in per_rotation if m]
    people = {m.login.lower() for _, found in moved for m in found}
    if not moved:
        return "This pull request no longer moves anyone's on-call shifts."
    lines = [
        f"**This pull request moves the on-call shifts of {len(people)} "
        f"{'person' if len(people) == 1 else 'people'}.** Please check your new dates, and "
        "say so here if they do not suit you:",
        "",
    ]
    for roster, found in moved:
        lines += [*section(roster, found, mention=True), ""]
    lines.append("<sub>Kept up to date by ante's rotation check on every push.</sub>")
    return "\n".join(lines)


def comment(ctx: Context, per_rotation: Sequence[tuple[Roster, Sequence[Move]]]) -> None:
    """One comment on the pull request (created when someone moves, updated afterwards)."""
    gh = ctx.github
    source = ctx.settings.event_path
    if gh is None or not source:
        ctx.say("no token or no pull request event: the people moved are not told")
        return
    payload = payloads.load_payload(Path(source), forwarded=False)
    pull = payload.get("pull_request") if isinstance(payload, dict) else None
    repo = (payload.get("repository") or {}).get("full_name") if isinstance(payload, dict) else None
    if not isinstance(pull, dict) or not repo:
        ctx.say("not a pull request event: the people moved are not told")
        return
    from ante.github.types import GitHubError, marker_tag

    number = int(pull["number"])
    moved = any(found for _, found in per_rotation)
    try:
        existing = any(
            c.body.startswith(marker_tag(MARKER)) for c in gh.comments(str(repo), number)
        )
        if not moved and not existing:
            return
        gh.upsert_comment(str(repo), number, MARKER, comment_text(per_rotation))
    except GitHubError as error:
        if error.status in (403, 404):  # a fork's read-only token
            ctx.warn(
                "could not comment on the pull request (read-only token, e.g. from a fork): "
                "the job summary lists whose shifts move"
            )
            return
        raise
    ctx.say(f"told the people moved on pull request #{number}")
