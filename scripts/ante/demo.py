"""The offline demo: a sandbox team repo living through a scripted quarter.

Real git (a bare "origin" and the team's clone), the real commands run in-process with the
clock pinned at each step, and events shaped like GitHub's webhooks. No network, no token:
every command that would talk to GitHub says what it would have done.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ante.files import gitrepo

MEMBERS = ("alice", "bob", "carol", "dave", "erin", "frank")
START = datetime(2026, 8, 19, 8, 0, tzinfo=UTC)  # a Wednesday: tax day and handoff day
WEEKS = 13
PRODUCT = "acme/app"


@dataclass
class Quarter:
    """What happened, for the closing summary."""

    closed: int = 0
    reopened: int = 0
    taxes: list[str] = field(default_factory=list)
    handoffs: int = 0
    log: list[str] = field(default_factory=list)


Runner = Callable[[Sequence[str], datetime], tuple[int, str]]


def issue_event(
    action: str,
    number: int,
    when: datetime,
    *,
    assignee: str | None,
    closer: str,
    labels: Sequence[str] = ("overhead",),
    reason: str = "completed",
    opened: datetime | None = None,
    title: str | None = None,
) -> dict[str, object]:
    """An `issues` webhook payload in GitHub's shape (the fields ante reads, and their kin)."""
    opened = opened or when - timedelta(days=9)
    closed = action == "closed"

    def user(login: str) -> dict[str, object]:
        return {
            "login": login,
            "id": sum(map(ord, login)),
            "type": "User",
            "html_url": f"https://github.com/{login}",
        }

    issue = {
        "number": number,
        "title": title or f"Overhead ticket #{number}",
        "html_url": f"https://github.com/{PRODUCT}/issues/{number}",
        "url": f"https://api.github.com/repos/{PRODUCT}/issues/{number}",
        "state": "closed" if closed else "open",
        "state_reason": reason if closed else ("reopened" if action == "reopened" else None),
        "labels": [
            {"id": i + 1, "name": name, "color": "fbca04", "default": False}
            for i, name in enumerate(labels)
        ],
        "assignee": user(assignee) if assignee else None,
        "assignees": [user(assignee)] if assignee else [],
        "user": user("support-bot[bot]") | {"type": "Bot"},
        "created_at": opened.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "updated_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "closed_at": when.strftime("%Y-%m-%dT%H:%M:%SZ") if closed else None,
        "closed_by": user(closer) if closed else None,
    }
    return {
        "action": action,
        "issue": issue,
        "repository": {"full_name": PRODUCT, "name": "app", "owner": user("acme")},
        "sender": user(closer),
    }


def sandbox(root: Path, run: Runner) -> Path:
    """`ante init` the team repo and give it a bare origin, as GitHub would hold it."""
    team, origin = root / "team", root / "origin.git"
    code, out = run(["init", str(team), "--members", ",".join(MEMBERS)], START - timedelta(days=7))
    if code != 0:
        raise RuntimeError(out)
    gitrepo.git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    gitrepo.git(team, "remote", "add", "origin", str(origin))
    gitrepo.git(team, "push", "--quiet", "-u", "origin", "main")
    return team


def play(root: Path, commands: frozenset[str], seed: int = 7) -> tuple[Path, Quarter]:
    """Replay the quarter; steps whose command this ante lacks are skipped."""
    rng = random.Random(seed)
    quarter = Quarter()
    events = root / "events"
    events.mkdir(parents=True, exist_ok=True)
    team = root / "team"

    def run(args: Sequence[str], when: datetime) -> tuple[int, str]:
        from ante.cli import main

        buffer = io.StringIO()
        env = {"ANTE_NOW": when.strftime("%Y-%m-%dT%H:%M:%SZ")}
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            code = main(list(args), environ=env)
        quarter.log.append(f"$ ante {' '.join(args)}   # {env['ANTE_NOW']}\n{buffer.getvalue()}")
        return code, buffer.getvalue()

    def ante(*args: str, when: datetime) -> tuple[int, str]:
        return run(["--repo", str(team), *args], when)

    sandbox(root, run)
    ante("refresh", "--push", when=START - timedelta(days=7))
    number, backlog, opened, closed = 100, 38, 0, 0
    reopen_next: list[tuple[int, str, Sequence[str]]] = []
    for week in range(WEEKS):
        wednesday = START + timedelta(weeks=week)
        # GitHub's search counts, as the weekly run records them (the demo plays GitHub here).
        _record_backlog(team, wednesday - timedelta(weeks=1), backlog, opened, closed)
        opened = closed = 0
        if "handoff" in commands and ante("handoff", "--push", when=wednesday)[0] == 0:
            quarter.handoffs += 1
        if "tax" in commands:
            _weekly_tax(ante, team, wednesday, quarter)
        for number_, who, labels in reopen_next:  # last week's reopened tickets, done properly
            closed += _close(
                ante, events, number_, who, labels, wednesday + timedelta(days=2), quarter
            )
        reopen_next = []
        arrivals = rng.randint(3, 7)
        backlog, opened = backlog + arrivals, arrivals
        busy_week = week % 4 == 2  # a deadline week: people live off their chips
        for who in _workers(team, rng, busy_week, backlog):
            number += 1
            labels = ("overhead", "overhead:large") if rng.random() < 0.2 else ("overhead",)
            when = wednesday + timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 8))
            closed += _close(ante, events, number, who, labels, when, quarter)
            if rng.random() < 0.08:  # closed too early: reopened, then done properly next week
                _event(ante, events, "reopened", number, who, labels, when + timedelta(hours=3))
                quarter.reopened += 1
                closed -= 1
                reopen_next.append((number, who, labels))
        backlog = max(0, backlog - closed)
        if "emergency" in commands and week % 5 == 1:
            number += 1
            _emergency(
                ante, events, number, wednesday + timedelta(days=3, hours=rng.choice((2, 14)))
            )
    ante("refresh", "--push", when=START + timedelta(weeks=WEEKS))
    return team, quarter


