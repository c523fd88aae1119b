"""The Actions bill of a team-week, and what a burst does, for the old workflows and these.

A seeded team-week (10 or 50 people; 30 overhead closes a week per 10 people, with their labels,
assignments and reopenings, twice as many ordinary issues, two emergencies per 10 people, ante's
own writes, people's pushes, every cron) is replayed through `billmodel`: GitHub's trigger,
filter and concurrency rules applied to the workflow files. Printed: billed jobs a week (each a
whole minute), by workflow, and the worst latency from an event to the end of the job that
served it; then a burst (10 emergencies and 20 closes in one minute): pages and awards lost to
cancelled runs. The old workflows are read from git, as they were before this design.
"""

from __future__ import annotations

import random
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from billmodel import Bill, Event, simulate

ROOT = Path(__file__).resolve().parents[2]
OLD_COMMIT = "f1cedb5"  # the workflows as issue #13 found them
OLD = ("award", "emergency", "handoff", "intake", "status", "sync", "tax", "triage")
MONDAY = datetime(2026, 11, 16, tzinfo=UTC)
TEAM = "https://github.com/o/r/issues/"
HUMAN = {"login": "alice", "type": "User"}
BOT = {"login": "ante-app[bot]", "type": "Bot"}


def _load(text: str) -> dict:
    data = yaml.safe_load(text)
    data["on"] = data.pop(True, data.get("on"))
    return data


def new_workflows() -> dict[str, dict]:
    folder = ROOT / ".github" / "workflows"
    return {p.stem: _load(p.read_text()) for p in sorted(folder.glob("*.yml"))}


def old_workflows() -> dict[str, dict] | None:
    found = {}
    for name in OLD:
        proc = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{OLD_COMMIT}:.github/workflows/{name}.yml"],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            return None
        found[name] = _load(proc.stdout)
    return found


# ---- a team-week --------------------------------------------------------------------------------


def _field(spec: str, value: int) -> bool:
    for item in spec.split(","):
        part, _, every = item.partition("/")
        step = int(every or 1)
        if part == "*":
            if value % step == 0:
                return True
        elif "-" in part:
            low, high = map(int, part.split("-"))
            if low <= value <= high and (value - low) % step == 0:
                return True
        elif int(part) == value:
            return True
    return False


def cron_times(cron: str, start: datetime, days: int = 7) -> list[datetime]:
    minute, hour, dom, month, dow = cron.split()
    found = []
    moment = start
    while moment < start + timedelta(days=days):
        if (
            _field(minute, moment.minute)
            and _field(hour, moment.hour)
            and _field(dom, moment.day)
            and _field(month, moment.month)
            and _field(dow, (moment.weekday() + 1) % 7)
        ):
            found.append(moment)
        moment += timedelta(minutes=1)
    return found


def _issue(number: int, labels: list[str], state: str = "open") -> dict:
    return {
        "number": number,
        "html_url": f"{TEAM}{number}",
        "state": state,
        "labels": [{"name": name} for name in labels],
    }


def _issues(
    at: datetime, action: str, number: int, labels: list[str], *, sender: dict = HUMAN, **more
) -> dict:
    state = "closed" if action == "closed" or more.pop("closed", False) else "open"
    payload = {"action": action, "issue": _issue(number, labels, state), "sender": sender}
    if "label" in more:
        payload["label"] = {"name": more.pop("label")}
    return payload


def team_week(people: int, workflows: dict[str, dict], *, app: bool, seed: int = 0) -> list[Event]:
    """One week of events. `app`: ante writes with its App token (its writes are events)."""
    rng = random.Random(seed)
    scale = people / 10
    events: list[Event] = []

    def when() -> datetime:
        day = rng.randrange(5)
        return MONDAY + timedelta(days=day, hours=9 + rng.random() * 9)

    def add(at: datetime, name: str, payload: dict, kind: str = "", *, ante: bool = False) -> None:
        events.append(Event(at, name, payload, via_github_token=ante and not app, kind=kind))

    def ante_push(at: datetime) -> None:
        payload = {"ref": "refs/heads/main", "changed": ["ledger/x.yaml"], "sender": BOT}
        add(at + timedelta(seconds=50), "push", payload, ante=True)

    number = 0
    for _ in range(round(30 * scale)):  # overhead issues, opened and closed within the week
        number += 1
        opened = when()
        closed = opened + timedelta(hours=rng.uniform(1, 30))
        labels = ["overhead"]
        add(opened, "issues", _issues(opened, "opened", number, labels), "ack")
        add(opened, "issues", _issues(opened, "labeled", number, labels, label="overhead"), "ack")
        ante_push(opened)  # the acknowledgement's note
        add(opened, "issues", _issues(opened, "assigned", number, labels))
        if rng.random() < 1 / 3:
            labels = ["overhead", "overhead:large"]
            at = opened + timedelta(minutes=5)
            add(at, "issues", _issues(at, "labeled", number, labels, label="overhead:large"))
        add(closed, "issues", _issues(closed, "closed", number, labels), "award")
        ante_push(closed)
        if rng.random() < 0.05:
            again = closed + timedelta(hours=1)
            add(again, "issues", _issues(again, "reopened", number, labels), "award")
            add(again + timedelta(hours=1), "issues", _issues(again, "closed", number, labels))
    for _ in range(round(60 * scale)):  # ordinary issues: none of ante's business
        number += 1
        opened = when()
        add(opened, "issues", _issues(opened, "opened", number, ["bug"]))
        add(opened, "issues", _issues(opened, "labeled", number, ["bug"], label="bug"))
        add(opened, "issues", _issues(opened, "assigned", number, ["bug"]))
        later = opened + timedelta(hours=rng.uniform(1, 40))
        add(later, "issues", _issues(later, "closed", number, ["bug"]))
    number = _emergencies(rng, scale, number, add, ante_push)
    number = _others(rng, scale, number, add)
    crons = {
        item["cron"]
        for data in workflows.values()
        for item in (data["on"].get("schedule") or [] if isinstance(data["on"], dict) else [])
    }
    for cron in crons:
        for at in cron_times(cron, MONDAY):
            events.append(Event(at, "schedule", {}, cron=cron))
            ante_push(at)
    return events


