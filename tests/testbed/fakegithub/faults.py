"""Faults a test injects: lost or late answers, 5xx, secondary rate limits, tampered bodies."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int | None
    delay: float
    times: int
    after_effect: bool
    retry_after: int | None
    message: str | None

    def answer(self) -> tuple[int, dict[str, str], dict[str, str]]:
        """Status, body and headers of the failed answer (a 403/429 is a secondary limit)."""
        assert self.status is not None
        headers: dict[str, str] = {}
        message = self.message
        if self.status in (403, 429):
            message = message or SECONDARY_RATE_LIMIT
            if self.retry_after is not None:
                headers["Retry-After"] = str(self.retry_after)
        return self.status, {"message": message or "Server Error"}, headers


@dataclass
class Tamper:
    method: str
    path: re.Pattern[str]
    mutate: Callable[[Any], Any]
    times: int


def take(pending: list[Any], method: str, path: str) -> Any:
    """The first pending fault or tamper matching the request, used up once."""
    for item in pending:
        if item.method == method and item.path.search(path):
            item.times -= 1
            if item.times <= 0:
                pending.remove(item)
            return item
    return None