def _workers(team: Path, rng: random.Random, busy_week: bool, backlog: int) -> list[str]:
    """Who picks up an overhead ticket this week: the team's own choice, driven by the chips.

    Low on chips, a developer works overhead to rebuild the stockpile; with chips in the bank
    they may skip it, and in a deadline week most do.
    """
    from ante.files.journal import Store

    balances = Store(team).load().balances()
    picks: list[str] = []
    for login in MEMBERS:
        chips = balances.get(login, 0)
        if busy_week:
            count = rng.randint(0, 1) if chips < 1 else 0
        else:
            count = rng.randint(2, 3) if chips < 2 else rng.randint(0, 2)
        picks.extend([login] * count)
    rng.shuffle(picks)
    return picks[: max(backlog, 0)]


def _record_backlog(team: Path, week_day: datetime, backlog: int, opened: int, closed: int) -> None:
    from ante.core.backlog import WeekMetrics
    from ante.files import backlog as backlog_file

    year, num, _ = week_day.isocalendar()
    row = WeekMetrics(f"{year}-W{num:02d}", backlog, opened, closed)

    def apply() -> str | None:
        history = backlog_file.record(backlog_file.load_history(team), row)
        return (
            f"ante: backlog metrics for {row.week}" if backlog_file.write(team, history) else None
        )

    gitrepo.publish(team, apply, [backlog_file.PATH])


def _emergency(
    ante: Callable[..., tuple[int, str]], events: Path, number: int, when: datetime
) -> None:
    """A product emergency: paged, handled, closed the next morning (a post-mortem is due)."""
    labels = ("product-emergency",)
    for action, at in (("opened", when), ("closed", when + timedelta(hours=16))):
        payload = issue_event(
            action,
            number,
            at,
            assignee=None,
            closer="alice",
            labels=labels,
            opened=when,
            title=f"Checkout fails for EU customers ({number})",
        )
        path = events / f"{number}-{action}.json"
        path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        ante("emergency", "--event", str(path), "--push", when=at)


def _close(
    ante: Callable[..., tuple[int, str]],
    events: Path,
    number: int,
    who: str,
    labels: Sequence[str],
    when: datetime,
    quarter: Quarter,
) -> int:
    if _event(ante, events, "closed", number, who, labels, when) != 0:
        return 0
    quarter.closed += 1
    return 1


def _event(
    ante: Callable[..., tuple[int, str]],
    events: Path,
    action: str,
    number: int,
    who: str,
    labels: Sequence[str],
    when: datetime,
) -> int:
    payload = issue_event(action, number, when, assignee=who, closer=who, labels=labels)
    path = events / f"{number}-{action}-{when:%Y%m%d%H%M}.json"
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return ante("award", "--event", str(path), "--push", when=when)[0]


def _weekly_tax(
    ante: Callable[..., tuple[int, str]], team: Path, wednesday: datetime, quarter: Quarter
) -> None:
    """The week's tax: proposed on its branch, reviewed, merged (what the tax PR does)."""
    year, num, _ = wednesday.isocalendar()
    week = f"{year}-W{num:02d}"
    gitrepo.git(team, "checkout", "--quiet", "-b", f"ante/tax/{week}")
    code, _ = ante("tax", "--week", week, when=wednesday)
    made = code == 0 and gitrepo.commit(team, ["ledger"], f"ante: weekly chip tax {week}")
    gitrepo.git(team, "checkout", "--quiet", "main")
    if made:
        gitrepo.git(
            team,
            "-c",
            "user.name=reviewer",
            "-c",
            "user.email=reviewer@example.com",
            "merge",
            "--quiet",
            "--no-ff",
            "-m",
            f"Merge weekly chip tax {week}",
            f"ante/tax/{week}",
        )
        gitrepo.git(team, "push", "--quiet", "origin", "HEAD:main")
        ante("refresh", "--push", when=wednesday + timedelta(minutes=5))
        quarter.taxes.append(week)
    gitrepo.git(team, "branch", "--quiet", "-D", f"ante/tax/{week}")
