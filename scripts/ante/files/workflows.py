"""The team's workflows, read as data: do their filters and schedules agree with the policy?

A renamed `overhead` label, a new award label or a new emergency label changes nothing on GitHub
until the issue workflow's `if:` lets its events through; a handoff cron on the wrong day or
before the handoff time hands off a week late or early. `ante validate` runs these checks so the
drift shows up on the pull request that causes it, not weeks later as a missing award or page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from ante.core.models import Policy
from ante.errors import Problem
from ante.files import yamlio
from ante.files.rotations import Roster

FOLDER = Path(".github") / "workflows"
ISSUE_WORKFLOW, ISSUE_JOB = "issue.yml", "issue"
HANDOFF_WORKFLOW = "handoff.yml"
LATEST = timedelta(hours=3)  # a handoff run may come this late after the handoff time

_PREFIX = re.compile(r"startsWith\(\s*github\.event\.label\.name\s*,\s*'([^']*)'\s*\)")
_EXACT = re.compile(r"github\.event\.label\.name\s*==\s*'([^']*)'")
_CARRIED_JOINED = re.compile(
    r"contains\(\s*join\(\s*github\.event\.issue\.labels\.\*\.name\s*,\s*'[^']*'\s*\)\s*,"
    r"\s*'([^']*)'\s*\)"
)
_CARRIED = re.compile(r"contains\(\s*github\.event\.issue\.labels\.\*\.name\s*,\s*'([^']*)'\s*\)")


def labels_let_through(condition: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """Prefixes and exact names let through for labels added or removed; substrings and exact
    names for labels an issue carries when closed or reopened. Actions compares without case."""
    return (
        _PREFIX.findall(condition),
        _EXACT.findall(condition),
        _CARRIED_JOINED.findall(condition),
        _CARRIED.findall(condition),
    )


def uncovered(condition: str, label: str) -> list[str]:
    """What the filter misses of `label`: 'labelled' and/or 'closed' events."""
    prefixes, exact, joined, carried = labels_let_through(condition)
    name = label.lower()
    missing = []
    if not any(name.startswith(p.lower()) for p in prefixes) and name not in (
        e.lower() for e in exact
    ):
        missing.append("labelled or unlabelled")
    if not any(j.lower() in name for j in joined) and name not in (c.lower() for c in carried):
        missing.append("closed or reopened")
    return missing


def check_files(repo: Path, policy: Policy, rosters: Sequence[Roster]) -> list[Problem]:
    """`ante validate`: the issue workflow's filter and the handoff cron against the data."""
    problems: list[Problem] = []
    issue = repo / FOLDER / ISSUE_WORKFLOW
    if issue.exists():
        document = yamlio.read(issue, repo)
        jobs = (document.data or {}).get("jobs") or {}
        condition = str((jobs.get(ISSUE_JOB) or {}).get("if") or "")
        labels = [policy.overhead_label, *policy.awards]
        labels += [str(r.config.emergency_label) for r in rosters if r.config.emergency_label]
        for label in dict.fromkeys(labels):
            missing = uncovered(condition, label) if condition else []
            if missing:
                problems.append(
                    document.problem(
                        ["jobs", ISSUE_JOB, "if"],
                        f"the label `{label}` (ledger/policy.yaml or rotations/) is not let "
                        f"through when an issue is {' or '.join(missing)}: its events would "
                        "start no run; add it to this `if:`",
                    )
                )
    handoff = repo / FOLDER / HANDOFF_WORKFLOW
    if handoff.exists() and rosters:
        problems += _check_handoff(repo, handoff, rosters)
    return problems


def _check_handoff(repo: Path, path: Path, rosters: Sequence[Roster]) -> list[Problem]:
    document = yamlio.read(path, repo)
    data = document.data or {}
    on = data.get("on", data.get(True)) or {}
    crons = [str(item.get("cron", "")) for item in (on.get("schedule") or [])]
    key = "on" if "on" in data else "true"
    problems: list[Problem] = []
    for roster in rosters:
        if not any(_on_time(cron, roster) for cron in crons):
            handoff = roster.config.handoff
            problems.append(
                document.problem(
                    [key, "schedule"],
                    f"no cron here runs within {LATEST.seconds // 3600} hours after "
                    f"{roster.name}'s handoff ({_weekday(handoff.weekday)} {handoff.at:%H:%M} "
                    f"{handoff.timezone}) in both winter and summer time; cron is UTC",
                )
            )
    return problems


def _on_time(cron: str, roster: Roster) -> bool:
    """Whether the cron fires once in the window after the handoff, in January and in July."""
    fields = cron.split()
    if len(fields) != 5 or not all(f.isdigit() for f in (fields[0], fields[1], fields[4])):
        return False
    minute, hour, weekday = int(fields[0]), int(fields[1]), int(fields[4]) % 7
    handoff = roster.config.handoff
    zone = roster.config.zone
    for month in (1, 7):
        day = date(2026, month, 1)
        day += timedelta(days=(handoff.weekday - day.weekday()) % 7)
        start_utc = datetime.combine(day, handoff.at, tzinfo=zone).astimezone(UTC)
        fires = [
            datetime.combine(start_utc.date() + timedelta(days=d), time(hour, minute), UTC)
            for d in (-1, 0, 1)
        ]
        fires = [f for f in fires if (f.weekday() + 1) % 7 == weekday]
        if not any(start_utc <= f <= start_utc + LATEST for f in fires):
            return False
    return True


def _weekday(number: int) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[number]
