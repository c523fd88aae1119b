"""Intake decisions on plain data: the pickup window, the sweep's clock, the operation limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ante.core import intake
from ante.core.intake import Note
from ante.core.models import IntakePolicy
from testbed.builders import weeks

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
POLICY = IntakePolicy(stale_days=60, grace_days=14, exempt_labels=["pinned"])


@dataclass(frozen=True)
class Seen:
    url: str
    updated_at: datetime
    created_at: datetime = datetime(2026, 1, 5, tzinfo=UTC)
    labels: tuple[str, ...] = ("overhead",)
    comments: int = 1


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


# ---- the estimate -----------------------------------------------------------------------------


def test_pace_is_taken_from_the_last_recorded_weeks() -> None:
    recorded = intake.pace(weeks([9, 9, 2, 4, 4, 6]), 4)
    assert recorded.weeks == 4
    assert recorded.mean == 4.0
    assert (recorded.slow, recorded.fast) == (3.0, 5.0)
    assert not intake.pace([], 8).known


def test_window_follows_throughput() -> None:
    slow = intake.estimate(10, intake.pace(weeks([1, 2, 1, 2]), 8), NOW.date())
    fast = intake.estimate(10, intake.pace(weeks([5, 6, 5, 6]), 8), NOW.date())
    assert slow.earliest is not None and fast.earliest is not None
    assert (slow.earliest, slow.latest) == (date(2026, 12, 14), date(2027, 1, 25))
    assert (fast.earliest, fast.latest) == (date(2026, 11, 23), date(2026, 11, 30))
    assert intake.moved((slow.earliest, slow.latest), fast)
    assert not intake.moved((fast.earliest, fast.latest), fast)


def test_next_in_line_may_be_picked_up_this_week() -> None:
    guess = intake.estimate(1, intake.pace(weeks([3, 3]), 8), NOW.date())
    assert guess.earliest == date(2026, 11, 16)  # Monday of this week


def test_no_throughput_no_date() -> None:
    guess = intake.estimate(3, intake.pace(weeks([0, 0, 0]), 8), NOW.date())
    assert not guess.known and guess.latest is None


def test_a_far_queue_says_more_than_a_year() -> None:
    guess = intake.estimate(500, intake.pace(weeks([1, 1]), 8), NOW.date())
    assert guess.earliest == date(2027, 11, 15) and guess.latest is None


def test_positions_oldest_first() -> None:
    a = Seen("u/1", NOW, created_at=days_ago(3))
    b = Seen("u/2", NOW, created_at=days_ago(9))
    assert intake.positions([a, b]) == {"u/2": 1, "u/1": 2}


# ---- the sweep --------------------------------------------------------------------------------


def plan(issues, notes=None, budget=100):
    return intake.sweep(issues, notes or {}, POLICY, NOW, budget=budget)


def kinds(result: intake.Plan) -> dict[str, str]:
    return {step.issue.url: step.kind for step in result.steps}


def test_stale_issues_are_asked_recent_and_exempt_are_not() -> None:
    result = plan(
        [
            Seen("u/old", days_ago(61)),
            Seen("u/new", days_ago(10)),
            Seen("u/pinned", days_ago(400), labels=("overhead", "Pinned")),
        ]
    )
    assert kinds(result) == {"u/old": "ask"}
    assert {s.url: s.why for s in result.skipped} == {
        "u/new": "recently active",
        "u/pinned": "exempt (`Pinned`)",
    }


def test_antes_own_write_never_resets_the_clock() -> None:
    # ante acknowledged the issue 5 days ago; nobody has done anything for 70 days.
    note = Note("u/1", touched=days_ago(5), active=days_ago(70), comment=7)
    issue = Seen("u/1", updated_at=days_ago(5) + timedelta(seconds=2))
    assert intake.last_activity(issue, note) == days_ago(70)
    assert kinds(plan([issue], {"u/1": note})) == {"u/1": "ask"}


def test_someone_elses_activity_after_antes_write_counts() -> None:
    note = Note("u/1", touched=days_ago(5), active=days_ago(70), comment=7)
    issue = Seen("u/1", updated_at=days_ago(4))
    assert intake.last_activity(issue, note) == days_ago(4)
    assert kinds(plan([issue], {"u/1": note})) == {}


def test_asked_then_closed_after_the_grace_period() -> None:
    asked = Note("u/1", touched=days_ago(15), active=days_ago(80), comment=7, asked=days_ago(15))
    labelled = ("overhead", "needs-triage")
    quiet = Seen("u/1", updated_at=days_ago(15), labels=labelled)
    assert kinds(plan([quiet], {"u/1": asked})) == {"u/1": "close"}
    early = Note("u/1", touched=days_ago(3), active=days_ago(80), comment=7, asked=days_ago(3))
    assert kinds(plan([Seen("u/1", days_ago(3), labels=labelled)], {"u/1": early})) == {}


def test_an_answer_puts_it_back_in_the_queue() -> None:
    asked = Note("u/1", touched=days_ago(20), active=days_ago(80), comment=7, asked=days_ago(20))
    replied = Seen("u/1", updated_at=days_ago(2), labels=("overhead", "needs-triage"))
    assert kinds(plan([replied], {"u/1": asked})) == {"u/1": "unask"}
    unlabelled = Seen("u/1", updated_at=days_ago(20), labels=("overhead",))
    assert kinds(plan([unlabelled], {"u/1": asked})) == {"u/1": "unask"}


def test_a_comment_known_and_untouched_is_edited_without_reading() -> None:
    note = Note("u/1", touched=days_ago(70), active=days_ago(70), comment=7)
    (step,) = plan([Seen("u/1", days_ago(70))], {"u/1": note}).steps
    assert (step.reads, step.calls) == (0, 2)
    shared = Note("u/1", touched=days_ago(70), active=days_ago(70), comment=7, shared=True)
    (step,) = plan([Seen("u/1", days_ago(70))], {"u/1": shared}).steps
    assert (step.reads, step.calls) == (1, 3)
    (step,) = plan([Seen("u/2", days_ago(70), comments=0)]).steps
    assert step.reads == 0


def test_operation_limit_defers_the_rest_closes_first() -> None:
    issues = [Seen(f"u/{n}", days_ago(100 + n), comments=0) for n in range(10)]
    asked = Note("u/9", touched=days_ago(30), active=days_ago(109), comment=7, asked=days_ago(30))
    issues[9] = Seen("u/9", days_ago(30), labels=("overhead", "needs-triage"))
    result = plan(issues, {"u/9": asked}, budget=7)
    assert [s.kind for s in result.steps] == ["close", "ask", "ask"]
    assert result.steps[1].issue.url == "u/8"  # the longest quiet first
    assert sum(s.calls for s in result.steps) <= 7
    assert len(result.deferred) == 7


# ---- the weekly refresh -----------------------------------------------------------------------


def test_refresh_acknowledges_the_missed_and_re_tells_what_moved() -> None:
    recorded = intake.pace(weeks([2, 2, 2, 2]), 8)
    a = Seen("u/a", days_ago(1), created_at=days_ago(30), comments=0)
    b = Seen("u/b", days_ago(1), created_at=days_ago(20))
    c = Seen("u/c", days_ago(1), created_at=days_ago(10))
    guess_b = intake.estimate(2, recorded, NOW.date())
    told_b = Note(
        "u/b", days_ago(1), days_ago(1), 5, earliest=guess_b.earliest, latest=guess_b.latest
    )
    far = date(2027, 6, 7)
    told_c = Note("u/c", days_ago(1), days_ago(1), 6, earliest=far, latest=far)
    result = intake.refresh(
        [a, b, c], {"u/b": told_b, "u/c": told_c}, recorded, NOW.date(), budget=50
    )
    assert kinds(result) == {"u/a": "acknowledge", "u/c": "update"}
    step = result.steps[1]
    new = intake.noted(step, touched=NOW, comment=6, shared=False)
    assert step.estimate is not None and new is not None
    assert new.earliest == step.estimate.earliest and new.active == days_ago(1)


def test_noted_after_asking_and_closing() -> None:
    note = Note("u/1", touched=days_ago(70), active=days_ago(70), comment=7)
    issue = Seen("u/1", days_ago(70))
    (ask,) = plan([issue], {"u/1": note}).steps
    after = intake.noted(ask, touched=NOW, comment=7, shared=False)
    assert after is not None and after.asked == NOW and after.active == days_ago(70)
    close = intake.Step("close", issue, after, days_ago(70))
    assert intake.noted(close, touched=NOW, comment=7, shared=False) is None
