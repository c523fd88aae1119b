"""Where ante's notices go (the policy's `notify:` section), and what a notice is.

Secrets are referenced by name, never stored: `routing_key: PAGERDUTY_ROUTING_KEY` names the
Actions secret (handed to the job as an environment variable of that name) that holds the key.
A value that looks like a secret itself (a URL, a `whsec_` key, a 32-character hex key) is
refused, so a pasted key never reaches the repository.

Every notice has a `key`: the same fact always has the same key (an emergency's page, its
resolve, an escalation step, a reminder of one shift), so a replayed event sends nothing twice
and a receiver that deduplicates (PagerDuty's `dedup_key`, Standard Webhooks' `webhook-id`)
sees the same id if a delivery is retried.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SECRET_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,99}$")
PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue"
PAGERDUTY_API = "https://api.pagerduty.com"

Kind = Literal[
    "page", "escalate", "acknowledge", "resolve", "reminder", "handoff", "schedule", "followup"
]


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _secret_name(value: str) -> str:
    if not SECRET_NAME.match(value):
        raise ValueError(
            "name the secret that holds this value (like PAGERDUTY_ROUTING_KEY), "
            "never the value itself: the repository is readable by everyone who can read it"
        )
    return value


SecretName = Annotated[str, AfterValidator(_secret_name)]


class PagerDuty(_Config):
    """PagerDuty Events API v2: trigger when ante pages, acknowledge when someone answers on
    the issue, resolve when the issue closes."""

    routing_key: SecretName  # the name of the secret holding the integration key
    url: str = PAGERDUTY_URL
    # true: PagerDuty's escalation policy and acknowledgements take over; ante stops escalating.
    escalates: bool = False
    # The name of the secret holding a (read-only) REST API key: ante then reads PagerDuty's own
    # acknowledgement of the incident back (`GET /incidents?incident_key=`), records it on the
    # issue and stops escalating. Without it, only answers on the issue count.
    api_key: SecretName | None = None
    api_url: str = PAGERDUTY_API


class Chat(_Config):
    """A chat incoming webhook (Slack, Mattermost, Rocket.Chat, Google Chat: JSON `text`)."""

    webhook: (
        SecretName  # the name of the secret holding the webhook URL (the URL is the credential)
    )
    kinds: list[Kind] | None = None  # which notices go here (default: all)


class Webhook(_Config):
    """A generic webhook signed by the Standard Webhooks specification."""

    url: SecretName  # the name of the secret holding the endpoint URL
    secret: SecretName  # the name of the secret holding the signing key (`whsec_…`)
    kinds: list[Kind] | None = None


class NotifyPolicy(_Config):
    pagerduty: PagerDuty | None = None
    chat: Chat | None = None
    webhook: Webhook | None = None
    attempts: int = Field(4, ge=1, le=10)  # per notice and channel, the first one included
    backoff_seconds: float = Field(2.0, ge=0, le=60)  # doubled after each failed attempt

    @property
    def configured(self) -> bool:
        return any((self.pagerduty, self.chat, self.webhook))


@dataclass(frozen=True)
class Notice:
    """One thing to tell people: channel-neutral, rendered by each channel."""

    kind: Kind
    key: str  # stable: the same fact, the same key
    summary: str  # one line
    text: str  # the chat message (Markdown-ish, mentions as @login)
    at: datetime
    url: str | None = None
    people: tuple[str, ...] = ()  # logins this notice is for
    dedup: str | None = None  # PagerDuty's alert key: the emergency's, for page/escalate/resolve
    details: dict[str, str] = field(default_factory=dict)

    @property
    def message_id(self) -> str:
        """A Standard Webhooks `webhook-id`: stable per notice, safe in a header."""
        return "msg_" + hashlib.sha256(self.key.encode()).hexdigest()[:32]


def dedup_key(issue_url: str) -> str:
    """PagerDuty's `dedup_key` for an emergency issue: the same issue, the same alert."""
    path = issue_url.split("://", 1)[-1].split("/", 1)[-1]  # owner/repo/issues/N
    return "ante/" + path


def backoff(attempts: int, base: float) -> list[timedelta]:
    """The waits between `attempts` tries: base, 2·base, 4·base, … (capped at a minute)."""
    return [timedelta(seconds=min(base * 2**n, 60.0)) for n in range(max(attempts - 1, 0))]


def wanted(kinds: list[Kind] | None, kind: Kind) -> bool:
    return kinds is None or kind in kinds
