"""Demo-like data for STATUS.md: a quarter of a team's life, as the status view's inputs.

Plain values shaped like the records of the tax, metrics, rotation and pages modules, so the
view and the template are tested (and the README screenshot taken) without those files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ante.clock import iso_week
from ante.core.ledger import Ledger
from ante.core.models import Entry, Member, Policy
from ante.render.status_sections import Sources

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
REPO = "acme/overhead"
TEAM = (
    ("alice", "Alice Liddell"),
    ("bob", "Bob Ross"),
    ("carol", "Carol Danvers"),
    ("dave", None),
    ("erin", "Erin Brockovich"),
    ("frank", "Frank Lloyd Wright"),
)
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class TaxWeek:
    week: str
    rate: int
    reason: str | None


@dataclass(frozen=True)
class WeekMetrics:
    week: str
    open: int
    opened: int
    closed: int


@dataclass(frozen=True)
class Shift:
    start: datetime
    end: datetime
    roles: dict[str, str]


@dataclass(frozen=True)
class QueueItem:
    number: int
    title: str
    url: str
    priority: str | None
    due: date | None


@dataclass(frozen=True)
class Page:
    opened: datetime
    out_of_hours: bool
    issue: str
    rotation: str | None
    postmortem: str | None
    closed: datetime | None
    title: str = ""
    woken: tuple[str, ...] = ()


def issue(number: int) -> str:
    return f"https://github.com/{REPO}/issues/{number}"


def award(number: int, login: str, day: date, chips: int = 1) -> Entry:
    return Entry(
        id=f"award:{REPO}#{number}",
        date=day,
        kind="award",
        member=login,
        delta=chips,
        ref=issue(number),
        at=datetime(day.year, day.month, day.day, 15, number % 60, tzinfo=UTC),
    )


def ledger(extra: list[Entry] | None = None) -> Ledger:
    members = {
        login: Member(login=login, name=name, joined=date(2026, 8, 1)) for login, name in TEAM
    }
    entries = [
        Entry(
            id=f"grant:{login}",
            date=date(2026, 8, 1),
            kind="grant",
            member=login,
            delta=2,
            ref="ledger/members.yaml",
        )
        for login, _ in TEAM
    ]
    number = 100
    for week in range(15):  # Wednesdays from 2026-08-05 to 2026-11-11
        wednesday = date(2026, 8, 5) + timedelta(weeks=week)
        label = iso_week(wednesday)
        for i, (login, _) in enumerate(TEAM):
            if (week + i) % 3:  # two members in three do overhead work each week
                number += 1
                entries.append(award(number, login, wednesday + timedelta(days=1), 1 + i % 2))
            if login != TEAM[week % len(TEAM)][0]:  # the captain is exempt
                entries.append(
                    Entry(
                        id=f"tax:{label}:{login}",
                        date=wednesday,
                        kind="tax",
                        member=login,
                        delta=-2 if login == "dave" else -1,
                        ref=f"ledger/journal/2026/tax-{label}.yaml",
                    )
                )
    entries.append(award(300, "carol", date(2026, 11, 16), 2))
    entries.extend(extra or [])
    return Ledger(members, Policy(), {}, entries, 2026)


def metrics() -> list[WeekMetrics]:
    rows, open_now = [], 64
    for week in range(16):
        label = iso_week(date(2026, 7, 27) + timedelta(weeks=week))
        opened = 5 + week % 3
        closed = 4 + week // 2
        open_now = max(0, open_now + opened - closed)
        rows.append(WeekMetrics(label, open_now, opened, closed))
    return rows


def shifts(now: datetime = NOW, weeks: int = 9) -> dict[str, list[Shift]]:
    first = datetime(2026, 11, 11, 10, 0, tzinfo=LONDON)
    pairs = [("alice", "bob"), ("carol", "dave"), ("erin", "frank"), ("bob", "carol")]
    product = [
        Shift(
            first + timedelta(weeks=i),
            first + timedelta(weeks=i + 1),
            {"captain": pairs[i % 4][0], "first-mate": pairs[i % 4][1]},
        )
        for i in range(weeks)
    ]
    volunteers = ["erin", "alice", "frank"]
    night = [
        Shift(
            first + timedelta(weeks=i),
            first + timedelta(weeks=i + 1),
            {"on-call": volunteers[i % 3]},
        )
        for i in range(weeks)
    ]
    return {"product": product, "out-of-hours": night}


def queue() -> list[QueueItem]:
    """In the duty module's order: priority label, then due date."""
    return [
        QueueItem(44, "Login loop after password reset", issue(44), "P1", date(2026, 11, 20)),
        QueueItem(35, "Flaky search | ranking test", issue(35), "P2", date(2026, 11, 24)),
        QueueItem(41, "Export times out for large accounts", issue(41), "P2", date(2026, 11, 27)),
        QueueItem(38, "Broken link in the billing email", issue(38), "P3", None),
    ]


def pages() -> list[Page]:
    def at(month: int, day: int, hour: int) -> datetime:
        return datetime(2026, month, day, hour, 0, tzinfo=UTC)

    night, day = "out-of-hours", "product"
    return [
        Page(at(9, 2, 3), True, issue(10), night, issue(11), at(9, 2, 5), "Queue backlog alarm"),
        Page(at(10, 30, 2), True, issue(20), night, issue(21), at(11, 1, 6), "Disk full on db-2"),
        Page(at(11, 3, 11), False, issue(30), day, None, at(11, 3, 15), "Checkout 500s"),
        Page(at(11, 7, 23), True, issue(32), night, issue(33), at(11, 8, 4), "TLS cert expired"),
        Page(at(11, 12, 14), False, issue(36), day, issue(37), at(11, 12, 18), "Emails delayed"),
        Page(at(11, 17, 3), True, issue(45), night, None, None, "Webhooks failing"),
    ]


def sources(extra: list[Entry] | None = None) -> Sources:
    return Sources(
        ledger=ledger(extra),
        tax=TaxWeek(
            "2026-W46",
            1,
            "The backlog (58 open) is draining: 7.5 closed vs 5.8 opened a week, so the tax "
            "stays at 1 chip.",
        ),
        metrics=metrics(),
        backlog_target=10,
        shifts=shifts(),
        escalation={"product": ["grace"], "out-of-hours": ["grace", "heidi"]},
        queue=queue(),
        pages=pages(),
    )
