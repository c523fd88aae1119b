"""Property tests of the pure scheduler: fair, respectful of terms and unavailability,
stable inside the frozen horizon whatever the roster edit, and DST-correct."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ante.core import schedule
from ante.core.rotation import WEEKDAYS, Rotation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testbed.builders import rotation

ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
LOGINS = [f"vol{i}" for i in range(12)]
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
YEAR_END = datetime(2027, 1, 1, tzinfo=UTC)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

handoffs = st.fixed_dictionaries(
    {
        "weekday": st.sampled_from(WEEKDAYS),
        # 02:00-02:59 does not exist on spring-forward days in some zones; real teams hand off
        # in working hours.
        "time": st.sampled_from(["00:00", "09:30", "10:00", "17:45", "23:00"]),
        "timezone": st.sampled_from(ZONES),
    }
)
roles = st.sampled_from(
    [["captain"], ["captain", "first-mate"], ["captain", "first-mate", "scribe"]]
)


@st.composite
def full_year_rosters(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 9))
    people = [
        {"login": login, "from": "2025-12-01", "to": "2027-02-01"} for login in LOGINS[:count]
    ]
    return {
        "roles": draw(roles),
        "handoff": draw(handoffs),
        "first_mate_becomes_captain": draw(st.booleans()),
        "volunteers": draw(st.permutations(people)),
    }


@st.composite
def random_rosters(draw: st.DrawFn) -> dict[str, Any]:
    people = []
    for login in draw(st.lists(st.sampled_from(LOGINS), min_size=0, max_size=8, unique=True)):
        start = date(2026, 1, 1) + timedelta(days=draw(st.integers(-60, 300)))
        person: dict[str, Any] = {"login": login, "from": start.isoformat()}
        if draw(st.booleans()):
            person["to"] = (start + timedelta(days=draw(st.integers(0, 400)))).isoformat()
        away = []
        for _ in range(draw(st.integers(0, 3))):
            first = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 360)))
            last = first + timedelta(days=draw(st.integers(0, 30)))
            away.append({"from": first.isoformat(), "to": last.isoformat()})
        person["unavailable"] = away
        people.append(person)
    return {
        "roles": draw(roles),
        "handoff": draw(handoffs),
        "first_mate_becomes_captain": draw(st.booleans()),
        "horizon_weeks": draw(st.integers(0, 8)),
        "volunteers": people,
    }


@FAST
@given(full_year_rosters())
def test_a_year_without_unavailability_is_fair(data: dict[str, Any]) -> None:
    r = rotation(data)
    year = schedule.plan(r, [], YEAR_START, YEAR_END)
    year = [s for s in year if s.start >= YEAR_START + timedelta(days=7)]  # all terms begun
    totals = Counter({v.login: 0 for v in r.volunteers})
    per_role = {role: Counter({v.login: 0 for v in r.volunteers}) for role in r.roles}
    for shift in year:
        assert len(shift.people()) == len(shift.roles), "nobody holds two roles in a week"
        for role, login in shift.roles.items():
            totals[login] += 1
            per_role[role][login] += 1
    if len(r.volunteers) >= len(r.roles):
        assert all(len(s.roles) == len(r.roles) for s in year)
    if r.first_mate_becomes_captain and len(r.roles) > 1:
        # Each first-mate goes on to captain the next week: fair per role.
        for counts in per_role.values():
            assert max(counts.values()) - min(counts.values()) <= 1, counts
    else:
        assert max(totals.values()) - min(totals.values()) <= 1, totals


@FAST
@given(random_rosters())
def test_terms_and_unavailability_are_respected(data: dict[str, Any]) -> None:
    r = rotation(data)
    by_login = {v.login: v for v in r.volunteers}
    previous: schedule.Shift | None = None
    for shift in schedule.plan(r, [], YEAR_START, YEAR_END):
        assert len(shift.people()) == len(shift.roles)
        for login in shift.roles.values():
            assert free(r, by_login[login], shift), (login, shift)
        if previous is not None and not r.first_mate_becomes_captain:
            again = shift.people() & previous.people()
            if again:  # two weeks running only when there was nobody else
                rested = [
                    v
                    for v in r.volunteers
                    if schedule.eligible(r, v, shift.start, shift.end)
                    and v.login not in previous.people()
                ]
                assert len(rested) < len(r.roles)
        previous = shift


def free(r: Rotation, volunteer: Any, shift: schedule.Shift) -> bool:
    """Checked independently of the scheduler: local days of the shift vs. the dates."""

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=r.zone)

    if shift.start < midnight(volunteer.start):
        return False
    if shift.end > midnight(volunteer.term_end + timedelta(days=1)):
        return False
    return all(
        shift.end <= midnight(p.start) or shift.start >= midnight(p.end + timedelta(days=1))
        for p in volunteer.unavailable
    )


EDITS = st.sampled_from(["add", "remove", "away", "shorten", "reorder", "shadow", "roles"])


def edit(
    data: dict[str, Any], kind: str, draw: Callable[[st.SearchStrategy[Any]], Any]
) -> dict[str, Any]:
    changed = dict(data)
    people = list(data["volunteers"])
    if kind == "add":
        spare = [x for x in LOGINS if x not in {p["login"] for p in people}]
        if spare:
            people.append({"login": spare[0], "from": "2026-01-01"})
    elif kind == "remove" and people:
        people.pop(draw(st.integers(0, len(people) - 1)))
    elif kind == "away" and people:
        index = draw(st.integers(0, len(people) - 1))
        away = [*people[index].get("unavailable", []), {"from": "2026-01-01", "to": "2026-12-31"}]
        people[index] = {**people[index], "unavailable": away}
    elif kind == "shorten" and people:
        index = draw(st.integers(0, len(people) - 1))
        people[index] = {**people[index], "to": people[index]["from"]}
    elif kind == "reorder":
        people = draw(st.permutations(people))
    elif kind == "shadow":
        changed["first_mate_becomes_captain"] = not data["first_mate_becomes_captain"]
    changed["volunteers"] = people
    return changed


@FAST
@given(random_rosters(), st.data(), st.integers(0, 300))
def test_no_roster_edit_moves_a_shift_inside_the_horizon(
    data: dict[str, Any], draws: st.DataObject, day: int
) -> None:
    before = rotation(data)
    now = YEAR_START + timedelta(days=day, hours=draws.draw(st.integers(0, 23)))
    published = schedule.to_freeze(before, [], now)
    horizon_end = schedule.week_after(before, now, before.horizon_weeks + 1)
    assert published[0].covers(now)
    assert published[-1].end == horizon_end
    after = rotation(edit(data, draws.draw(EDITS), draws.draw))
    seen = schedule.plan(after, published, schedule.handoff_before(before, now), horizon_end)
    assert seen == published
    # A week later the handoff only appends; what was published stays as it was.
    later = now + timedelta(days=7)
    more = schedule.to_freeze(after, published, later)
    assert [s.start for s in more] == [published[-1].end]
    assert schedule.plan(after, published + more, published[0].start, horizon_end) == published


@FAST
@given(handoffs, st.integers(0, 400))
def test_weeks_start_at_the_local_handoff_time_across_dst(
    handoff: dict[str, str], day: int
) -> None:
    r = rotation({"handoff": handoff, "volunteers": [{"login": "a", "from": "2025-01-01"}]})
    start = YEAR_START + timedelta(days=day)
    weeks = schedule.plan(r, [], start, start + timedelta(days=60))
    at = r.handoff.at
    for shift in weeks[1:]:
        local = shift.start.astimezone(r.zone)
        assert local.weekday() == r.handoff.weekday
        assert local.time() == at
        end = shift.end.astimezone(r.zone)
        assert end.date() - local.date() == timedelta(days=7)
        assert end.time() == at


def test_a_dst_week_is_167_hours_and_keeps_the_local_time() -> None:
    r = rotation(
        {
            "handoff": {"weekday": "wednesday", "time": "10:00", "timezone": "Europe/London"},
            "volunteers": [{"login": "a", "from": "2026-01-01"}],
        }
    )
    # Clocks go forward on Sunday 29 March 2026 in London.
    weeks = schedule.plan(
        r, [], datetime(2026, 3, 26, tzinfo=UTC), datetime(2026, 4, 2, tzinfo=UTC)
    )
    week = next(s for s in weeks if s.covers(datetime(2026, 3, 29, 12, tzinfo=UTC)))
    assert week.start == datetime(2026, 3, 25, 10, tzinfo=UTC)
    assert week.end == datetime(2026, 4, 1, 9, tzinfo=UTC)  # 10:00 BST
    assert week.end - week.start == timedelta(hours=167)
    assert week.end.astimezone(r.zone).time() == time(10, 0)


@FAST
@given(random_rosters(), st.integers(0, 60))
def test_published_weeks_carry_the_whole_replay(data: dict[str, Any], cut: int) -> None:
    """A schedule replayed from the first term, and the same with its first weeks published:
    every later week is the same, so the published weeks are all the state a replay needs."""
    r = rotation(data)
    replayed = list(schedule.timeline(r, [], YEAR_START, YEAR_END))
    published = replayed[:cut]
    resumed = list(schedule.timeline(r, published, YEAR_START, YEAR_END))
    assert resumed == replayed


@FAST
@given(
    random_rosters(),
    st.lists(st.tuples(st.integers(0, 360), st.integers(0, 40)), max_size=12),
)
def test_eligibility_reads_time_away_like_the_calendar(
    data: dict[str, Any], extra: list[tuple[int, int]]
) -> None:
    """Many, overlapping and touching absences (merged and bisected by the scheduler): a week
    is free exactly when no day of it is away, checked day by day independently."""
    for person in data["volunteers"]:
        person["unavailable"] = person["unavailable"] + [
            {
                "from": (date(2026, 1, 1) + timedelta(days=first)).isoformat(),
                "to": (date(2026, 1, 1) + timedelta(days=first + length)).isoformat(),
            }
            for first, length in extra
        ]
    r = rotation(data)
    weeks = schedule.plan(r, [], YEAR_START, YEAR_END)
    for volunteer in r.volunteers:
        for week in weeks:
            assert schedule.eligible(r, volunteer, week.start, week.end) == free(
                r, volunteer, week
            ), (volunteer.login, week.start)
