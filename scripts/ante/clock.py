"""The one place ante reads the wall clock; everything else receives `now`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

from ante.errors import UsageError


def parse_instant(text: str, *, what: str = "--now") -> datetime:
    """An ISO-8601 date or date-time; naive values are taken as UTC."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{what}: not an ISO-8601 date or time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def now(pinned: str | None, environ: Mapping[str, str]) -> datetime:
    """`--now` wins, then ANTE_NOW, then the real clock (UTC)."""
    text = pinned or environ.get("ANTE_NOW")
    if text:
        return parse_instant(text, what="--now" if pinned else "ANTE_NOW")
    return datetime.now(UTC).replace(microsecond=0)


def iso_week(day: date) -> str:
    """`2026-W48` for any day of that ISO week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(week: str) -> date:
    """The Monday of an ISO week given as `YYYY-Www`."""
    try:
        year, num = week.split("-W")
        return date.fromisocalendar(int(year), int(num), 1)
    except ValueError:
        raise UsageError(f"not an ISO week (YYYY-Www): {week!r}") from None


def utc_text(moment: datetime) -> str:
    """`2026-11-22T10:00:00Z`: the one spelling of instants in tool-written files."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
