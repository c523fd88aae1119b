"""The bill read off the workflow runner (tests/testbed/actions/bill.py): what GitHub charges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from testbed.actions import World
from testbed.actions.bill import bill


def test_a_job_that_started_a_runner_is_billed_by_the_started_minute_and_scaled_to_a_week(
    actions: Callable[..., World],
) -> None:
    world = actions(schedules=False)
    start = world.now
    setup = len(world.runner.runs)
    number = world.open_issue("Upgrade the CI image", labels=["overhead"], by="carol")
    world.label(number, "docs", by="carol")  # no business of ante's: the job is skipped
    world.runner.drain()
    runs = world.runner.runs[setup:]
    started = [j for r in runs for j in r.jobs.values() if j.started_at is not None]
    (job,) = started
    assert job.started_at is not None and job.finished_at is not None
    seconds = (job.finished_at - job.started_at).total_seconds()

    week = bill(runs, start=start, days=7)

    assert week.workflows["issue"].jobs == 1
    assert week.workflows["issue"].minutes == -(-seconds // 60)  # rounded up to the minute
    assert week.skipped == sum(len(r.jobs) for r in runs) - 1
    assert week.jobs_a_week == 1
    later = bill(runs, start=start + timedelta(days=1), days=7)  # runs created before: not billed
    assert later.jobs_a_week == 0
    # a working day played (Wednesday from 06:00) counts for the week's five
    day = bill(runs, start=start.replace(hour=6), days=1)
    assert day.jobs_a_week == 5 and day.weekly("issue", day.workflows["issue"].minutes) == 5 * (
        week.workflows["issue"].minutes
    )
