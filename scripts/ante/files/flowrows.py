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
