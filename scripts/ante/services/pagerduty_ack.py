"""PagerDuty's own acknowledgement, read back: an emergency acknowledged (or resolved) in
PagerDuty counts as acknowledged on the issue, and ante stops escalating it.

Only with `notify.pagerduty.api_key` naming a secret that holds a REST API key (read-only is
enough). The lookup fails open: PagerDuty unreachable, the key refused, an answer not understood
— the escalation goes on as if nobody acknowledged there (people are paged rather than not), and
the job summary says why, never with the key in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ante.context import Context
from ante.core import paging
from ante.core.notify import NotifyPolicy, dedup_key
from ante.core.paging import Handled
from ante.files.emergencies import Page
from ante.render.escape import markdown

MARKER = "pagerduty-ack"
VIA = "pagerduty"
_INCIDENT_URL = re.compile(r"^https://[A-Za-z0-9.-]+/incidents/[A-Za-z0-9]+$")


@dataclass(frozen=True)
class Lookup:
    handled: Handled | None = None
    failure: str | None = None  # why PagerDuty could not be asked (secrets scrubbed)


def look_up(ctx: Context, config: NotifyPolicy, page: Page, since: datetime) -> Lookup:
    """Whether PagerDuty's incident for `page`, paged at `since`, was acknowledged or resolved
    there."""
    pagerduty = config.pagerduty
    if pagerduty is None or pagerduty.api_key is None:
        return Lookup()
    key = ctx.environ.get(pagerduty.api_key, "").strip()
    if not key:
        return Lookup(
            failure=f"the secret `{pagerduty.api_key}` is not set for this job: "
            "acknowledgements in PagerDuty are not read"
        )
    from ante.notify.incidents import LookupFailed, find

    try:
        incidents = find(pagerduty.api_url, key, dedup_key(page.issue))
    except LookupFailed as exc:
        return Lookup(failure=str(exc).replace(key, "***"))
    return Lookup(paging.handled_in_pagerduty(incidents, since))


def acknowledged(page: Page, handled: Handled) -> Page:
    """The page, acknowledged by what PagerDuty says."""
    return page.model_copy(
        update={
            "acknowledged": handled.at,
            "acknowledged_by": handled.by or "someone",
            "acknowledged_via": VIA,
        }
    )


def comment(page: Page, handled: Handled | None, when: str) -> str:
    """ante's one comment saying the emergency was acknowledged in PagerDuty."""
    who = markdown(page.acknowledged_by or "someone", 100)
    what = "Resolved" if handled is not None and handled.status == "resolved" else "Acknowledged"
    incident = ""
    if handled is not None and handled.number is not None:
        incident = f" (incident #{handled.number})"
        if handled.url and _INCIDENT_URL.match(handled.url):
            incident = f" ([incident {handled.number}]({handled.url}))"
    return (
        f"**{what} in PagerDuty** by {who}, {when}{incident}: ante counts it as the "
        "acknowledgement and pages nobody further for this emergency."
    )


def failure_text(page: Page, failure: str, taken: int, at: datetime) -> str:
    """The job summary's line when PagerDuty could not be asked."""
    then = f"{at:%H:%M} UTC"
    goes_on = (
        f"escalated anyway ({taken} step(s) taken)"
        if taken
        else "escalation goes on as if nobody acknowledged there"
    )
    return f"- #{page.number}: could not read PagerDuty's incident at {then} ({failure}): {goes_on}"
