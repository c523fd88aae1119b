"""The fuzz harness: corrupt a valid team repository, run every read command, judge the result.

Over 300 lines on purpose: the corruptions, the runs and the judge are one harness, read
together.

A case is a valid team repository (every file ante reads, with real content) with one file
corrupted by a strategy: truncated, a value of the wrong type, an alias bomb, deep nesting,
control characters, an impossible date, a huge number, a duplicated key, a foreign encoding,
or a file deleted. Every read command runs in-process (`cli.main`, fast); a command must end in
exit 0, or exit 1 with `path[:line:col]: message`, with no traceback and no internal error, in
time. And what `validate` accepts, every other command must accept.

`tests/corpus/` holds the cases found by hand or by earlier runs: each folder is laid over the
base repository (a file `<path>.delete` removes `<path>`).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from ante import cli
from ante.core.models import Entry
from ante.files.journal import Store, journal_text
from hypothesis import strategies as st

NOW = "2026-11-25T09:00:00Z"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"

# Every command that reads the repository, as a user would run it (history when it exists).
READ_COMMANDS: list[list[str]] = [
    ["validate", "--against", ""],
    ["balance"],
    ["status", "--out", "-"],
    ["rotation"],
    ["rotation", "ics"],
    ["refresh"],  # last: it writes
]
if "history" in cli.COMMANDS:
    READ_COMMANDS.insert(3, ["history", "alice"])  # a member of every corrupted team

ERROR_LINE = re.compile(r"^(?:ante: )?\S[^:\n]*(?::\d+(?::\d+)?)?: \S", re.MULTILINE)
# Refusals that are about the request, not the data: no rotation to show is not a bad file.
NOT_DATA = re.compile(r"^ante: no rotation (here|named)", re.MULTILINE)
LOCATED = re.compile(r"^\S[^:\n]*:\d+:\d+: \S", re.MULTILINE)

EXTRA_FILES = {
    "ledger/intake.yaml": (
        "issues:\n"
        "- {issue: https://github.com/o/r/issues/3, touched: 2026-11-20T10:00:00Z, "
        "active: 2026-11-19T10:00:00Z, comment: 11, earliest: 2026-11-27, latest: 2026-12-04}\n"
    ),
    "ledger/sweeps.yaml": (
        "swept:\n"
        '- {date: 2026-11-23, issue: https://github.com/o/r/issues/2, title: "Old noise", '
        "by: ante, reason: stale}\n"
    ),
    "ledger/pages/2026.yaml": (
        "pages:\n"
        '- {issue: https://github.com/o/r/issues/5, number: 5, title: "Checkout is down", '
        "rotation: oncall, opened: 2026-11-21T22:00:00Z, out_of_hours: true, captain: alice, "
        "first_mate: bob, closed: 2026-11-22T01:00:00Z}\n"
    ),
    "ledger/queue.yaml": (
        "taken: 2026-11-18T10:00:00Z\n"
        "issues:\n"
        '- {number: 7, title: "Flaky deploy", url: https://github.com/o/r/issues/7, '
        "priority: p1, due: 2026-12-01}\n"
    ),
    "ledger/metrics/backlog.yaml": (
        "weeks:\n"
        "- {week: 2026-W45, open: 6, opened: 3, closed: 2}\n"
        "- {week: 2026-W46, open: 7, opened: 3, closed: 2}\n"
    ),
    "ledger/sync.yaml": "cursor: 2026-11-20T10:00:00Z\n",
}


def make_base(root: Path) -> Path:
    """A valid team repository with every kind of file ante reads."""
    repo = root / "base"
    made = run(["init", str(repo), "--members", "alice,bob,carol"], repo=None, now="2026-11-18")
    assert made.code == 0, made.err
    for rel, text in EXTRA_FILES.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    tax = Entry(
        id="tax:2026-W47:bob",
        date=date(2026, 11, 18),
        kind="tax",
        member="bob",
        delta=-1,
        ref="tax/2026-W47",
    )
    (repo / "ledger/journal/2026/tax-2026-W47.yaml").write_text(
        journal_text(2026, [tax], {"week": "2026-W47", "rate": 1, "reason": "backlog at 7"})
    )
    award = Entry(
        id="award:o/r#9:alice:1",
        date=date(2026, 11, 20),
        kind="award",
        member="alice",
        delta=1,
        ref="https://github.com/o/r/issues/9",
    )
    store = Store(repo)
    store.append(store.load(), [award])
    for command in (["validate", "--against", ""], ["balance"]):
        result = run(command, repo=repo)
        assert result.code == 0, (command, result.err)
    return repo


def data_files(repo: Path) -> list[str]:
    return sorted(
        p.relative_to(repo).as_posix()
        for folder in ("ledger", "rotations")
        for p in (repo / folder).rglob("*.yaml")
    )


# ---- running one command ------------------------------------------------------------------


@dataclass
class Outcome:
    command: str
    code: int
    out: str
    err: str
    seconds: float


class Slow(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt the main thread after `seconds` (a hang becomes a finding, not a stuck run)."""

    def expire(signum: int, frame: Any) -> None:
        raise Slow(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run(args: Sequence[str], *, repo: Path | None, now: str = NOW, limit: float = 30) -> Outcome:
    argv = (["--repo", str(repo)] if repo else []) + list(args)
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    started = time.perf_counter()
    try:
        with deadline(limit):
            code = cli.main(argv, environ={"ANTE_NOW": now})
    except SystemExit as exc:
        code = int(exc.code or 0)
    except Slow as exc:
        code, err = -2, io.StringIO(f"HANG {exc}")
    except BaseException as exc:
        code = -1
        err.write(f"Traceback (escaped main): {type(exc).__name__}: {exc}")
    finally:
        sys.stdout, sys.stderr = old
    return Outcome(
        " ".join(args), code, out.getvalue(), err.getvalue(), time.perf_counter() - started
    )


# ---- judging ------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a fuzz run found; `failures` lists each bad case with its reason."""

    inputs: int = 0
    runs: int = 0
    tracebacks: int = 0
    crashes: int = 0
    unlocated: int = 0  # exit 1 whose message names no file
    slow: int = 0
    mismatches: int = 0  # validate accepted, another command rejected
    slowest: tuple[float, str] = (0.0, "")
    failures: list[str] = field(default_factory=list)

    def judge(self, case: str, outcomes: list[Outcome], budget: float = 2.0) -> None:
        self.inputs += 1
        validated = next((o for o in outcomes if o.command.startswith("validate")), None)
        for outcome in outcomes:
            self.runs += 1
            label = f"{case} :: ante {outcome.command}"
            if outcome.seconds > self.slowest[0]:
                self.slowest = (outcome.seconds, label)
            if outcome.code == -2 or outcome.seconds > budget:
                self.slow += 1
                self.failures.append(f"{label}: {outcome.seconds:.2f} s")
            if "Traceback" in outcome.err or "internal error" in outcome.err or outcome.code < 0:
                self.tracebacks += 1
                self.failures.append(f"{label}: {outcome.err.strip()[-300:]}")
                continue
            if outcome.code not in (0, 1):
                self.failures.append(f"{label}: exit {outcome.code}: {outcome.err[-300:]}")
                continue
            if outcome.code == 1 and not ERROR_LINE.search(outcome.err):
                self.unlocated += 1
                self.failures.append(f"{label}: message names no file: {outcome.err[-300:]}")
            if (
                validated is not None
                and validated.code == 0
                and outcome.code == 1
                and outcome is not validated
                and not NOT_DATA.search(outcome.err)
            ):
                self.mismatches += 1
                self.failures.append(
                    f"{label}: validate accepted, this rejected: {outcome.err.strip()[-300:]}"
                )

    def report(self) -> str:
        return (
            f"inputs tried: {self.inputs}, command runs: {self.runs}, tracebacks: "
            f"{self.tracebacks}, crashes: {self.crashes}, slow (>2 s): {self.slow}, "
            f"errors naming no file: {self.unlocated}, validate accepted but another rejected: "
            f"{self.mismatches}, slowest: {self.slowest[0]:.2f} s ({self.slowest[1]})"
        )


def run_case(base: Path, work: Path, name: str, corrupt: Callable[[Path], None]) -> list[Outcome]:
    """Copy `base`, corrupt it, run every read command on it."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(base, work, ignore=shutil.ignore_patterns(".git", "scripts"))
    corrupt(work)
    return [run(command, repo=work) for command in READ_COMMANDS]


# ---- strategies: one corruption of one file ------------------------------------------------

Corruption = Callable[[Path], None]

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f", "g"], "abcdefgh", strict=True)
)
NASTY_TEXT = st.sampled_from(
    [
        "\x00",
        "\x1b[31m",
        "\ud800",
        "\u2028",
        "\x85",
        "\ufeff",
        "line\nbreak",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "@org/everyone",
        "x" * 70_000,
        "{{ 7*7 }}",
        "{% raw %}",
        "'",
        '"',
        ": -",
        "*alias",
        "&anchor",
        "!!python/object:os.system",
        "%YAML 1.1",
        "---",
        "...",
    ]
)
WRONG_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    NASTY_TEXT,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(
        ["2026-02-30", "2026-13-01", "9999-12-31", "0001-01-01", "10:00", "010", "1_000"]
    ),
)
TEXT_EDITS = st.sampled_from(
    [
        "truncate",
        "bomb",
        "deep_flow",
        "deep_block",
        "control",
        "bad_date",
        "huge_number",
        "duplicate_line",
        "latin1",
        "utf16",
        "bom",
        "delete",
        "empty",
        "null_document",
        "list_document",
        "octal",
        "multiline_description",
        "swap_lines",
        "tab_indent",
    ]
)


def _edit(text: str, how: str, at: float, extra: str) -> bytes | None:
    lines = text.splitlines(keepends=True) or [""]
    index = min(int(at * len(lines)), len(lines) - 1)
    if how == "truncate":
        return text.encode()[: int(at * len(text.encode()))]
    if how == "bomb":
        return (BOMB + text).encode()
    if how == "deep_flow":
        return (text + "x: " + "[" * (1000 + int(at * 60_000)) + "\n").encode()
    if how == "deep_block":
        return (text + "y:\n" + "- " * (100 + int(at * 20_000)) + "z\n").encode()
    if how == "control":
        lines[index] = lines[index].rstrip("\n") + extra + "\n"
        return "".join(lines).encode("utf-8", "surrogatepass")
    if how == "bad_date":
        return re.sub(r"\d{4}-\d\d-\d\d", "2026-02-30", text, count=1 + int(at * 3)).encode()
    if how == "huge_number":
        return re.sub(r"(?<=: )\d+\b", "9" * (20 + int(at * 5000)), text, count=1).encode()
    if how == "duplicate_line":
        lines.insert(index, lines[index])
        return "".join(lines).encode()
    if how == "latin1":
        return (text + "note: café\n").encode("latin-1", "replace")
    if how == "utf16":
        return text.encode("utf-16")
    if how == "bom":
        return ("\ufeff" + text).encode()
    if how == "delete":
        return None
    if how == "empty":
        return b""
    if how == "null_document":
        return b"~\n"
    if how == "list_document":
        return b"- a\n- b\n"
    if how == "octal":
        return re.sub(r"(?<=: )(\d+)\b", r"0\1", text, count=1).encode()
    if how == "multiline_description":
        return (
            re.sub(r"(?m)^description:.*$", 'description: "two\\nlines\\r\\n; X:Y,Z"', text)
        ).encode()
    if how == "swap_lines":
        other = min(int((1 - at) * len(lines)), len(lines) - 1)
        lines[index], lines[other] = lines[other], lines[index]
        return "".join(lines).encode()
    if how == "tab_indent":
        return text.replace("  ", "\t", 1 + int(at * 3)).encode()
    raise AssertionError(how)


def _retype(text: str, at: float, value: Any) -> bytes:
    """One value somewhere in the document replaced with `value` (a wrong type, say)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return text.encode()
    slots: list[tuple[Any, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else []
        )
        for key, child in items:
            slots.append((node, key))
            stack.append(child)
    if not slots:
        return text.encode()
    node, key = slots[min(int(at * len(slots)), len(slots) - 1)]
    node[key] = value
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode(
            "utf-8", "surrogatepass"
        )
    except (yaml.YAMLError, UnicodeError):
        return text.encode()


@st.composite
def corruptions(draw: st.DrawFn, files: Sequence[str]) -> tuple[str, Corruption]:
    """One corruption of one of `files`, with a name that says what it is."""
    rel = draw(st.sampled_from(files))
    at = draw(st.floats(min_value=0, max_value=1))
    if draw(st.booleans()):
        how = draw(TEXT_EDITS)
        extra = draw(NASTY_TEXT)

        def corrupt(repo: Path) -> None:
            path = repo / rel
            data = _edit(path.read_text(encoding="utf-8"), how, at, extra)
            if data is None:
                path.unlink()
            else:
                path.write_bytes(data)

        return f"{rel}: {how} at {at:.2f}" + (
            f" {extra[:20]!r}" if how == "control" else ""
        ), corrupt
    value = draw(WRONG_VALUES)

    def retype(repo: Path) -> None:
        path = repo / rel
        path.write_bytes(_retype(path.read_text(encoding="utf-8"), at, value))

    return f"{rel}: value at {at:.2f} -> {str(value)[:40]!r}", retype


def corpus_cases() -> list[tuple[str, Corruption]]:
    """`tests/corpus/<case>/...`: files laid over the base repository."""
    cases: list[tuple[str, Corruption]] = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):

        def overlay(repo: Path, folder: Path = folder) -> None:
            for source in sorted(folder.rglob("*")):
                if not source.is_file() or source.name == "README":
                    continue
                rel = source.relative_to(folder)
                if source.suffix == ".delete":
                    (repo / rel.with_suffix("")).unlink(missing_ok=True)
                    continue
                target = repo / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                data = source.read_bytes()
                if source.suffix == ".repeat":  # `<path>.repeat`: JSON {"text": .., "times": ..}
                    spec = json.loads(data)
                    target = repo / rel.with_suffix("")
                    data = (spec.get("head", "") + spec["text"] * spec["times"]).encode()
                target.write_bytes(data)

        cases.append((f"corpus/{folder.name}", overlay))
    return cases


# ---- event payloads -----------------------------------------------------------------------

# Every command that reads an event payload (without a token: what the payload alone decides).
EVENT_COMMANDS: list[list[str]] = [["award"], ["intake"], ["emergency"]]


def valid_payloads() -> list[dict[str, Any]]:
    """Real `issues` events (GitHub's own examples, adjusted): closed overhead, an emergency."""
    from testbed.awardkit import event_payload
    from testbed.payloads import issues_event

    emergency = issues_event("opened", number=5, labels=["product-emergency"], sender="alice")
    forwarded = {"action": "overhead", "client_payload": event_payload("closed")}
    return [
        event_payload("closed"),
        event_payload("labeled", label="overhead"),
        emergency,
        forwarded,
    ]


def run_event_case(base: Path, work: Path, data: bytes) -> list[Outcome]:
    """Every event command on the payload `data`, each on a fresh copy of `base`."""
    outcomes = []
    for command in EVENT_COMMANDS:
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(base, work, ignore=shutil.ignore_patterns(".git", "scripts"))
        event = work.parent / "event.json"
        event.write_bytes(data)
        outcomes.append(run([*command, "--event", str(event)], repo=work))
    return outcomes


def _mutate_json(value: Any, at: float, replacement: Any) -> Any:
    """`value` with one node (chosen by `at`) replaced, or a key dropped when `replacement`
    is the string "<drop>"."""
    slots: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else []
        )
        for key, child in items:
            slots.append((node, key))
            stack.append(child)
    if slots:
        node, key = slots[min(int(at * len(slots)), len(slots) - 1)]
        if replacement == "<drop>" and isinstance(node, dict):
            del node[key]
        else:
            node[key] = replacement
    return value


