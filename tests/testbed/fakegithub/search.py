"""Search: the query language ante uses, and an index that behaves like GitHub's.

GitHub's search index lags behind writes (a just-closed issue may not be found yet), returns at
most 1,000 results per query and allows 30 search requests a minute per token. The index here
keeps, for every issue, the versions written so far with the moment each becomes searchable
(written at + `lag`, on the fake's clock); a search at `now` sees the newest version already
searchable, and issues with none are not found.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .model import Issue, Repo

MAX_RESULTS = 1000
PER_MINUTE = 30
# GitHub documents no figure for the index's delay; in practice a write shows up in search after
# seconds to minutes. A minute of the fake's clock is the default, so every test meets a lagging
# index unless it says why not (`@pytest.mark.search_lag(0, reason=...)`).
DEFAULT_LAG = timedelta(minutes=1)
# Search query parsing (the qualifiers ante uses; anything else is reported, not guessed).

_TOKEN = re.compile(r'(-?)([a-z-]+):("[^"]*"|\S+)|("[^"]*"|\S+)')
Predicate = Callable[[Repo, Issue], bool]


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _parse_when(text: str) -> tuple[datetime, datetime]:
    """The inclusive interval a search date means: a whole day, or one instant."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        start = datetime.fromisoformat(text).replace(tzinfo=UTC)
        return start, start + timedelta(days=1) - timedelta(microseconds=1)
    moment = datetime.fromisoformat(text)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment, moment


def date_matcher(expression: str) -> Callable[[datetime | None], bool]:
    """`>=2025-01-01`, `<2025-01-01T10:00:00Z`, `2025-01-01..2025-01-31`, `*..2025-01-31`."""
    low, high = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    for operator in (">=", "<=", ">", "<"):
        if expression.startswith(operator):
            first, last = _parse_when(expression[len(operator) :])
            if operator == ">=":
                low = first
            elif operator == ">":
                low = last + timedelta(microseconds=1)
            elif operator == "<=":
                high = last
            else:
                high = first - timedelta(microseconds=1)
            break
    else:
        if ".." in expression:
            start, end = expression.split("..", 1)
            low = low if start == "*" else _parse_when(start)[0]
            high = high if end == "*" else _parse_when(end)[1]
        else:
            low, high = _parse_when(expression)
    return lambda when: when is not None and low <= when <= high


def parse_search(query: str) -> list[Predicate]:
    """Turn a search `q` into predicates; raises ValueError for what the fake can't answer."""
    predicates: list[Predicate] = []
    repos: set[str] = set()  # GitHub reads several `repo:` qualifiers as "any of these"
    for negated, key, raw_value, word in _TOKEN.findall(query):
        if key == "repo" and not negated:
            repos.add(_unquote(raw_value).lower())
            continue
        if word:
            predicates.append(_words(_unquote(word).lower()))
            continue
        predicate = _qualifier(key, _unquote(raw_value))
        predicates.append(_negated(predicate) if negated else predicate)
    if repos:
        predicates.append(lambda r, _i: r.full_name.lower() in repos)
    return predicates


def _words(text: str) -> Predicate:
    return lambda _r, i: text in f"{i.title}\n{i.body or ''}".lower()


def _negated(predicate: Predicate) -> Predicate:
    return lambda r, i: not predicate(r, i)


def repositories(query: str) -> list[str]:
    """The repositories a query names with `repo:` (it searches only those)."""
    return [
        _unquote(raw)
        for negated, key, raw, _ in _TOKEN.findall(query)
        if key == "repo" and not negated
    ]


