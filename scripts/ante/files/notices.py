"""What ante has told whom: `ledger/notices/<YYYY>.yaml`, one line per notice delivered to a
channel, so a replayed event, a re-run or a catching-up scheduled run never sends it twice.

Tool-written, one flow mapping per line, one file per year of sending.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import Field, field_validator

from ante.core.models import Strict
from ante.files import yamlio

HEADER = (
    "# Notices ante delivered (channel:notice), written by ante: a notice listed here is\n"
    "# never sent again to that channel.\n"
)


class Sent(Strict):
    key: str = Field(min_length=1)
    at: datetime

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class SentFile(Strict):
    sent: list[Sent] = Field(default_factory=list)


def path(repo: Path, year: int) -> Path:
    return repo / "ledger" / "notices" / f"{year}.yaml"


def load_sent(repo: Path, since: datetime) -> set[str]:
    """Keys delivered in the years from `since` on."""
    folder = repo / "ledger" / "notices"
    if not folder.is_dir():
        return set()
    keys: set[str] = set()
    for item in sorted(folder.glob("*.yaml")):
        if item.stem.isdigit() and int(item.stem) >= since.year:
            keys.update(s.key for s in yamlio.load(item, SentFile, repo, empty={}).sent)
    return keys


def record(repo: Path, keys: Iterable[str], at: datetime) -> bool:
    """Add the delivered keys (those not listed yet); False when there was nothing new."""
    target = path(repo, at.astimezone(UTC).year)
    known = yamlio.load(target, SentFile, repo, empty={}).sent if target.exists() else []
    seen = {s.key for s in known}
    fresh = [k for k in dict.fromkeys(keys) if k not in seen]
    if not fresh:
        return False
    lines = [f"- {yamlio.flow([('key', s.key), ('at', s.at)])}" for s in known]
    lines += [f"- {yamlio.flow([('key', k), ('at', at)])}" for k in fresh]
    yamlio.write_text(target, yamlio.append_to_list(HEADER + "sent: []\n", "sent", lines))
    return True
