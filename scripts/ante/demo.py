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

from . import gitops

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
    large: bool,
    reason: str = "completed",
) -> dict[str, object]:
    """An `issues` webhook payload in GitHub's shape (the fields ante reads, and their kin)."""
    labels = [{"id": 1, "name": "overhead", "color": "fbca04", "default": False}]
    if large:
        labels.append({"id": 2, "name": "overhead:large", "color": "d93f0b", "default": False})
    opened = when - timedelta(days=9)
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
        "title": f"Overhead ticket #{number}",
        "html_url": f"https://github.com/{PRODUCT}/issues/{number}",
        "url": f"https://api.github.com/repos/{PRODUCT}/issues/{number}",
        "state": "closed" if closed else "open",
        "state_reason": reason if closed else ("reopened" if action == "reopened" else None),
        "labels": labels,
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
    gitops.git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    gitops.git(team, "remote", "add", "origin", str(origin))
    gitops.git(team, "push", "--quiet", "-u", "origin", "main")
    return team


def play(root: Path, commands: frozenset[str], seed: int = 7) -> tuple[Path, Quarter]:
    """Replay the quarter; steps whose command this ante lacks are skipped."""
    rng = random.Random(seed)
    quarter = Quarter()
    events = root / "events"
    events.mkdir(parents=True, exist_ok=True)
    team = root / "team"

    def run(args: Sequence[str], when: datetime) -> tuple[int, str]:
        from .cli import main

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
    number = 100
    reopen_next: list[tuple[int, str, bool]] = []
    for week in range(WEEKS):
        wednesday = START + timedelta(weeks=week)
        if "handoff" in commands and ante("handoff", "--push", when=wednesday)[0] == 0:
            quarter.handoffs += 1
        if "tax" in commands:
            _weekly_tax(ante, team, wednesday, quarter)
        for number_, who, large in reopen_next:  # last week's reopened tickets get done again
            _close(ante, events, number_, who, large, wednesday + timedelta(days=2), quarter)
        reopen_next = []
        busy_week = week % 4 == 2  # a deadline week: people live off their chips
        for _ in range(rng.randint(1, 3) if busy_week else rng.randint(4, 8)):
            number += 1
            who, large = rng.choice(MEMBERS), rng.random() < 0.2
            when = wednesday + timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 8))
            _close(ante, events, number, who, large, when, quarter)
            if rng.random() < 0.08:  # closed too early: reopened, then done properly next week
                _event(ante, events, "reopened", number, who, large, when + timedelta(hours=3))
                quarter.reopened += 1
                reopen_next.append((number, who, large))
    ante("refresh", "--push", when=START + timedelta(weeks=WEEKS))
    return team, quarter


def _close(
    ante: Callable[..., tuple[int, str]],
    events: Path,
    number: int,
    who: str,
    large: bool,
    when: datetime,
    quarter: Quarter,
) -> None:
    if _event(ante, events, "closed", number, who, large, when) == 0:
        quarter.closed += 1


def _event(
    ante: Callable[..., tuple[int, str]],
    events: Path,
    action: str,
    number: int,
    who: str,
    large: bool,
    when: datetime,
) -> int:
    payload = issue_event(action, number, when, assignee=who, closer=who, large=large)
    path = events / f"{number}-{action}-{when:%Y%m%d%H%M}.json"
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return ante("award", "--event", str(path), "--push", when=when)[0]


def _weekly_tax(
    ante: Callable[..., tuple[int, str]], team: Path, wednesday: datetime, quarter: Quarter
) -> None:
    """Propose the week's tax, then merge it as the reviewer would."""
    year, num, _ = wednesday.isocalendar()
    week = f"{year}-W{num:02d}"
    code, _ = ante("tax", "--week", week, "--open-pr", when=wednesday)
    branch = f"ante/tax/{week}"
    if (
        code != 0
        or gitops.git(team, "ls-remote", "--exit-code", "origin", branch, check=False).returncode
        != 0
    ):
        return
    gitops.git(team, "fetch", "--quiet", "origin", branch)
    gitops.git(
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
        "FETCH_HEAD",
    )
    gitops.git(team, "push", "--quiet", "origin", "HEAD:main")
    ante("refresh", "--push", when=wednesday + timedelta(minutes=5))
    quarter.taxes.append(week)