def _qualifier(key: str, value: str) -> Predicate:
    if key == "repo":
        return lambda r, _i: r.full_name.lower() == value.lower()
    if key in ("is", "type", "state"):
        return _state_qualifier(f"{key}:{value}")
    if key == "label":
        wanted = {v.strip().lower() for v in value.split(",")}  # a comma means "any of"
        return lambda _r, i: bool(wanted & {label.lower() for label in i.labels})
    if key == "no" and value in ("label", "assignee"):
        return lambda _r, i: not (i.labels if value == "label" else i.assignees)
    if key in ("author", "assignee"):
        if key == "author":
            return lambda _r, i: i.user.lower() == value.lower()
        return lambda _r, i: value.lower() in {a.lower() for a in i.assignees}
    if key == "reason":
        reason = value.lower().replace(" ", "_")
        return lambda _r, i: i.state_reason == reason
    if key in ("created", "updated", "closed", "merged"):
        matches = date_matcher(value)
        if key == "merged":
            return lambda _r, i: i.pull is not None and matches(i.pull.merged_at)
        return lambda _r, i: matches(getattr(i, f"{key}_at"))
    if key == "in" and value in ("title", "body", "title,body", "body,title"):
        return lambda _r, _i: True
    raise ValueError(f"search qualifier {key}:{value} is not supported by the fake")


def _state_qualifier(token: str) -> Predicate:
    checks: dict[str, Predicate] = {
        "is:issue": lambda _r, i: i.pull is None,
        "type:issue": lambda _r, i: i.pull is None,
        "is:pr": lambda _r, i: i.pull is not None,
        "type:pr": lambda _r, i: i.pull is not None,
        "is:open": lambda _r, i: i.state == "open",
        "state:open": lambda _r, i: i.state == "open",
        "is:closed": lambda _r, i: i.state == "closed",
        "state:closed": lambda _r, i: i.state == "closed",
        "is:merged": lambda _r, i: i.pull is not None and i.pull.merged_at is not None,
        "is:unmerged": lambda _r, i: (
            i.pull is not None and i.state == "closed" and i.pull.merged_at is None
        ),
    }
    if token not in checks:
        raise ValueError(f"search qualifier {token} is not supported by the fake")
    return checks[token]


@dataclass
class Window:
    """One token's search budget: PER_MINUTE requests from `start` (fake clock) on."""

    start: datetime
    used: int = 0

    def reset_in(self, now: datetime) -> int:
        return max(1, int((self.start + timedelta(minutes=1) - now).total_seconds()))


@dataclass
class Index:
    lag: timedelta = DEFAULT_LAG
    versions: dict[tuple[str, int], list[tuple[datetime, Repo, Issue]]] = field(
        default_factory=dict
    )
    windows: dict[str, Window] = field(default_factory=dict)

    def record(self, repo: Repo, issue: Issue, at: datetime) -> None:
        """A write to `issue` at `at`: this version is searchable from `at + lag` on."""
        snapshot = copy.copy(issue)
        snapshot.labels = list(issue.labels)
        snapshot.assignees = list(issue.assignees)
        snapshot.comments = list(issue.comments)
        snapshot.pull = copy.copy(issue.pull)
        key = (repo.full_name.lower(), issue.id)
        self.versions.setdefault(key, []).append((at, repo, snapshot))

    def rename_repo(self, old: str, repo: Repo) -> None:
        """The repository once called `old` is `repo.full_name` now: its versions follow it."""
        for key in [k for k in self.versions if k[0] == old.lower()]:
            self.versions[(repo.full_name.lower(), key[1])] = self.versions.pop(key)

    def forget(self, repo: Repo, issue: Issue) -> None:
        self.versions.pop((repo.full_name.lower(), issue.id), None)

    def rename_label(self, old: str, new: str) -> None:
        for versions in self.versions.values():
            for _, _, snapshot in versions:
                snapshot.labels = [new if n == old else n for n in snapshot.labels]

    def visible(self, now: datetime) -> Iterator[tuple[Repo, Issue]]:
        for versions in self.versions.values():
            seen = [(repo, issue) for at, repo, issue in versions if at + self.lag <= now]
            if seen:
                yield seen[-1]

    def spend(self, who: str, now: datetime) -> Window:
        """Count one search request of `who`; the window tells what is left."""
        window = self.windows.get(who)
        if window is None or now >= window.start + timedelta(minutes=1):
            window = self.windows[who] = Window(now)
        window.used += 1
        return window
