"""PagerDuty's REST API, read only: the incident an emergency's page opened, by its dedup key.

`GET /incidents?incident_key=<dedup_key>&date_range=all` (PagerDuty's "List incidents"; an
incident's `incident_key` is the Events API's `dedup_key`), with the REST API's headers:
`Authorization: Token token=<key>` and the versioning `Accept`. A read-only API key is enough.

One attempt, a short timeout: the caller polls again a minute later, and an escalation must
never wait on PagerDuty. Every failure is a `LookupFailed` described by status or failure kind,
never by the request (which holds the key).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import requests

from ante.core.paging import Incident

ACCEPT = "application/vnd.pagerduty+json;version=2"
TIMEOUT = 10  # seconds
LIMIT = 25  # incidents per lookup: one per time the emergency was paged


class LookupFailed(Exception):
    """PagerDuty could not be asked, or its answer was not understood."""


def find(api_url: str, api_key: str, incident_key: str) -> list[Incident]:
    """Every incident PagerDuty holds under `incident_key`, newest first."""
    try:
        response = requests.get(
            api_url.rstrip("/") + "/incidents",
            params={
                "incident_key": incident_key,
                "date_range": "all",
                "sort_by": "created_at:desc",
                "limit": str(LIMIT),
            },
            headers={
                "Accept": ACCEPT,
                "Content-Type": "application/json",
                "Authorization": f"Token token={api_key}",
            },
            timeout=TIMEOUT,
        )
    except requests.Timeout:
        raise LookupFailed(f"timed out after {TIMEOUT} s") from None
    except requests.RequestException as exc:  # the message may hold the URL: the kind only
        raise LookupFailed(f"could not connect ({type(exc).__name__})") from None
    status = response.status_code
    if status != 200:
        why = {
            401: "the API key was refused",
            403: "the API key may not read incidents",
            429: "rate limited",
        }.get(status, "PagerDuty's error" if status >= 500 else "the request was refused")
        raise LookupFailed(f"HTTP {status}: {why}")
    try:
        return [_incident(item) for item in response.json()["incidents"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise LookupFailed("an answer that is not PagerDuty's list of incidents") from None


def _incident(item: dict[str, Any]) -> Incident:
    acks = tuple(
        (_time(a["at"]), _name(a.get("acknowledger"))) for a in item.get("acknowledgements") or ()
    )
    return Incident(
        status=str(item["status"]),
        created=_time(item["created_at"]),
        number=item.get("incident_number"),
        url=item.get("html_url"),
        acknowledgements=tuple((at, who or "someone") for at, who in acks),
        changed=_time(item["last_status_change_at"]) if item.get("last_status_change_at") else None,
        changed_by=_name(item.get("last_status_change_by")),
        resolved=_time(item["resolved_at"]) if item.get("resolved_at") else None,
    )


def _time(text: str) -> datetime:
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")
    return moment


def _name(reference: Any) -> str | None:
    """A user or service reference's name: its `summary`, or a full object's `name`."""
    if not isinstance(reference, dict):
        return None
    name = reference.get("summary") or reference.get("name")
    return str(name) if name else None
