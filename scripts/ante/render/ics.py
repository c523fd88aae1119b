"""The calendar feed: one event per shift and role, subscribed to from the repo's raw URL.

Times are written in UTC, which every calendar app imports; each event's UID is stable for
the same shift and role, so a refreshed subscription updates events rather than doubling them.
"""

from __future__ import annotations

from collections.abc import Sequence

from ante.core.schedule import Shift
from ante.render import escape

PRODID = "-//ante//on-call rotation//EN"


def role_title(role: str) -> str:
    return {"captain": "Captain On-Call", "first-mate": "First-mate Firefighter"}.get(
        role, role.replace("-", " ").capitalize()
    )


def uid(rotation: str, role: str, shift: Shift) -> str:
    return f"{rotation}-{role}-{shift.start.strftime('%Y%m%dT%H%M%SZ')}@ante"


def calendar(rotation: str, shifts: Sequence[Shift], *, description: str | None = None) -> bytes:
    from icalendar import (
        Calendar,
        Event,
        vText,
    )  # only when a calendar is written (~0.15 s to import)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # X- properties have no type icalendar knows: as vText they are escaped (RFC 5545 3.3.11).
    cal.add("x-wr-calname", vText(escape.ics(f"On-call: {rotation}")))
    if description:
        cal.add("x-wr-caldesc", vText(escape.ics(description)))
    for shift in shifts:
        for role, login in shift.roles.items():
            event = Event()
            event.add("uid", uid(rotation, role, shift))
            event.add("dtstamp", shift.start)
            event.add("dtstart", shift.start)
            event.add("dtend", shift.end)
            event.add("summary", escape.ics(f"{role_title(role)}: @{login}"))
            event.add("description", escape.ics(f"{login} is {role} in the {rotation} rotation."))
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
