"""A model of the Actions bill, from the workflows' own triggers, filters and concurrency groups.

A team-week is a list of GitHub events (who did what, when); for each, the workflows whose `on:`
matches start a run, a job starts a runner only when its `if:` holds (evaluated here with a small
evaluator of GitHub's expression language: literals, property paths with `*`, `!`, comparisons,
`&&`, `||`, and the functions the workflows use), and it enters its concurrency group as GitHub
documents: a workflow-level group is taken before any `if:` (a skipped run still takes the
pending place), a job-level one only by a job that runs; one running and one pending per group,
or up to 100 pending with `queue: max`. Each job is billed as a whole minute.
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

# ---- GitHub's expression language (the part the workflows use) -------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\],.*])"
    r"|(?P<name>[A-Za-z_][\w-]*))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    found, pos = [], 0
    text = text.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            if text[pos:].strip() == "":
                break
            raise ValueError(f"cannot read expression at {text[pos:]!r}")
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        pos = match.end()
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    return bool(a == b)


def _truthy(value: Any) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return False
    return value not in (None, False, 0, "")


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "contains": lambda hay, needle: (
        any(_eq(item, needle) for item in hay)
        if isinstance(hay, list)
        else _text(needle).lower() in _text(hay).lower()
    ),
    "startswith": lambda text, prefix: _text(text).lower().startswith(_text(prefix).lower()),
    "endswith": lambda text, suffix: _text(text).lower().endswith(_text(suffix).lower()),
    "join": lambda items, sep=",": (
        _text(sep).join(_text(i) for i in items) if isinstance(items, list) else _text(items)
    ),
    "format": lambda fmt, *args: re.sub(
        r"\{(\d+)\}", lambda m: _text(args[int(m.group(1))]), _text(fmt)
    ),
    "always": lambda: True,
    "success": lambda: True,
    "cancelled": lambda: False,
    "failure": lambda: False,
}


class _Parser:
    def __init__(self, text: str, context: Mapping[str, Any]) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.context = context

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def value(self) -> Any:
        result = self.either()
        if self.pos != len(self.tokens):
            raise ValueError(f"unexpected {self.peek()!r}")
        return result

    def either(self) -> Any:
        left = self.both()
        while self.peek() == "||":
            self.take()
            right = self.both()
            left = left if _truthy(left) else right
        return left

    def both(self) -> Any:
        left = self.compare()
        while self.peek() == "&&":
            self.take()
            right = self.compare()
            left = right if _truthy(left) else left
        return left

    def compare(self) -> Any:
        left = self.unary()
        while self.peek() in ("==", "!=", "<", ">", "<=", ">="):
            op = self.take()[1]
            right = self.unary()
            if op == "==":
                left = _eq(left, right)
            elif op == "!=":
                left = not _eq(left, right)
            else:
                left = {"<": left < right, ">": left > right, "<=": left <= right}.get(
                    op, left >= right
                )
        return left

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not _truthy(self.unary())
        return self.postfix(self.primary())

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        if text == "(":
            inner = self.either()
            self.take()
            return inner
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        if self.peek() == "(":
            self.take()
            args = []
            while self.peek() != ")":
                args.append(self.either())
                if self.peek() == ",":
                    self.take()
            self.take()
            return FUNCTIONS[text.lower()](*args)
        return self.context.get(text)

    def postfix(self, value: Any) -> Any:
        while self.peek() in (".", "["):
            if self.take()[1] == "[":
                key = self.either()
                self.take()
                value = _get(value, key)
                continue
            _, name = self.take()
            value = (
                (list(value.values()) if isinstance(value, dict) else value)
                if name == "*"
                else _get(value, name)
            )
            if name == "*" and not isinstance(value, list):
                value = []
        return value


def _get(value: Any, key: Any) -> Any:
    if isinstance(value, list):
        if isinstance(key, float):
            index = int(key)
            return value[index] if 0 <= index < len(value) else None
        return [_get(item, key) for item in value]
    if isinstance(value, dict):
        lowered = {str(k).lower(): v for k, v in value.items()}
        return lowered.get(str(key).lower())
    return None


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    return _Parser(expression, context).value()


def holds(condition: Any, context: Mapping[str, Any]) -> bool:
    if condition is None:
        return True
    if isinstance(condition, bool):
        return condition
    return _truthy(evaluate(str(condition), context))


def interpolate(text: str, context: Mapping[str, Any]) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: _text(evaluate(m.group(1), context)), text)


# ---- events, triggers, groups -----------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    at: datetime
    name: str  # issues, push, schedule, repository_dispatch, workflow_dispatch
    payload: dict[str, Any]
    via_github_token: bool = False  # made with GITHUB_TOKEN: starts no run (GitHub's rule)
    cron: str | None = None
    kind: str = ""  # what the model counts it as: page, award, ack, ...


def matches(on: Any, event: Event) -> bool:
    if isinstance(on, str):
        on = {on: None}
    if isinstance(on, list):
        on = dict.fromkeys(on)
    if event.name not in on:
        return False
    spec = on[event.name] or {}
    if event.name == "schedule":
        return any(item.get("cron") == event.cron for item in spec)
    types = spec.get("types") if isinstance(spec, dict) else None
    action = event.payload.get("action")
    if types and action not in types:
        return False
    if event.name == "push" and isinstance(spec, dict):
        ref = str(event.payload.get("ref", ""))
        branch = ref.removeprefix("refs/heads/")
        if ref.startswith("refs/heads/") and "tags" in spec and "branches" not in spec:
            return False  # a workflow for tag pushes only
        if spec.get("branches") and branch not in spec["branches"]:
            return False
        changed = event.payload.get("changed", [])
        if spec.get("paths") and not any(
            fnmatch.fnmatch(path, pattern) for path in changed for pattern in spec["paths"]
        ):
            return False
    return True


@dataclass
class Job:
    workflow: str
    job: str
    event: Event
    group: str | None
    queue_max: bool
    runs: bool  # its `if:` held: a runner starts and a minute is billed
    started: datetime | None = None
    finished: datetime | None = None
    cancelled: bool = False


@dataclass
class Bill:
    jobs: list[Job] = field(default_factory=list)

    @property
    def billed(self) -> list[Job]:
        return [j for j in self.jobs if j.runs and not j.cancelled]

    def minutes(self) -> int:
        return len(self.billed)  # each job well under a minute, billed as one

    def by_workflow(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for job in self.billed:
            counts[job.workflow] = counts.get(job.workflow, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def lost(self, kind: str) -> int:
        """Events of `kind` whose every job that would have served them was cancelled."""
        served: dict[int, bool] = {}
        for job in self.jobs:
            if job.event.kind == kind and job.runs:
                served[id(job.event)] = served.get(id(job.event), False) or not job.cancelled
        return sum(1 for ok in served.values() if not ok)

    def latency(self, kind: str) -> timedelta:
        """The worst time from an event of `kind` to the end of the job that served it."""
        worst = timedelta(0)
        for job in self.jobs:
            if job.event.kind == kind and job.runs and not job.cancelled and job.finished:
                worst = max(worst, job.finished - job.event.at)
        return worst


class _Queues:
    """Concurrency groups as GitHub keeps them, and the clock of job ends."""

    def __init__(self, duration: timedelta) -> None:
        self.duration = duration
        self.groups: dict[str, tuple[list[Job], deque[Job]]] = {}
        self.ends: list[tuple[datetime, int, Job]] = []
        self.serial = 0

    def until(self, moment: datetime | None) -> None:
        """Finish every job that ends by `moment` (all of them with None)."""
        while self.ends:
            self.ends.sort(key=lambda item: (item[0], item[1]))
            at, _, job = self.ends[0]
            if moment is not None and at > moment:
                return
            self.ends.pop(0)
            self.finish(job, at)

    def finish(self, job: Job, at: datetime) -> None:
        job.finished = at
        if job.group is None:
            return
        running, waiting = self.groups[job.group]
        running.remove(job)
        if waiting:
            self.start(waiting.popleft(), at)

    def start(self, job: Job, at: datetime) -> None:
        job.started = at
        if job.group is not None:
            self.groups[job.group][0].append(job)
        self.serial += 1
        took = self.duration if job.runs else timedelta(0)
        self.ends.append((at + took, self.serial, job))

    def enter(self, job: Job, at: datetime) -> None:
        if job.group is None:
            self.start(job, at)
            return
        running, waiting = self.groups.setdefault(job.group, ([], deque()))
        if not running and not waiting:
            self.start(job, at)
            return
        limit = 100 if job.queue_max else 1
        while len(waiting) >= limit:
            waiting.popleft().cancelled = True
        waiting.append(job)


def _jobs(name: str, data: dict[str, Any], event: Event, context: Mapping[str, Any]) -> list[Job]:
    """The jobs a run of workflow `name` has for `event`, with the group each enters."""
    found = []
    wf_group = data.get("concurrency")
    for job_id, job in data["jobs"].items():
        runs = holds(job.get("if"), context)
        group = job.get("concurrency") or wf_group
        key, queue_max = None, False
        if group is not None and (runs or wf_group is not None):  # workflow-level: before `if:`
            spec = group if isinstance(group, dict) else {"group": group}
            key = interpolate(str(spec["group"]), context)
            queue_max = spec.get("queue") == "max"
        found.append(Job(name, job_id, event, key, queue_max, runs))
    return found


def simulate(
    workflows: Mapping[str, dict[str, Any]],
    events: Iterable[Event],
    *,
    duration: timedelta = timedelta(seconds=65),  # pickup ~15 s, setup ~35 s, the command ~15 s
    variables: Mapping[str, str] | None = None,
) -> Bill:
    """Run the week: which jobs start, which wait, which GitHub cancels, when each ends."""
    bill = Bill()
    queues = _Queues(duration)
    for event in sorted(events, key=lambda e: e.at):
        queues.until(event.at)
        if event.via_github_token and event.name not in (
            "workflow_dispatch",
            "repository_dispatch",
        ):
            continue  # GitHub's rule: GITHUB_TOKEN's events start no runs
        context = {
            "github": {"event_name": event.name, "event": event.payload},
            "vars": dict(variables or {}),
            "inputs": event.payload.get("inputs") or {},
        }
        for name, data in workflows.items():
            if matches(data.get("on"), event):
                for job in _jobs(name, data, event, context):
                    bill.jobs.append(job)
                    queues.enter(job, event.at)
    queues.until(None)
    return bill
