"""A fake PagerDuty REST API (`GET /incidents`) over the incidents the fake Events receiver opened.

Every request and every answer is checked with openapi-core against PagerDuty's published REST
description (tests/schemas/pagerduty-rest-incidents.openapiv3.json, a subset of
reference/REST/openapiv3.json); a mismatch is collected in `violations` (a test asserts none)
and a bad request is answered 400 as PagerDuty would. Authentication as PagerDuty does it:
`Authorization: Token token=<key>`, else 401 with PagerDuty's error body.

In the app a person acknowledges or resolves an incident: `receivers.set_status(key, status,
by="Dave Smith")`. `receivers.fail(PATH, 503, …)` makes PagerDuty answer errors first;
`UNREACHABLE` is an address nothing listens on.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug import Request, Response

from testbed.receivers import Alert, Receivers

SCHEMA = Path(__file__).parents[1] / "schemas" / "pagerduty-rest-incidents.openapiv3.json"
BASE = "/pagerduty/api"
PATH = BASE + "/incidents"
API_KEY = "u+FakeRestKey_4sY9xQ2"  # the shape of a PagerDuty REST API key (20 characters)
WEB = "https://ante-test.pagerduty.com"
API = "https://api.pagerduty.com"
ACCEPT = "application/vnd.pagerduty+json;version=2"
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused


@cache
def openapi() -> OpenAPI:
    """PagerDuty's description, served under BASE; one documented patch (`_nullable_times`)."""
    spec = json.loads(SCHEMA.read_text(encoding="utf-8"))
    _nullable_times(spec)
    spec["servers"] = [{"url": BASE}]
    # None skips validating the description itself (documented; the type hint leaves it out).
    config = Config(spec_validator_cls=None)  # type: ignore[arg-type]
    return OpenAPI.from_dict(spec, config=config)


def _nullable_times(spec: dict[str, Any]) -> None:
    """The description types `resolved_at` as a date-time string, but documents it as "the time
    the incident became resolved or `null` if the incident is not resolved", which is what the
    API sends: the documentation wins, the schema allows null."""
    incident = spec["components"]["schemas"]["Incident"]["allOf"][1]["properties"]
    incident["resolved_at"]["nullable"] = True


class PagerDutyAPI:
    def __init__(self, receivers: Receivers, key: str = API_KEY) -> None:
        self.receivers = receivers
        self.key = key
        self.violations: list[str] = []
        self.queries: list[dict[str, list[str]]] = []
        handler = receivers._faulty(PATH, self._incidents)
        receivers.server.expect_request(PATH, method="GET").respond_with_handler(handler)

    @property
    def url(self) -> str:
        return self.receivers.url(BASE)

    # -- the handler -----------------------------------------------------------------------

    def _incidents(self, request: Request) -> Response:
        self.queries.append({k: request.args.getlist(k) for k in request.args})
        checked = WerkzeugOpenAPIRequest(request)
        errors = [repr(e) for e in openapi().iter_request_errors(checked)]
        # OpenAPI ignores parameters named Accept, Content-Type and Authorization; PagerDuty's
        # description still marks its versioning Accept required, so the fake checks it itself.
        if request.headers.get("Accept") != ACCEPT:
            errors.append("Accept is not application/vnd.pagerduty+json;version=2")
        if errors:
            self.violations += [f"request: {e}" for e in errors]
            if any(e.startswith("SecurityValidationError") for e in errors):
                return self._error(401, "Unauthorized", 2006, [])
            return self._error(400, "Invalid Input Provided", 2001, errors)
        if request.headers.get("Authorization") != f"Token token={self.key}":
            return self._error(401, "Unauthorized", 2006, [])
        found = self._select(request)
        limit = int(request.args.get("limit", "25"))
        body = {
            "incidents": [self._incident(a) for a in found[:limit]],
            "limit": limit,
            "offset": 0,
            "more": len(found) > limit,
            "total": None,
        }
        response = Response(json.dumps(body), status=200, content_type="application/json")
        for error in openapi().iter_response_errors(checked, WerkzeugOpenAPIResponse(response)):
            self.violations.append(f"response: {error!r}")
        return response

    def _select(self, request: Request) -> list[Alert]:
        found = list(self.receivers.incident_log)
        key = request.args.get("incident_key")
        if key is not None:
            found = [a for a in found if a.dedup_key == key]
        if request.args.get("date_range") != "all":  # PagerDuty's default: the last month
            now = self.receivers.clock()
            since = _time(request.args.get("since")) or now - timedelta(days=30)
            until = _time(request.args.get("until")) or now
            found = [a for a in found if since <= a.created <= until]
        statuses = request.args.getlist("statuses[]")
        if statuses:
            found = [a for a in found if a.status in statuses]
        order = request.args.get("sort_by", "incident_number:asc")
        field, _, direction = order.partition(":")
        sort = {"created_at": lambda a: a.created}.get(field, lambda a: a.number)
        return sorted(found, key=sort, reverse=direction == "desc")

    def _incident(self, alert: Alert) -> dict[str, Any]:
        ident = f"Q{alert.number:06d}"
        changed = alert.changed or alert.created
        triggered = alert.status != "resolved"
        return {
            "id": ident,
            "type": "incident",
            "summary": f"[#{alert.number}] {alert.summary}",
            "self": f"{API}/incidents/{ident}",
            "html_url": f"{WEB}/incidents/{ident}",
            "incident_number": alert.number,
            "title": alert.summary,
            "created_at": _text(alert.created),
            "updated_at": _text(changed),
            "status": alert.status,
            "incident_key": alert.dedup_key,
            "service": _ref("PSVC001", "service_reference", "ante emergencies", "services"),
            "assignments": [{"at": _text(alert.created), "assignee": _ref(*_user("Dave Smith"))}]
            if triggered
            else [],
            "assigned_via": "escalation_policy",
            "last_status_change_at": _text(changed),
            "last_status_change_by": _ref(*_user(alert.changed_by))
            if alert.changed_by
            else _ref("PSVC001", "service_reference", "ante emergencies", "services"),
            "resolved_at": _text(alert.resolved) if alert.resolved else None,
            "first_trigger_log_entry": _ref(
                "R" + ident,
                "trigger_log_entry_reference",
                "Triggered through the API",
                "log_entries",
            ),
            "alert_counts": {"all": 1, "triggered": int(triggered), "resolved": int(not triggered)},
            "is_mergeable": True,
            "escalation_policy": _ref(
                "PEP0001", "escalation_policy_reference", "Product on-call", "escalation_policies"
            ),
            "teams": [],
            "pending_actions": [],
            "acknowledgements": [
                {"at": _text(at), "acknowledger": _ref(*_user(by))}
                for at, by in alert.acknowledgements
            ]
            if alert.status == "acknowledged"
            else [],
            "urgency": "high",
        }

    def _error(self, status: int, message: str, code: int, errors: list[str]) -> Response:
        body = {"error": {"message": message, "code": code, "errors": errors}}
        return Response(json.dumps(body), status=status, content_type="application/json")


def _user(name: str | None) -> tuple[str, str, str, str]:
    ident = "PU" + "".join(c for c in (name or "x").upper() if c.isalnum())[:5]
    return ident, "user_reference", name or "", "users"


def _ref(ident: str, kind: str, summary: str, collection: str) -> dict[str, Any]:
    return {
        "id": ident,
        "type": kind,
        "summary": summary,
        "self": f"{API}/{collection}/{ident}",
        "html_url": f"{WEB}/{collection}/{ident}",
    }


def _text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
