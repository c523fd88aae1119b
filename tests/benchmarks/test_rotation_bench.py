"""The scheduler at scale: a year for 200 volunteers, and ten years of published weeks."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from ante.core import schedule
from ante.core.rotation import Rotation

START = datetime(2026, 1, 1, tzinfo=UTC)


def roster(count: int) -> Rotation:
    people = []
    for i in range(count):
        away = date(2026, 1, 1) + timedelta(days=(i * 37) % 360)
        people.append(
            {
                "login": f"dev{i}",
                "from": (date(2025, 12, 1) + timedelta(days=i % 90)).isoformat(),
                "to": "2036-12-31",
                "unavailable": [
                    {"from": away.isoformat(), "to": (away + timedelta(days=14)).isoformat()}
                ],
            }
        )
    return Rotation.model_validate({"handoff": {"timezone": "Europe/London"}, "volunteers": people})


def test_a_year_for_200_volunteers_and_ten_years_published() -> None:
    r = roster(200)
    began = time.perf_counter()
    year = schedule.plan(r, [], START, START + timedelta(days=365))
    plan_ms = (time.perf_counter() - began) * 1000
    assert len(year) >= 52

    small = roster(12)
    published = schedule.plan(small, [], START, START + timedelta(days=3650))
    began = time.perf_counter()
    ahead = schedule.weeks_from(small, published, START + timedelta(days=3650), 12)
    upcoming_ms = (time.perf_counter() - began) * 1000
    assert len(ahead) == 12
    print(
        f"\nscheduler: a year for 200 volunteers {plan_ms:.0f} ms; "
        f"12 weeks after {len(published)} published weeks {upcoming_ms:.0f} ms"
    )
    assert plan_ms < 2000 and upcoming_ms < 1000
