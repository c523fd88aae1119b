"""Which workflows an event starts, as GitHub decides it (docs: "Events that trigger workflows").

- activity types: `issues`, `pull_request`, `repository_dispatch` (its `event_type`, in the
  payload's `action`) ... run only for the listed `types`; `pull_request` defaults to opened,
  synchronize and reopened;
- `push`/`pull_request` branch and path filters, with GitHub's filter pattern syntax (`*`, `**`,
  `?`, `+`, `[...]`, `!` negation; later patterns override earlier ones);
- `schedule`: five-field POSIX cron in UTC (day-of-month and day-of-week OR-ed when both are set).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

DEFAULT_TYPES = {"pull_request": ["opened", "synchronize", "reopened"]}
TYPED = {"issues", "pull_request", "pull_request_target", "repository_dispatch", "issue_comment"}


@cache
def _pattern(glob: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("?")  # zero or one of the preceding character
        elif c == "+":
            out.append("+")  # one or more of the preceding character
        elif c == "[":
            end = glob.index("]", i)
            out.append(glob[i : end + 1])
            i = end + 1
            continue
        elif c == "\\" and i + 1 < len(glob):
            out.append(re.escape(glob[i + 1]))
            i += 2
            continue
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def filter_matches(patterns: Sequence[str], value: str) -> bool:
    """Whether `value` passes a list of (possibly negated) patterns; the last match decides."""
    result = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        if _pattern(pattern[1:] if negated else pattern).match(value):
            result = not negated
    return result


def _passes(config: dict[str, Any], key: str, values: Iterable[str]) -> bool:
    """`key` (branches, paths, tags) and `key-ignore`: any value selected, or none ignored."""
    values = list(values)
    if config.get(key) is not None:
        return any(filter_matches(config[key], v) for v in values)
    if config.get(f"{key}-ignore") is not None:
        # paths-ignore: the run is skipped only when every changed path is ignored
        return any(not filter_matches(config[f"{key}-ignore"], v) for v in values)
    return True


def starts(
    events: dict[str, Any], name: str, payload: dict[str, Any], files: Sequence[str]
) -> bool:
    """Whether a workflow with `on:` converted to `events` runs for this event.

    `files` are the paths the push or pull request changed (path filters read them).
    """
    if name not in events or name == "schedule":
        return False
    config = events[name] or {}
    if name in TYPED:
        types = config.get("types") or DEFAULT_TYPES.get(name)
        if types is not None and payload.get("action") not in types:
            return False
    if name == "push":
        ref = payload["ref"]
        if ref.startswith("refs/tags/"):
            if config.get("tags") is None and config.get("tags-ignore") is None:
                if config.get("branches") is not None or config.get("branches-ignore") is not None:
                    return False
            elif not _passes(config, "tags", [ref.removeprefix("refs/tags/")]):
                return False
        else:
            has_branch_filter = (
                config.get("branches") is not None or config.get("branches-ignore") is not None
            )
            has_tag_filter = config.get("tags") is not None or config.get("tags-ignore") is not None
            if has_tag_filter and not has_branch_filter:
                return False
            if not _passes(config, "branches", [ref.removeprefix("refs/heads/")]):
                return False
        return _passes(config, "paths", files) if files or _has_paths(config) else True
    if name in ("pull_request", "pull_request_target"):
        if not _passes(config, "branches", [payload["pull_request"]["base"]["ref"]]):
            return False
        return _passes(config, "paths", files)
    return True


def _has_paths(config: dict[str, Any]) -> bool:
    return config.get("paths") is not None or config.get("paths-ignore") is not None


# ---------------------------------------------------------------------------------------------
# cron


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NAMES = {
    **{m: i + 1 for i, m in enumerate(_MONTHS)},
    **{d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])},
}
_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))


@cache
def cron(expression: str) -> tuple[frozenset[int], ...]:
    """The five sets of a cron expression; day-of-week 7 is Sunday too."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"cron needs five fields: {expression!r}")
    sets = []
    for text, (low, high) in zip(fields, _RANGES, strict=True):
        values: set[int] = set()
        for part in text.lower().split(","):
            body, _, step = part.partition("/")
            if body == "*":
                start, end = low, high
            elif "-" in body:
                a, b = body.split("-")
                start, end = int(_NAMES.get(a, a)), int(_NAMES.get(b, b))
            else:
                start = end = int(_NAMES.get(body, body))
                if step:
                    end = high
            values.update(range(start, end + 1, int(step or 1)))
        sets.append(frozenset(7 if v == 7 and high == 6 else v for v in values))
    minute, hour, dom, month, dow = sets
    if 7 in dow:
        dow = frozenset((dow - {7}) | {0})
    return minute, hour, dom, month, dow


def cron_matches(expression: str, when: datetime) -> bool:
    minute, hour, _, month, _ = cron(expression)
    if when.minute not in minute or when.hour not in hour or when.month not in month:
        return False
    return _day_matches(expression, when)


def _day_matches(expression: str, when: datetime) -> bool:
    _, _, dom, _, dow = cron(expression)
    dom_star, dow_star = expression.split()[2] == "*", expression.split()[4] == "*"
    weekday = (when.weekday() + 1) % 7  # cron: 0 = Sunday
    if dom_star or dow_star:
        return when.day in dom and weekday in dow
    return when.day in dom or weekday in dow


def cron_times(expression: str, after: datetime, until: datetime) -> Iterable[datetime]:
    """The minutes in (after, until] that `expression` names, in order."""
    minute, hour, _, month, _ = cron(expression)
    day = after.replace(hour=0, minute=0, second=0, microsecond=0)
    while day <= until:
        if day.month in month and _day_matches(expression, day):
            for h in sorted(hour):
                for m in sorted(minute):
                    when = day.replace(hour=h, minute=m)
                    if after < when <= until:
                        yield when
        day += timedelta(days=1)
