"""The YAML gateway: every data file is read here, and every problem points at a file and line.

Reading is fast (libyaml when present); only when something is wrong is the file composed
again with positions, to name the exact line and column. Writing never reformats a file a
person owns: tool-written files are emitted by `dump_*` in one stable spelling, and edits to
people's files are line-level appends.

Size: the line-aware reader, the fast journal reader and the writer must agree on one
spelling of YAML, so they stay side by side.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ante.clock import utc_text
from ante.errors import DataError, Problem
from ante.files.strict import LIMITS, StrictError, StrictLoader, prescan

# libyaml is an order of magnitude faster on big journals (PyYAML may be built without it).
SafeLoader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)

Model = TypeVar("Model", bound=BaseModel)
# The fast path of a big tool-written file: True for the journal's, or the file's own reader
# (files/flowrows.py); it returns None for anything not in ante's spelling.
Fast = bool | Callable[[str], dict[str, Any] | None]
Loc = Sequence[str | int]


def display(path: Path, root: Path | None = None) -> str:
    """The path as people see it in messages: relative to the team repo when inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


class Document:
    """One YAML file's text and data, able to say where any part of the data came from."""

    def __init__(self, path: Path, text: str, shown: str, *, fast: Fast = False) -> None:
        self.path, self.text, self.shown = path, text, shown
        self._root: yaml.Node | None = None
        reader = fast_journal if fast is True else fast or None
        if reader is not None and (parsed := reader(text)) is not None:
            self.data: Any = parsed
            return
        try:
            prescan(text)  # size, nesting and alias expansion, before anything is built
            self.data = yaml.load(text, Loader=StrictLoader)
        except StrictError as exc:
            mark = exc.problem_mark
            line = mark.line + 1 if mark else None
            col = mark.column + 1 if mark else None
            raise DataError(Problem(shown, line, col, str(exc.problem))) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = f"not valid YAML: {exc.problem or exc.context}"
            if exc.context and exc.problem:
                message = f"not valid YAML: {exc.problem} ({exc.context})"
            line = mark.line + 1 if mark else None
            col = mark.column + 1 if mark else None
            raise DataError(Problem(shown, line, col, message)) from None
        except yaml.reader.ReaderError as exc:  # a character YAML refuses: say where it is
            line = text.count("\n", 0, exc.position) + 1
            col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
            code = exc.character if isinstance(exc.character, int) else ord(exc.character)
            message = f"not valid YAML: U+{code:04X} is a character YAML does not allow"
            raise DataError(Problem(shown, line, col, message)) from None
        except yaml.YAMLError as exc:
            raise DataError(Problem(shown, None, None, f"not valid YAML: {exc}")) from None
        except (ValueError, OverflowError, TypeError, RecursionError) as exc:
            raise DataError(Problem(shown, None, None, f"not valid YAML: {exc}")) from None

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the deepest node on `loc` that exists.

        With `key`, a mapping entry is located at its key (for "unknown field" messages).
        """
        if self._root is None:
            self._root = yaml.compose(self.text, Loader=SafeLoader)
        node = self._root
        if node is None:
            return None, None
        for depth, step in enumerate(loc):
            child = _child(node, step, key=key and depth == len(loc) - 1)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, col = self.where(loc, key=key)
        return Problem(self.shown, line, col, message)

    def validate(self, model: type[Model], *, empty: Any = None) -> Model:
        """The data as `model`, or a DataError naming every bad field's line."""
        data = self.data if self.data is not None else empty
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise DataError(
                [
                    self.problem(err["loc"], _message(err), key=err["type"] == "extra_forbidden")
                    for err in exc.errors()
                ]
            ) from None


def _child(node: yaml.Node, step: str | int, *, key: bool = False) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        pairs: list[tuple[yaml.Node, yaml.Node]] = node.value
        for k, v in pairs:
            if str(k.value) == str(step):
                empty = isinstance(v, yaml.ScalarNode) and v.value == ""
                return k if key or empty else v
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
        items: list[yaml.Node] = node.value
        return items[step] if 0 <= step < len(items) else None
    return None


