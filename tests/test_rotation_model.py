"""Rotation files as values: defaults, overrides splitting weeks, conflicts, shadowing, hours."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import icalendar
from ante.core import schedule
from ante.core.rotation import Rotation, check, example
from ante.render import ics
from hypothesis import given, settings
from hypothesis import strategies as st
from testbed.builders import rotation

MONDAY = datetime(2026, 11, 16, 12, tzinfo=UTC)


def test_defaults_follow_the_published_practices() -> None:
    r = Rotation.model_validate({})
    assert r.roles == ["captain", "first-mate"]
    assert (r.handoff.weekday, r.handoff.at.hour, r.handoff.timezone) == (2, 10, "UTC")
    assert r.horizon_weeks == 4
    assert r.emergency_label == "product-emergency"
    one = rotation().volunteers[0]
    assert one.term_end == date(2027, 5, 1)


def test_example_is_valid_and_lists_the_members() -> None:
    import yaml

    text = example(["ann", "ben"], date(2026, 8, 31))
    r = Rotation.model_validate(yaml.safe_load(text))
    assert [v.login for v in r.volunteers] == ["ann", "ben"]
    assert r.volunteers[0].term_end == date(2027, 2, 28)  # six months, clamped to February
    assert check(r) == []
    assert Rotation.model_validate(yaml.safe_load(example([], date(2026, 1, 1)))).volunteers == []


def test_an_override_splits_the_week_at_handoff_times() -> None:
    r = rotation(
        overrides=[{"from": "2026-11-20", "to": "2026-11-21", "role": "captain", "cover": "zoe"}]
    )
    [week] = schedule.plan(r, [], MONDAY + timedelta(days=3), MONDAY + timedelta(days=3, hours=1))
    parts = schedule.apply_overrides(r, [week])
    assert [(p.start.day, p.end.day, p.roles["captain"]) for p in parts] == [
        (18, 20, week.roles["captain"]),
        (20, 22, "zoe"),
        (22, 25, week.roles["captain"]),
    ]
    assert all(p.roles["first-mate"] == week.roles["first-mate"] for p in parts)
    assert schedule.conflicts(r, parts) == []  # a cover need not be a volunteer


def test_conflicts_name_who_and_why() -> None:
    r = rotation()
    [week] = schedule.plan(r, [], MONDAY + timedelta(days=3), MONDAY + timedelta(days=3, hours=1))
    captain = week.roles["captain"]
    people = [
        {"login": x, "from": "2026-11-01"}
        | ({"unavailable": [{"from": "2026-11-19", "to": "2026-11-19"}]} if x == captain else {})
        for x in ("ann", "ben", "cat", "dan")
    ]
    changed = Rotation.model_validate({"volunteers": people})
    [conflict] = schedule.conflicts(changed, [week])
    assert (conflict.role, conflict.login) == ("captain", captain)
    assert conflict.reason == "is unavailable 2026-11-19 to 2026-11-19"
    gone = Rotation.model_validate({"volunteers": [{"login": "ann", "from": "2026-11-01"}]})
    reasons = {c.reason for c in schedule.conflicts(gone, [week])}
    assert "is no longer a volunteer" in reasons or "nobody is available" in reasons


def test_first_mate_becomes_captain() -> None:
    r = rotation(first_mate_becomes_captain=True)
    weeks = schedule.plan(
        r, [], datetime(2026, 11, 5, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    for before, after in itertools.pairwise(weeks[1:]):
        assert after.roles["captain"] == before.roles["first-mate"]


def test_working_hours_tell_in_hours_from_out_of_hours() -> None:
    r = rotation(handoff={"timezone": "America/New_York"})
    assert r.in_working_hours(datetime(2026, 11, 18, 15, tzinfo=UTC))  # Wed 10:00 in New York
    assert not r.in_working_hours(datetime(2026, 11, 18, 3, tzinfo=UTC))  # Tue 22:00
    assert not r.in_working_hours(datetime(2026, 11, 21, 15, tzinfo=UTC))  # Saturday


def test_calendar_events_keep_local_handoff_across_dst() -> None:
    r = rotation(handoff={"timezone": "America/New_York", "time": "09:00"})
    weeks = schedule.plan(
        r, [], datetime(2026, 10, 25, tzinfo=UTC), datetime(2026, 11, 15, tzinfo=UTC)
    )
    feed = icalendar.Calendar.from_ical(ics.calendar("oncall", weeks))
    starts = sorted({e.decoded("dtstart") for e in feed.walk("VEVENT")})
    # 09:00 EDT (13:00 UTC) before 1 November 2026, 09:00 EST (14:00 UTC) after.
    assert [s.hour for s in starts] == [13] * (len(starts) - 2) + [14, 14]
    assert all(s.astimezone(r.zone).hour == 9 for s in starts)


overrides = st.lists(
    st.tuples(st.integers(0, 60), st.integers(-2, 12), st.sampled_from(["captain", "first-mate"])),
    max_size=25,
)


@settings(max_examples=80, deadline=None)
@given(overrides)
def test_every_overlapping_pair_of_overrides_is_reported_once(
    spans: list[tuple[int, int, str]],
) -> None:
    """Checked pairwise here; the rotation check sorts instead (a file that keeps every override
    ever made): the same problems, in the same order."""
    day = date(2026, 12, 1)
    listed = [
        {
            "from": (day + timedelta(days=first)).isoformat(),
            "to": (day + timedelta(days=first + length)).isoformat(),
            "role": role,
            "cover": "bob",
        }
        for first, length, role in spans
    ]
    r = Rotation.model_validate({"overrides": listed})
    expected = []
    for index, override in enumerate(r.overrides):
        if override.end < override.start:
            continue
        for earlier in range(index):
            other = r.overrides[earlier]
            if (
                other.role == override.role
                and other.start <= other.end
                and other.start <= override.end
                and override.start <= other.end
            ):
                expected.append((("overrides", index), f"overlaps override {earlier + 1} "))
    found = [(loc, message) for loc, message in check(r) if "overlaps override" in message]
    assert len(found) == len(expected)
    pairs = zip(found, expected, strict=True)
    assert [(loc, message[: len(text)]) for (loc, message), (_, text) in pairs] == expected