def _emergencies(rng: random.Random, scale: float, number: int, add, ante_push) -> int:
    """Emergencies, paged, then closed with a post-mortem."""
    for _ in range(round(2 * scale)):
        number += 1
        opened = MONDAY + timedelta(hours=rng.uniform(0, 24 * 7))
        labels = ["product-emergency"]
        add(opened, "issues", _issues(opened, "opened", number, labels), "page")
        label = _issues(opened, "labeled", number, labels, label="product-emergency")
        add(opened, "issues", label, "page")
        at = opened + timedelta(minutes=1)
        add(at, "issues", _issues(at, "assigned", number, labels, sender=BOT), ante=True)
        ante_push(opened)
        closed = opened + timedelta(hours=rng.uniform(1, 6))
        add(closed, "issues", _issues(closed, "closed", number, labels))
        ante_push(closed)
    return number


def _others(rng: random.Random, scale: float, number: int, add) -> int:
    """People's pushes to the data (joins, rotation edits) and the Monday triage's labels."""
    for _ in range(round(3 * scale)):
        at = MONDAY + timedelta(days=rng.randrange(5), hours=9 + rng.random() * 9)
        payload = {"ref": "refs/heads/main", "changed": ["rotations/oncall.yaml"], "sender": HUMAN}
        add(at, "push", payload)
    monday = MONDAY + timedelta(hours=7, minutes=1)
    for index in range(round(5 * scale)):  # the Monday triage's own label and close
        number += 1
        labels = ["overhead", "needs-triage"]
        payload = _issues(monday, "labeled", number, labels, sender=BOT, label="needs-triage")
        add(monday + timedelta(seconds=index), "issues", payload, ante=True)
    return number


def burst(workflows: dict[str, dict], *, app: bool) -> list[Event]:
    """Ten emergencies and twenty overhead closes within one minute (an outage morning)."""
    at = MONDAY + timedelta(days=1, hours=10)
    events = []
    for index in range(10):
        labels = ["product-emergency"]
        payload = _issues(at, "labeled", 900 + index, labels, label="product-emergency")
        events.append(Event(at + timedelta(seconds=index * 3), "issues", payload, kind="page"))
    for index in range(20):
        labels = ["overhead"]
        payload = _issues(at, "closed", 800 + index, labels)
        events.append(Event(at + timedelta(seconds=index * 2), "issues", payload, kind="award"))
    return events


def _row(label: str, bill: Bill) -> str:
    top = ", ".join(f"{name} {count}" for name, count in bill.by_workflow().items())
    worst = {kind: bill.latency(kind) for kind in ("page", "award", "ack")}
    shown = " ".join(
        f"{k}≤{int(v.total_seconds() // 60)}m{int(v.total_seconds() % 60):02d}s"
        for k, v in worst.items()
    )
    lost = f"lost: pages {bill.lost('page')} awards {bill.lost('award')} acks {bill.lost('ack')}"
    return (
        f"  {label:<18} {len(bill.billed):>4} jobs {bill.minutes():>4} min  {shown}  {lost}\n"
        f"  {'':<18} ({top})"
    )


@pytest.mark.parametrize("people", [10, 50])
def test_a_team_week_costs_at_most_120_jobs_for_10_people(people: int) -> None:
    new = new_workflows()
    week = simulate(new, team_week(people, new, app=True))
    print(f"\nbill model, {people} people, {30 * people // 10} overhead closes a week")
    old = old_workflows()
    if old is not None:
        before = simulate(old, team_week(people, old, app=False))
        print(_row("before (#13, #18)", before))
    print(_row("now", week))
    assert week.lost("page") == week.lost("award") == week.lost("ack") == 0
    if people == 10:
        assert len(week.billed) <= 120
        if old is not None:
            assert len(before.billed) >= 250  # the model sees the bill the issue measured


def test_a_burst_loses_pages_with_the_old_workflows_and_none_now() -> None:
    new = new_workflows()
    now = simulate(new, burst(new, app=True))
    print("\nburst: 10 emergencies and 20 overhead closes in one minute")
    print(
        f"  now:    lost pages {now.lost('page')}/10, lost awards {now.lost('award')}/20, "
        f"worst page {now.latency('page')}, worst award {now.latency('award')}"
    )
    assert now.lost("page") == 0 and now.lost("award") == 0
    assert now.latency("page") <= timedelta(minutes=2)  # no emergency waits behind another
    old = old_workflows()
    if old is None:
        pytest.skip("the old workflows are not in this clone's history")
    before = simulate(old, burst(old, app=False))
    print(f"  before: lost pages {before.lost('page')}/10, lost awards {before.lost('award')}/20")
    assert before.lost("page") > 0
