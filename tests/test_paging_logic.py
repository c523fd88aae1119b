"""The pure decisions of paging: escalation steps, acknowledgements, the out-of-hours budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ante.core.notify import backoff, dedup_key
from ante.core.paging import Answer, Chain, acknowledgement, budget, next_due, steps_due

T0 = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)


def chain(paged: str | None = "dave", mate: str | None = "bob", managers=("mgr1",)) -> Chain:
    return Chain(
        True,
        "nights",
        paged,
        "volunteer",
        mate,
        tuple(managers),
        timedelta(minutes=10),
        timedelta(minutes=30),
    )


def steps(c: Chain, minutes: int, done=(), ack=False) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (t.step, t.people) for t in steps_due(c, T0, T0 + timedelta(minutes=minutes), done, ack)
    ]


def test_steps_fall_due_at_their_delays_and_a_late_run_catches_up_in_order() -> None:
    c = chain()
    assert steps(c, 0) == [("paged", ("dave",))]
    assert steps(c, 9, ["paged"]) == []
    assert steps(c, 10, ["paged"]) == [("first-mate", ("bob",))]
    assert steps(c, 29, ["paged", "first-mate"]) == []
    assert steps(c, 95) == [("paged", ("dave",)), ("first-mate", ("bob",)), ("managers", ("mgr1",))]
    late = steps_due(c, T0, T0 + timedelta(minutes=95), ["paged"], False)
    assert [t.late for t in late] == [timedelta(minutes=85), timedelta(minutes=65)]
    assert next_due(c, T0, ["paged"]) == T0 + timedelta(minutes=10)
    assert next_due(c, T0, ["paged", "first-mate", "managers"]) is None


def test_an_acknowledgement_stops_everything_after_the_first_page() -> None:
    assert steps(chain(), 95, ["paged"], ack=True) == []


def test_nobody_on_call_goes_to_the_next_tier_and_never_to_nobody() -> None:
    assert steps(chain(paged=None), 0) == [("first-mate", ("bob",))]
    assert steps(chain(paged=None, mate=None), 0) == [("managers", ("mgr1",))]
    assert steps(chain(paged=None, mate=None, managers=()), 60) == []
    # the first-mate who is also the paged person is not paged twice
    assert steps(chain(paged="bob", mate="bob"), 31, ["paged"]) == [("managers", ("mgr1",))]


def test_only_the_paged_and_members_acknowledge_after_the_page() -> None:
    later = T0 + timedelta(minutes=3)
    answers = [
        Answer("dave", T0 - timedelta(minutes=1), "comment"),  # before the page
        Answer("github-actions[bot]", later, "comment", bot=True),
        Answer("passer-by", later, "comment", association="NONE"),
        Answer("dave", later, "reaction", "-1"),
        Answer("renovate[bot]", later, "reaction", "eyes"),
    ]
    assert acknowledgement(answers, T0, ["dave"], ["alice"]) is None
    contributor = Answer("zed", later + timedelta(seconds=1), "comment", association="MEMBER")
    assert acknowledgement([*answers, contributor], T0, ["dave"], []) == contributor
    mine = Answer("Dave", later + timedelta(seconds=2), "reaction", "eyes")
    assert acknowledgement([*answers, mine], T0, ["dave"], []) == mine


@dataclass
class P:
    rotation: str
    opened: datetime
    out_of_hours: bool
    woken: list[str] = field(default_factory=list)


def test_the_budget_counts_nights_per_rotation_and_per_person_woken() -> None:
    nov = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
    pages = [
        P("oncall", nov, True, ["dave"]),
        P("oncall", nov + timedelta(days=1), True, ["dave", "bob", "mgr1"]),
        P("oncall", nov + timedelta(days=2), False, ["alice"]),  # in hours: not a night
        P("web", nov + timedelta(days=3), True, ["Dave"]),
        P("oncall", datetime(2026, 10, 31, 23, tzinfo=UTC), True, ["dave"]),  # last month
    ]
    counted = budget(pages, "2026-11", {"oncall": 2, "web": 10, "quiet": 10})
    assert counted.per_rotation == {"oncall": 2, "quiet": 0, "web": 1}
    assert counted.per_person == {"dave": 3, "bob": 1, "mgr1": 1}  # logins ignore case
    assert counted.over("oncall") and not counted.over("web")


def test_dedup_keys_and_backoff() -> None:
    assert dedup_key("https://github.com/o/r/issues/12") == "ante/o/r/issues/12"
    assert [w.total_seconds() for w in backoff(5, 2)] == [2, 4, 8, 16]
    assert [w.total_seconds() for w in backoff(9, 20)][-1] == 60