def _message(err: Any) -> str:
    loc = err["loc"]
    field = str(loc[-1]) if loc and isinstance(loc[-1], str) else None
    text = str(err["msg"])
    if err["type"] == "extra_forbidden":
        return f"unknown field {field!r} (check its spelling)"
    if err["type"] == "missing":
        return f"missing required field {field!r}"
    text = text.removeprefix("Value error, ")
    return f"{field}: {text}" if field else text


def read(path: Path, root: Path | None = None, *, fast: Fast = False) -> Document:
    """A YAML file; `fast` takes the journal fast path when the file is in ante's own spelling."""
    shown = display(path, root)
    try:
        size = path.stat().st_size
        if size > LIMITS.max_bytes:
            raise DataError(
                Problem(
                    shown, None, None, f"{size} bytes: more than ante reads ({LIMITS.max_bytes})"
                )
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(Problem(shown, None, None, "file not found")) from None
    except IsADirectoryError:
        raise DataError(Problem(shown, None, None, "a folder where a file was expected")) from None
    except OSError as exc:
        raise DataError(Problem(shown, None, None, f"cannot read: {exc.strerror}")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(Problem(shown, line, col, f"not UTF-8 text: {exc.reason}")) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return Document(path, text, shown, fast=fast)


def load(
    path: Path,
    model: type[Model],
    root: Path | None = None,
    *,
    empty: Any = None,
    fast: Fast = False,
) -> Model:
    return read(path, root, fast=fast).validate(model, empty=empty)


# ---- the journal's fast path -----------------------------------------------------------------
# Journals are big and tool-written in one spelling (see `flow`), so they are read line by line
# without building YAML nodes. Anything else in the file, including a hand edit that is not in
# that spelling, falls back to the full YAML loader: same data either way, just slower.

_PAIR = re.compile(r'(\w+): ("(?:[^"\\]|\\.)*"|[^,}"]*)(, |\}$)')
_TYPED = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "delta": re.compile(r"^-?(?:0|[1-9]\d{0,17})$"),
    "at": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"),
    "rate": re.compile(r"^(?:0|[1-9]\d{0,17})$"),
    "issue_id": re.compile(r"^[1-9]\d{0,17}$"),
}


def fast_journal(text: str) -> dict[str, Any] | None:
    if unreadable(text):  # YAML refuses these anywhere, comments too, or reads them as line
        return None  # breaks: the full loader decides, and names the line
    data: dict[str, Any] = {}
    entries: list[dict[str, Any]] | None = None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if entries is None:
            if line in ("entries:", "entries: []"):
                entries = []
                continue
            key, sep, raw = line.partition(": ")
            value = _fast_value(key, raw) if sep and key in ("week", "rate", "reason") else None
            if value is None or key in data:  # a duplicate key: the full loader names it
                return None
            data[key] = value
            continue
        if not (line.startswith("- {") and line.endswith("}")):
            return None
        entry = _entry_line(line)
        if entry is not None:
            entries.append(entry)
            continue
        row: dict[str, Any] = {}
        pos = 3
        while pos < len(line):
            match = _PAIR.match(line, pos)
            if match is None:
                return None
            value = _fast_value(match[1], match[2])
            if value is None:
                return None
            row[match[1]] = value
            pos = match.end()
        entries.append(row)
    data["entries"] = entries or []
    return data


_VALUE = r'("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_.\-/@]*)'
_ENTRY = re.compile(
    rf"^- \{{id: {_VALUE}, date: (\d{{4}}-\d\d-\d\d), kind: ([a-z]+), member: {_VALUE}, "
    rf"delta: (-?(?:0|[1-9]\d{{0,17}})), ref: {_VALUE}(?:, reason: {_VALUE})?"
    r"(?:, at: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ))?(?:, issue_id: ([1-9]\d{0,17}))?\}$"
)


_ASCII_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def unreadable(text: str) -> bool:
    """Whether `text` holds a character YAML refuses or reads as a line break (an ASCII text,
    the usual journal, is checked bytewise: several times faster than the pattern)."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_PRINTABLE))
    return _UNPRINTABLE.search(text) is not None


def _entry_line(line: str) -> dict[str, Any] | None:
    """One journal entry in the exact key order ante writes, with one regex (the hot path)."""
    match = _ENTRY.match(line)
    if match is None:
        return None
    ident, day, kind, member, delta, ref, reason, at, issue_id = match.groups()
    texts = [_text(ident), _text(member), _text(ref), _text(reason) if reason else None]
    if any(t is None for t in texts[:3]) or (reason and texts[3] is None):
        return None
    row = {
        "id": texts[0],
        "date": day,
        "kind": kind,
        "member": texts[1],
        "delta": int(delta),
        "ref": texts[2],
    }
    if reason:
        row["reason"] = texts[3]
    if at:
        row["at"] = at
    if issue_id:
        row["issue_id"] = int(issue_id)
    return row


def plain_text(raw: str) -> str | None:
    """A plain word as YAML reads it back as text, else None (a number, a boolean, null...)."""
    return raw if _PLAIN.match(raw) and raw.lower() not in _RESERVED else None


def _text(raw: str) -> str | None:
    if raw.startswith('"'):
        if "\\" not in raw:  # nothing escaped: the quotes are all there is to it
            return raw[1:-1]
        try:
            text = str(json.loads(raw))
        except ValueError:
            return None
        return None if _SURROGATE.search(text) else text  # the full loader names the line
    return None if raw.lower() in _RESERVED else raw


def _fast_value(key: str, raw: str) -> Any:
    if raw.startswith('"'):
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        return None if not isinstance(value, str) or _SURROGATE.search(value) else value
    typed = _TYPED.get(key)
    if typed is not None:
        if typed.match(raw) is None:
            return None
        return int(raw) if key in ("delta", "rate", "issue_id") else raw
    return raw if _PLAIN.match(raw) and raw.lower() not in _RESERVED else None


# ---- writing -------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-/@]*$")
_SURROGATE = re.compile("[\ud800-\udfff]")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def scalar(value: object) -> str:
    """One value in the stable spelling tool-written files use."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(scalar(item) for item in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return quoted(text)


# What YAML will not read back raw inside a double-quoted scalar: C0/C1 controls, DEL, the
# characters it treats as line breaks (NEL, LS, PS), surrogates and the non-characters.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)


def quoted(text: str) -> str:
    """`text` as a double-quoted YAML scalar that reads back as exactly `text`.

    JSON's escapes are YAML's too; what JSON leaves raw but YAML cannot read is escaped as
    `\\uXXXX`, and a lone surrogate (no valid Unicode) becomes U+FFFD.
    """
    body = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(_escape, body)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return "\\ufffd" if "\ud800" <= char <= "\udfff" else f"\\u{ord(char):04x}"


def flow(mapping: Iterable[tuple[str, object]]) -> str:
    """`{a: 1, b: x}` on one line: one record, one line, so diffs show records."""
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in mapping if v is not None) + "}"


