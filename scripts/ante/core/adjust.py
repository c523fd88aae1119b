"""A chip correction, pure: one `adjust` entry with its reason and who asked, and its names.

The same request always makes the same entry (its id is a digest of who, how many, why and
who asked), so proposing it twice updates one pull request and merging it twice is impossible.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from ante.core.history import ADJUST_BRANCH
from ante.core.models import LOGIN, Entry


@dataclass(frozen=True)
class Adjustment:
    entry: Entry
    before: int  # the member's balance now
    slug: str

    @property
    def after(self) -> int:
        return self.before + self.entry.delta

    @property
    def branch(self) -> str:
        return ADJUST_BRANCH.format(slug=self.slug)

    def file_name(self) -> str:
        return f"adjust-{self.slug}.yaml"

    def title(self) -> str:
        return f"Chip adjustment: @{self.entry.member} {self.entry.delta:+d}"

    def json(self) -> dict[str, object]:
        e = self.entry
        return {
            "id": e.id,
            "member": e.member,
            "delta": e.delta,
            "reason": e.reason,
            "by": e.by,
            "date": e.date.isoformat(),
            "before": self.before,
            "after": self.after,
            "branch": self.branch,
        }


class AdjustError(ValueError):
    """A request that cannot become an entry; the message says why."""


def adjustment(
    login: str, delta: int, reason: str, by: str, today: date, balance: int
) -> Adjustment:
    reason = " ".join(reason.split())
    if not reason:
        raise AdjustError("--reason: say why (it goes into the journal and the pull request)")
    if delta == 0:
        raise AdjustError("an adjustment of 0 chips changes nothing")
    if not LOGIN.match(by):
        raise AdjustError(f"--by: {by!r} is not a GitHub login")
    digest = hashlib.sha256(f"{login}\0{delta}\0{reason}\0{by}".encode()).hexdigest()[:8]
    slug = f"{today}-{login.lower()}-{digest}"
    entry = Entry(
        id=f"adjust:{today}:{login}:{digest}",
        date=today,
        kind="adjust",
        member=login,
        delta=delta,
        ref=f"adjust/{slug}",
        reason=reason,
        by=by,
    )
    return Adjustment(entry, balance, slug)