PAYLOAD_EDITS = st.sampled_from(
    ["retype", "drop", "truncate", "deep", "surrogate", "not_json", "huge", "top_level"]
)


@st.composite
def payload_corruptions(draw: st.DrawFn) -> tuple[str, bytes]:
    import copy

    payloads = valid_payloads()
    index = draw(st.integers(min_value=0, max_value=len(payloads) - 1))
    payload = copy.deepcopy(payloads[index])
    how = draw(PAYLOAD_EDITS)
    at = draw(st.floats(min_value=0, max_value=1))
    name = f"payload {index}: {how} at {at:.2f}"
    if how == "retype":
        value = draw(WRONG_VALUES)
        name += f" -> {str(value)[:30]!r}"
        return name, json.dumps(_mutate_json(payload, at, value)).encode()
    if how == "drop":
        return name, json.dumps(_mutate_json(payload, at, "<drop>")).encode()
    text = json.dumps(payload)
    if how == "truncate":
        return name, text.encode()[: int(at * len(text))]
    if how == "deep":
        depth = 100 + int(at * 60_000)
        return name, json.dumps(_mutate_json(payload, at, "<deep>")).replace(
            '"<deep>"', "[" * depth + "]" * depth
        ).encode()
    if how == "surrogate":
        return name, json.dumps(_mutate_json(payload, at, "<s>")).replace(
            '"<s>"', '"a\\ud800b\\udfff"'
        ).encode()
    if how == "not_json":
        return name, draw(st.sampled_from([b"", b"\xff\xfe", b"NaN", b"[1, 2", b'{"a": Infinity}']))
    if how == "huge":
        return name, json.dumps(_mutate_json(payload, at, "<n>")).replace(
            '"<n>"', "9" * (100 + int(at * 10_000))
        ).encode()
    return name, json.dumps(draw(WRONG_VALUES)).encode()
