"""Deliver notices to channels: retried with backoff (the sleep passed in), each outcome
reported, no failure raised: a channel that is down never stops the ledger or the GitHub page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ante.core.notify import Notice, backoff
from ante.notify.channels import Channel, DeliveryError


@dataclass(frozen=True)
class Delivery:
    channel: str
    notice: Notice
    ok: bool
    attempts: int
    error: str | None = None

    @property
    def sent_key(self) -> str:
        return f"{self.channel}:{self.notice.key}"


def deliver(
    notices: Sequence[Notice],
    channels: Sequence[Channel],
    *,
    attempts: int,
    backoff_seconds: float,
    sleep: Callable[[float], None],
    already: Iterable[str] = (),
) -> list[Delivery]:
    """Send each notice through each channel that takes it, unless `already` sent there."""
    done = set(already)
    waits = [w.total_seconds() for w in backoff(attempts, backoff_seconds)]
    out: list[Delivery] = []
    for notice in notices:
        for channel in channels:
            if not channel.accepts(notice) or f"{channel.name}:{notice.key}" in done:
                continue
            out.append(_attempt(channel, notice, attempts, waits, sleep))
    return out


def _attempt(
    channel: Channel,
    notice: Notice,
    attempts: int,
    waits: list[float],
    sleep: Callable[[float], None],
) -> Delivery:
    error = "not sent"
    for number in range(1, attempts + 1):
        try:
            channel.send(notice)
        except DeliveryError as exc:
            error = str(exc)
            if not exc.retry or number == attempts:
                return Delivery(channel.name, notice, False, number, error)
            sleep(waits[number - 1])
        else:
            return Delivery(channel.name, notice, True, number)
    return Delivery(channel.name, notice, False, attempts, error)


def report(deliveries: Sequence[Delivery], missing: Sequence[str], secrets: Sequence[str]) -> str:
    """The job summary's section: what was sent where, what failed and why; secrets scrubbed."""
    if not deliveries and not missing:
        return ""
    lines = ["### Notifications", ""]
    for d in deliveries:
        if d.ok:
            tries = f" (after {d.attempts} attempts)" if d.attempts > 1 else ""
            lines.append(f"- {d.channel}: {d.notice.summary}: sent{tries}")
        else:
            lines.append(
                f"- {d.channel}: {d.notice.summary}: **failed** after {d.attempts} "
                f"attempt(s): {d.error}; the next run tries again"
            )
    for name in missing:
        lines.append(f"- the secret `{name}` is not set for this job: that channel is skipped")
    return scrub("\n".join(lines), secrets)


def scrub(text: str, secrets: Sequence[str]) -> str:
    for value in sorted(secrets, key=len, reverse=True):
        if value:
            text = text.replace(value, "***")
    return text
