"""The fast path for ante's own record lists: one `- {...}` line per record, in one spelling.

The published schedule and the backlog metrics gain a line a week, forever; read through the
strict YAML loader, ten years of them cost ten times one. ante writes them one record per line
in a fixed spelling (`rotations.record_line`, `WeekMetrics.line`), so such a file is read line by
line with one pattern per record, into the very values the strict loader would build. Anything
else (a comment inside the list, a hand edit in another spelling, a key written twice) returns
None and the caller reads the file with the strict loader: the same data either way, the same
line-numbered errors, just slower.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import yaml

from ante.files.yamlio import plain_text, unreadable

Row = Callable[[re.Match[str]], dict[str, Any] | None]
Reader = Callable[[str], dict[str, Any] | None]

INSTANT = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)"
COUNT = r"0|[1-9]\d{0,17}"  # decimal as YAML reads it: no sign, no leading zero (octal)
_PAIR = re.compile(r"([a-z][a-z0-9-]*): ([^,{}\[\]\"']+)")


def reader(key: str, pattern: re.Pattern[str], row: Row) -> Reader:
    """A reader of a file that is comments, then `key:` and its records, one per line."""

    def read(text: str) -> dict[str, Any] | None:
        if unreadable(text):  # a character YAML refuses, in a comment too: the loader names it
            return None
        rows: list[dict[str, Any]] | None = None
        closed = False  # `key: []`: nothing may follow
        for line in text.splitlines():
            if line.startswith("#") and rows is None:
                continue
            if rows is None:
                if line not in (f"{key}:", f"{key}: []"):
                    return None
                rows, closed = [], line.endswith("[]")
                continue
            match = pattern.fullmatch(line)
            value = row(match) if match is not None and not closed else None
            if value is None:
                return None
            rows.append(value)
        return None if rows is None else {key: rows}

    return read


def instant(raw: str) -> datetime:
    """A timestamp as YAML reads it (`Z` is UTC)."""
    return datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith("Z") else raw)


def flow_map(raw: str) -> dict[str, str] | None:
    """`a: x, b: y` (the inside of a one-line flow mapping of plain words), or None."""
    found: dict[str, str] = {}
    if not raw:
        return found
    for part in raw.split(", "):
        match = _PAIR.fullmatch(part)
        if match is None:
            return None
        key, value = plain_text(match[1]), plain_text(match[2])
        if key is None or value is None or key in found:
            return None  # a reserved word, or a key written twice: the strict loader says so
        found[key] = value
    return found


# ---- a list of one-line records inside a file people edit ----------------------------------

_NOTE = re.compile(r"[A-Za-z](?:[A-Za-z0-9 ._/()'-]*[A-Za-z0-9._)])?")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def note_text(raw: str) -> str | None:
    """A few plain words as YAML reads them back as text (no `: `, ` #` or flow marks), or None."""
    if not _NOTE.fullmatch(raw) or "  " in raw or raw.lower() in _RESERVED:
        return None
    return raw


def embedded(key: str, pattern: re.Pattern[str], row: Row) -> Reader:
    """A reader of a whole YAML file whose top-level `key:` is a block list of one-line records
    (a rotation's overrides, which only ever grow): the records read by `pattern` and `row`,
    the rest of the file by the strict loader with the list left out (its lines blanked, so
    every other line keeps its number). Anything unexpected in the list returns None."""
    from ante.files.strict import strict_load

    def read(text: str) -> dict[str, Any] | None:
        if unreadable(text):  # a character YAML refuses: the loader names it
            return None
        lines = text.split("\n")
        try:
            head = lines.index(f"{key}:")
        except ValueError:
            return None
        rows: list[dict[str, Any]] = []
        indent: str | None = None
        for number in range(head + 1, len(lines)):
            line = lines[number]
            stripped = line.lstrip(" ")
            if line and not line.startswith((" ", "#", "- ")):
                break  # the next top-level key (a list may sit at its key's own column)
            if not stripped or stripped.startswith("#"):
                continue
            match = pattern.fullmatch(stripped)
            value = row(match) if match is not None else None
            if value is None or indent not in (None, line[: len(line) - len(stripped)]):
                return None
            indent = line[: len(line) - len(stripped)]
            rows.append(value)
            lines[number] = ""
        lines[head] = f"{key}: []"
        try:
            data = strict_load("\n".join(lines))
        except (yaml.YAMLError, ValueError, OverflowError, TypeError, RecursionError):
            return None  # the strict loader reads the whole file again and says where
        if not isinstance(data, dict) or data.get(key) != []:
            return None
        data[key] = rows
        return data

    return read
