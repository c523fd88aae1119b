"""The night the paging tests share: an out-of-hours volunteer rotation (`nights`: dave, managers
mgr1 and mgr2, the first-mate after 10 minutes and the managers after 30), the product rotation
pointing its nights there with mgr1 as its manager, and a `notify:` section."""

from __future__ import annotations

import re
from datetime import UTC, datetime

NIGHTS = """\
description: Out-of-hours volunteers (six-month terms), one week at a time.
roles: [volunteer]
handoff: {weekday: wednesday, time: "10:00", timezone: Europe/London}
emergency_label: null
escalation: [mgr1, mgr2]
escalate_after: {first_mate: 10, managers: 30}
volunteers:
  - {login: dave, from: 2026-11-01}
"""
PEOPLE = ("alice", "bob", "carol", "dave", "mgr1", "mgr2")


def files(oncall: str, policy: str, notify: str) -> dict[str, str]:
    """The changed files, from today's `rotations/oncall.yaml` and `ledger/policy.yaml`."""
    product = re.sub(r"escalation: \[[^\]]*\]", "escalation: [mgr1]", oncall, count=1)
    return {
        "rotations/oncall.yaml": product + "\nout_of_hours: nights\n",
        "rotations/nights.yaml": NIGHTS,
        "ledger/policy.yaml": policy + "\n" + notify,
    }


def at(text: str) -> datetime:
    """An ISO instant (`...Z`) as an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
