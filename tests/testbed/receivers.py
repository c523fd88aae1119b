"""Fake notification receivers on a real local HTTP server (pytest-httpserver):

- PagerDuty's Events API v2 (`/pagerduty/v2/enqueue`): every request validated against
  PagerDuty's published schema (tests/schemas/), and PagerDuty's alert semantics: a trigger
  with the dedup_key of an open alert adds nothing, a resolve closes it;
- a chat incoming webhook (`/chat`), answering `ok` like Slack's;
- a Standard Webhooks receiver (`/webhook`) that checks the signature (with the reference
  library and, independently, by the specification's own recipe) and drops repeated ids.

`fail(path, *statuses)` makes the next requests to `path` answer with those statuses first.
Each alert opens an incident (`incident_log`) that PagerDuty's REST API (`pagerduty_api.py`)
shows; `now` pins the receivers' clock (PagerDuty stamps incidents when events arrive).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
from pytest_httpserver import HTTPServer
from standardwebhooks.webhooks import Webhook
from werkzeug import Request, Response

SCHEMA = Path(__file__).parents[1] / "schemas" / "pagerduty-events-v2.openapiv3.json"
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"a signing key of 32 bytes long!!").decode()


def pagerduty_validator() -> jsonschema.Draft7Validator:
    spec = json.loads(SCHEMA.read_text(encoding="utf-8"))
    body = spec["paths"]["/enqueue"]["post"]["requestBody"]["content"]["application/json"]
    schema = {**body["schema"], "components": spec["components"]}
    return jsonschema.Draft7Validator(schema)


@dataclass
class Alert:
    """An alert and the incident it opened (PagerDuty: one incident per alert, here)."""

    dedup_key: str
    summary: str
    created: datetime
    number: int = 0
    status: str = "triggered"
    triggers: int = 0
    acknowledgements: list[tuple[datetime, str]] = field(default_factory=list)
    changed: datetime | None = None
    changed_by: str | None = None  # a person's name, or None: the integration (the API)
    resolved: datetime | None = None


@dataclass
class Receivers:
    server: HTTPServer
    routing_key: str = "R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY00"
    events: list[dict[str, Any]] = field(default_factory=list)
    alerts: dict[str, Alert] = field(default_factory=dict)
    incidents: int = 0
    chat: list[str] = field(default_factory=list)
    webhooks: list[dict[str, Any]] = field(default_factory=list)
    webhook_ids: set[str] = field(default_factory=set)
    rejected: list[str] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)
    incident_log: list[Alert] = field(default_factory=list)  # every incident, oldest first
    now: datetime | None = None  # None: the wall clock
    _faults: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._schema = pagerduty_validator()
        for path, handler in (
            ("/pagerduty/v2/enqueue", self._pagerduty),
            ("/chat", self._chat),
            ("/webhook", self._webhook),
        ):
            self.server.expect_request(path, method="POST").respond_with_handler(
                self._faulty(path, handler)
            )

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def env(self) -> dict[str, str]:
        """The job's secrets, named as in `policy()`."""
        return {
            "PAGERDUTY_ROUTING_KEY": self.routing_key,
            "CHAT_WEBHOOK_URL": self.url("/chat"),
            "ANTE_WEBHOOK_URL": self.url("/webhook"),
            "ANTE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        }

    def policy(
        self, attempts: int = 4, backoff: float = 0, api: str | None = None, escalates: bool = False
    ) -> str:
        """A `notify:` section for ledger/policy.yaml using all three receivers; `api`: read
        PagerDuty's acknowledgements from the REST API there (key: PAGERDUTY_API_KEY)."""
        rest = f"    api_key: PAGERDUTY_API_KEY\n    api_url: {api}\n" if api else ""
        return (
            "notify:\n"
            "  pagerduty:\n"
            "    routing_key: PAGERDUTY_ROUTING_KEY\n"
            f"    url: {self.url('/pagerduty/v2/enqueue')}\n"
            f"    escalates: {str(escalates).lower()}\n"
            f"{rest}"
            "  chat:\n"
            "    webhook: CHAT_WEBHOOK_URL\n"
            "  webhook:\n"
            "    url: ANTE_WEBHOOK_URL\n"
            "    secret: ANTE_WEBHOOK_SECRET\n"
            f"  attempts: {attempts}\n"
            f"  backoff_seconds: {backoff}\n"
        )

    def fail(self, path: str, *statuses: int) -> None:
        self._faults.setdefault(path, []).extend(statuses)

    def clock(self) -> datetime:
        return self.now or datetime.now(UTC).replace(microsecond=0)

    def set_status(self, dedup_key: str, status: str, by: str | None) -> Alert:
        """An incident acknowledged or resolved, by a person in PagerDuty's app (`by`) or by an
        event from the integration (None)."""
        alert = self.alerts[dedup_key]
        at = self.clock()
        if status == "acknowledged" and by is not None:
            alert.acknowledgements.append((at, by))
        if status == "resolved":
            alert.resolved, alert.acknowledgements = at, []
        alert.status, alert.changed, alert.changed_by = status, at, by
        return alert

    def secrets(self) -> list[str]:
        key = WEBHOOK_SECRET.removeprefix("whsec_")
        return [*self.env().values(), key]

    # -- handlers --------------------------------------------------------------------------

    def _faulty(
        self, path: str, handler: Callable[[Request], Response]
    ) -> Callable[[Request], Response]:
        def respond(request: Request) -> Response:
            self.requests[path] = self.requests.get(path, 0) + 1
            pending = self._faults.get(path)
            if pending:
                return Response("injected failure", status=pending.pop(0))
            return handler(request)

        return respond

    def _pagerduty(self, request: Request) -> Response:
        try:
            event = json.loads(request.get_data(as_text=True))
        except ValueError:
            return self._bad("JSON parse error")
        errors = sorted(self._schema.iter_errors(event), key=str)
        if errors:
            return self._bad("; ".join(e.message for e in errors))
        if event["routing_key"] != self.routing_key:
            return self._bad("Invalid routing key")
        action, key = event["event_action"], event.get("dedup_key")
        if action != "trigger" and not key:
            return self._bad("dedup_key is required unless the event_action is trigger")
        self.events.append(event)
        alert = self.alerts.get(key or "")
        if action == "trigger":
            if alert is None or alert.status == "resolved":
                key = key or f"generated-{len(self.alerts)}"
                alert = Alert(key, event["payload"]["summary"], self.clock())
                self.alerts[alert.dedup_key] = alert
                self.incidents += 1
                alert.number = self.incidents
                self.incident_log.append(alert)
            alert.triggers += 1
        elif alert is not None and alert.status != "resolved":
            self.set_status(alert.dedup_key, f"{action}d", None)
        body = {"status": "success", "message": "Event processed", "dedup_key": key}
        return Response(json.dumps(body), status=202, content_type="application/json")

    def _bad(self, why: str) -> Response:
        self.rejected.append(why)
        body = {"status": "invalid event", "message": "Event object is invalid", "errors": [why]}
        return Response(json.dumps(body), status=400, content_type="application/json")

    def _chat(self, request: Request) -> Response:
        self.chat.append(json.loads(request.get_data(as_text=True))["text"])
        return Response("ok", status=200, content_type="text/plain")

    def _webhook(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            Webhook(WEBHOOK_SECRET).verify(body, headers)
        except Exception as exc:
            self.rejected.append(f"signature: {exc}")
            return Response("bad signature", status=401)
        if not by_the_spec(body, headers):
            self.rejected.append("signature: the specification's recipe disagrees")
            return Response("bad signature", status=401)
        if headers["webhook-id"] not in self.webhook_ids:  # a repeat is acknowledged, not redone
            self.webhook_ids.add(headers["webhook-id"])
            self.webhooks.append(json.loads(body))
        return Response("", status=204)


def by_the_spec(body: str, headers: dict[str, str]) -> bool:
    """Standard Webhooks, section "Signature scheme": HMAC-SHA256 over `id.timestamp.body`
    with the base64-decoded secret, base64-encoded, as `v1,<signature>` (space-separated list).
    """
    key = base64.b64decode(WEBHOOK_SECRET.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{body}".encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [s.split(",", 1) for s in headers["webhook-signature"].split(" ")]
    return any(v == "v1" and hmac.compare_digest(sig, expected) for v, sig in offered)
