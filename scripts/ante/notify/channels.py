"""The channels: each turns a `Notice` into one HTTP request, or says it has nothing to send.

A channel's secrets (the PagerDuty routing key, the chat webhook URL, the webhook URL and
signing key) come from the environment by the names the policy gives; they go into requests
and nowhere else: errors are described by status code or failure kind, never by the request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import requests

from ante.clock import utc_text
from ante.core.notify import Chat, Notice, NotifyPolicy, PagerDuty, Webhook, wanted

TIMEOUT = 10  # seconds per request
CLIENT = "ante"


class DeliveryError(Exception):
    """A failed attempt; `retry` says whether trying again may help (5xx, 429, network)."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class Channel(Protocol):
    name: str

    def accepts(self, notice: Notice) -> bool: ...

    def send(self, notice: Notice) -> None: ...


def _post(url: str, body: bytes, headers: Mapping[str, str], ok: set[int]) -> None:
    try:
        response = requests.post(url, data=body, headers=dict(headers), timeout=TIMEOUT)
    except requests.Timeout:
        raise DeliveryError("timed out", retry=True) from None
    except requests.RequestException as exc:  # the message may hold the URL: name the kind only
        raise DeliveryError(f"could not connect ({type(exc).__name__})", retry=True) from None
    status = response.status_code
    if status in ok or (not ok and 200 <= status < 300):
        return
    retry = status == 429 or status >= 500 or status == 408
    raise DeliveryError(f"HTTP {status}", retry=retry)


@dataclass
class PagerDutyChannel:
    """Events API v2: `trigger` on a page (the issue's dedup_key), `acknowledge` when someone
    answers on the issue, `resolve` when it closes."""

    config: PagerDuty
    routing_key: str
    name: str = "pagerduty"

    def accepts(self, notice: Notice) -> bool:
        return notice.kind in ("page", "acknowledge", "resolve") and notice.dedup is not None

    def event(self, notice: Notice) -> dict[str, Any]:
        action = notice.kind if notice.kind in ("acknowledge", "resolve") else "trigger"
        event: dict[str, Any] = {
            "routing_key": self.routing_key,
            "event_action": action,
            "dedup_key": notice.dedup,
        }
        if action == "trigger":
            event["payload"] = {
                "summary": notice.summary[:1024],
                "source": notice.details.get("repository", CLIENT),
                "severity": "critical",
                "timestamp": notice.at.astimezone(UTC).isoformat(),
                "component": notice.details.get("rotation", "on-call"),
                "group": "product-emergency",
                "class": "out-of-hours" if notice.details.get("out_of_hours") else "in-hours",
                "custom_details": dict(notice.details),
            }
            event["client"] = CLIENT
            if notice.url:
                event["client_url"] = notice.url
                event["links"] = [{"href": notice.url, "text": "The emergency issue"}]
        return event

    def send(self, notice: Notice) -> None:
        body = json.dumps(self.event(notice)).encode()
        _post(self.config.url, body, {"Content-Type": "application/json"}, {202})


@dataclass
class ChatChannel:
    """An incoming webhook taking `{"text": …}` (Slack and the chats compatible with it)."""

    config: Chat
    url: str
    name: str = "chat"

    def accepts(self, notice: Notice) -> bool:
        return wanted(self.config.kinds, notice.kind)

    def send(self, notice: Notice) -> None:
        body = json.dumps({"text": notice.text}).encode()
        _post(self.url, body, {"Content-Type": "application/json"}, set())


@dataclass
class WebhookChannel:
    """A JSON event signed by the Standard Webhooks specification (`webhook-id`,
    `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`); the id is stable per
    notice, so a receiver can drop a retried or replayed delivery."""

    config: Webhook
    url: str
    secret: str
    wall: Callable[[], datetime]
    name: str = "webhook"

    def accepts(self, notice: Notice) -> bool:
        return wanted(self.config.kinds, notice.kind)

    def payload(self, notice: Notice) -> dict[str, Any]:
        return {
            "type": f"ante.{notice.kind}",
            "timestamp": utc_text(notice.at),
            "data": {
                "key": notice.key,
                "summary": notice.summary,
                "text": notice.text,
                "url": notice.url,
                "people": list(notice.people),
                "dedup_key": notice.dedup,
                "details": dict(notice.details),
            },
        }

    def send(self, notice: Notice) -> None:
        from standardwebhooks.webhooks import Webhook as Signer

        body = json.dumps(self.payload(notice), separators=(",", ":"))
        sent = self.wall()
        try:
            signature = Signer(self.secret).sign(notice.message_id, sent, body)
        except Exception:  # a malformed key: say so without showing it
            raise DeliveryError(
                "the signing secret is not a whsec_ base64 key", retry=False
            ) from None
        headers = {
            "Content-Type": "application/json",
            "webhook-id": notice.message_id,
            "webhook-timestamp": str(int(sent.timestamp())),
            "webhook-signature": signature,
        }
        _post(self.url, body.encode(), headers, set())


def wall_clock() -> datetime:
    """Webhook timestamps are the real sending time (receivers reject old ones)."""
    return datetime.now(UTC)


def channels(
    policy: NotifyPolicy, environ: Mapping[str, str], wall: Callable[[], datetime] = wall_clock
) -> tuple[list[Channel], list[str], list[str]]:
    """The configured channels whose secrets are present; the names of missing secrets; and
    every secret value (to scrub from anything ante prints)."""
    found: list[Channel] = []
    missing: list[str] = []
    values: list[str] = []

    def secret(name: str) -> str | None:
        value = environ.get(name, "").strip()
        if not value:
            missing.append(name)
            return None
        values.append(value)
        return value

    if policy.pagerduty is not None:
        key = secret(policy.pagerduty.routing_key)
        if key:
            found.append(PagerDutyChannel(policy.pagerduty, key))
    if policy.chat is not None:
        url = secret(policy.chat.webhook)
        if url:
            found.append(ChatChannel(policy.chat, url))
    if policy.webhook is not None:
        url, key = secret(policy.webhook.url), secret(policy.webhook.secret)
        if url and key:
            found.append(WebhookChannel(policy.webhook, url, key, wall))
    return found, missing, values