def block(value: object, indent: int = 0) -> list[str]:
    """A nested mapping/list in block style with sorted-as-given keys (stable output)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict | list) and v:
                lines.append(f"{pad}{scalar(k)}:")
                lines.extend(block(v, indent + 2))
            else:
                empty = "{}" if isinstance(v, dict) else "[]" if isinstance(v, list) else None
                lines.append(f"{pad}{scalar(k)}: {empty or scalar(v)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                lines.append(f"{pad}- {flow(item.items())}")
            else:
                lines.append(f"{pad}- {scalar(item)}")
    return lines


def write_text(path: Path, text: str) -> None:
    """Replace `path` atomically: readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def append_to_list(text: str, key: str, lines: list[str]) -> str:
    """`text` with `lines` added at the end of the top-level block list `key:`.

    The list must be the last top-level key (tool-written journals are laid out so);
    `key: []` becomes a block list. Everything else in the text stays byte for byte.
    """
    if not lines:
        return text
    body = text if text.endswith("\n") or not text else text + "\n"
    empty = re.compile(rf"^{re.escape(key)}:[ \t]*\[\][ \t]*$", re.MULTILINE)
    if empty.search(body):
        body = empty.sub(f"{key}:", body, count=1)
    elif not re.search(rf"^{re.escape(key)}:[ \t]*$", body, re.MULTILINE):
        body += f"{key}:\n"
    return body + "".join(line + "\n" for line in lines)
