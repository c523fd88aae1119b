"""Event payloads: the files (GITHUB_EVENT_PATH and friends), read once the same way everywhere,
and an `issues` payload's issue as `IssueFacts` (PayloadError names what is off)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from ante import clock
from ante.core.awards import IssueFacts, Person, is_bot
from ante.errors import AnteError, UsageError

MAX_BYTES = 25 * 1024 * 1024  # GitHub caps webhook payloads at 25 MB
MAX_DEPTH = 64  # real payloads nest about 6 levels; forwarded ones a few more
_SURROGATE = re.compile("[\ud800-\udfff]")  # half a UTF-16 pair: JSON allows it alone


def depth(value: Any) -> int:
    """How deeply `value` (parsed JSON) nests, counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level + 1) for child in item)
    return deepest


def _whole_characters(value: Any) -> Any:
    """`value` with every lone surrogate in its strings replaced by U+FFFD (no recursion)."""

    def fix(item: Any) -> Any:
        return _SURROGATE.sub("\ufffd", item) if isinstance(item, str) else item

    root = [value]
    stack: list[Any] = [root]
    while stack:
        container = stack.pop()
        pairs = list(container.items()) if isinstance(container, dict) else enumerate(container)
        for key, item in pairs:
            place = key
            if isinstance(container, dict) and isinstance(key, str) and _SURROGATE.search(key):
                del container[key]
                place = fix(key)
            container[place] = fix(item)
            if isinstance(item, dict | list):
                stack.append(item)
    return root[0]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load_payload(path: Path, *, forwarded: bool = True) -> Any:
    """The JSON payload in `path`; a product repo's forwarded event is unwrapped.

    A product repository forwards its `issues` events as `repository_dispatch`, whose
    `client_payload` is the original payload.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            raise AnteError(f"{path}: larger than an event payload can be ({MAX_BYTES} bytes)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnteError(f"{path}: no such event file") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise AnteError(f"{path}: not a JSON event payload ({exc})") from None
    try:
        payload = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise AnteError(
            f"{path}:{exc.lineno}:{exc.colno}: not a JSON event payload ({exc.msg})"
        ) from None
    except RecursionError:
        raise AnteError(f"{path}: nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:
        raise AnteError(f"{path}: not a JSON event payload ({exc})") from None
    if depth(payload) > MAX_DEPTH:
        raise AnteError(f"{path}: nested more than {MAX_DEPTH} levels deep")
    if "\\u" in text:  # `\ud800` alone decodes to text that no file or stream can hold
        payload = _whole_characters(payload)
    if forwarded and isinstance(payload, dict) and isinstance(payload.get("client_payload"), dict):
        payload = payload["client_payload"]
    return payload


class PayloadError(ValueError):
    """The event payload is not an `issues` event ante can read."""


def _person(data: object, where: str) -> Person:
    if not isinstance(data, Mapping) or not isinstance(data.get("login"), str):
        raise PayloadError(f"{where}: expected a user with a `login`")
    return Person(data["login"], is_bot(data["login"], data.get("type")))


def _instant(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise PayloadError(f"{where}: expected an ISO-8601 time")
    try:
        return clock.parse_instant(value, what=where)
    except UsageError as exc:
        raise PayloadError(str(exc)) from None


def issue_facts(issue: Mapping[str, object], repo: str, closer: Person | None = None) -> IssueFacts:
    """An `issue` object (webhook or REST/search shape) as facts; PayloadError names what is off."""
    for key in ("number", "html_url", "state", "created_at", "updated_at"):
        if key not in issue:
            raise PayloadError(f"issue.{key} is missing")
    number, url, state = issue["number"], issue["html_url"], issue["state"]
    if not isinstance(number, int) or isinstance(number, bool):
        raise PayloadError("issue.number: expected a number")
    if not isinstance(url, str) or not isinstance(state, str) or state not in ("open", "closed"):
        raise PayloadError("issue.html_url / issue.state: unexpected values")
    labels_raw = issue.get("labels") or []
    assignees_raw = issue.get("assignees") or []
    if not isinstance(labels_raw, list) or not isinstance(assignees_raw, list):
        raise PayloadError("issue.labels / issue.assignees: expected lists")
    labels = tuple(
        str(label["name"]) if isinstance(label, Mapping) else str(label) for label in labels_raw
    )
    assignees = tuple(_person(a, "issue.assignees[]") for a in assignees_raw)
    if not assignees and isinstance(issue.get("assignee"), Mapping):
        assignees = (_person(issue["assignee"], "issue.assignee"),)
    if closer is None and isinstance(issue.get("closed_by"), Mapping):
        closer = _person(issue["closed_by"], "issue.closed_by")
    reason = issue.get("state_reason")
    github_id = issue.get("id")
    return IssueFacts(
        repo=repo,
        number=number,
        url=url,
        title=str(issue.get("title") or ""),
        state=state,
        state_reason=reason if isinstance(reason, str) else None,
        labels=labels,
        assignees=assignees,
        created_at=_instant(issue["created_at"], "issue.created_at"),
        updated_at=_instant(issue["updated_at"], "issue.updated_at"),
        closer=closer if state == "closed" else None,
        id=github_id if type(github_id) is int and github_id > 0 else None,
    )


def from_event(payload: object) -> tuple[str, IssueFacts]:
    """The action and the issue of an `issues` webhook payload; PayloadError otherwise."""
    if not isinstance(payload, Mapping):
        raise PayloadError("the payload is not a JSON object")
    if "pull_request" in payload or not isinstance(payload.get("issue"), Mapping):
        raise PayloadError("not an `issues` event (the payload has no `issue`)")
    action = payload.get("action")
    if not isinstance(action, str):
        raise PayloadError("the payload has no `action`")
    repository = payload.get("repository")
    if not isinstance(repository, Mapping) or not isinstance(repository.get("full_name"), str):
        raise PayloadError("repository.full_name is missing")
    issue = payload["issue"]
    if "pull_request" in issue:
        raise PayloadError("this is a pull request, not an issue")
    closer = None
    if action == "closed" and isinstance(payload.get("sender"), Mapping):
        closer = _person(payload["sender"], "sender")
    return action, issue_facts(issue, repository["full_name"], closer)
