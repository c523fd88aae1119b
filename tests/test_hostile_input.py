"""Hostile and broken input: strict YAML, limits before parsing, no traceback on any error path.

Every case here is one the fuzz harness found (issue 14); each ends in exit 1 with
`path:line:col: message`, fast, and writes nothing.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from testbed.ante import run_ante, start_ante

ENTRY = (
    "- {{id: {id}, date: 2026-11-18, kind: adjust, member: bob, delta: {delta}, "
    "ref: manual, reason: fix}}"
)


def files_of(repo: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}


def assert_clean_error(result, where: str) -> None:
    """Exit 1, no traceback, no internal error, and a `where:line:col: message` line."""
    assert result.code == 1, (result.out, result.err)
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert re.search(rf"^{re.escape(where)}:\d+:\d+: \S", result.err, re.MULTILINE), result.err


def journal(repo: Path) -> Path:
    return repo / "ledger" / "journal" / "2026" / "entries.yaml"


@pytest.mark.parametrize("spelling", ["{id: x1, date: 2026-11-18", "{date: 2026-11-18, id: x1"])
def test_a_leading_zero_is_an_error_not_octal_or_decimal(team, spelling: str) -> None:
    """`delta: 010` was 10 on the fast path and 8 through YAML: now it is neither."""
    path = journal(team.workdir)
    line = spelling + ", kind: adjust, member: bob, delta: 010, ref: manual, reason: fix}"
    path.write_text(path.read_text() + "- " + line + "\n")
    before = files_of(team.workdir)
    for command in ("validate", "balance", "status", "refresh"):
        result = run_ante(["--repo", str(team.workdir), command])
        assert_clean_error(result, "ledger/journal/2026/entries.yaml")
        assert "'010' is not a plain decimal number" in result.err
    assert files_of(team.workdir) == before


def test_a_duplicate_entries_key_is_an_error_not_dropped_entries(team) -> None:
    path = journal(team.workdir)
    path.write_text(path.read_text() + "entries:\n" + ENTRY.format(id="x9", delta=1) + "\n")
    for command in ("validate", "balance", "status"):
        result = run_ante(["--repo", str(team.workdir), command])
        assert_clean_error(result, "ledger/journal/2026/entries.yaml")
        assert "duplicate key 'entries'" in result.err


def test_duplicate_keys_in_a_person_written_file(team) -> None:
    members = team.workdir / "ledger" / "members.yaml"
    members.write_text(members.read_text() + "members: []\n")
    result = run_ante(["--repo", str(team.workdir), "balance"])
    assert_clean_error(result, "ledger/members.yaml")


def test_an_impossible_date_is_exit_1_at_its_line(team) -> None:
    members = team.workdir / "ledger" / "members.yaml"
    members.write_text(members.read_text().replace("joined: 2026-11-18", "joined: 2026-02-30", 1))
    for command in ("validate", "balance", "status", "refresh"):
        result = run_ante(["--repo", str(team.workdir), command])
        assert_clean_error(result, "ledger/members.yaml")
        assert "'2026-02-30' is not a real date" in result.err


def test_an_impossible_date_in_a_rotation_file(team) -> None:
    rotation = team.workdir / "rotations" / "oncall.yaml"
    text = rotation.read_text()
    dated = re.search(r"^ +from: (20\d\d-\d\d-\d\d)$", text, re.MULTILINE)
    assert dated, text
    rotation.write_text(text.replace(dated.group(), dated.group().replace(dated[1], "2026-02-30")))
    for command in (["validate"], ["rotation"], ["status"], ["rotation", "ics"]):
        result = run_ante(["--repo", str(team.workdir), *command])
        assert_clean_error(result, "rotations/oncall.yaml")


BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f", "g"], "abcdefgh", strict=True)
)


def test_an_alias_bomb_is_refused_before_it_expands(team) -> None:
    (team.workdir / "rotations" / "oncall.yaml").write_text(BOMB)
    started = time.monotonic()
    result = run_ante(["--repo", str(team.workdir), "validate"])
    assert time.monotonic() - started < 2
    assert_clean_error(result, "rotations/oncall.yaml")
    assert "alias bomb" in result.err


@pytest.mark.parametrize("text", ["[" * 50_000, "- " * 50_000 + "x\n", "{a: " * 50_000])
def test_deep_nesting_is_exit_1_not_a_crash(team, text: str) -> None:
    (team.workdir / "rotations" / "oncall.yaml").write_text(text)
    proc = start_ante(["--repo", str(team.workdir), "validate"])
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, (proc.returncode, err[-2000:])
    assert "Traceback" not in err
    assert re.search(r"^rotations/oncall.yaml:\d+:\d+: ", err, re.MULTILINE), err[-2000:]


def test_a_file_too_large_to_be_data_is_refused_unread(team) -> None:
    big = team.workdir / "rotations" / "oncall.yaml"
    with big.open("w") as handle:
        handle.write("# " + "x" * (17 * 1024 * 1024) + "\n")
    result = run_ante(["--repo", str(team.workdir), "validate"])
    assert result.code == 1 and "rotations/oncall.yaml: " in result.err
    assert "more than ante reads" in result.err


def test_not_utf8_names_line_and_column(team) -> None:
    members = team.workdir / "ledger" / "members.yaml"
    members.write_bytes(members.read_bytes() + b"  - login: \xff\n")
    assert_clean_error(run_ante(["--repo", str(team.workdir), "balance"]), "ledger/members.yaml")


def test_huge_numbers_are_refused(team) -> None:
    path = journal(team.workdir)
    path.write_text(path.read_text() + ENTRY.format(id="x1", delta="9" * 5000) + "\n")
    result = run_ante(["--repo", str(team.workdir), "balance"])
    assert_clean_error(result, "ledger/journal/2026/entries.yaml")


def test_a_time_of_day_unquoted_still_reads_as_a_time(team) -> None:
    rotation = team.workdir / "rotations" / "oncall.yaml"
    text = rotation.read_text()
    assert re.search(r'time: "\d\d:\d\d"', text), text
    rotation.write_text(re.sub(r'time: "(\d\d:\d\d)"', r"time: \1", text, count=1))
    result = run_ante(["--repo", str(team.workdir), "validate"])
    assert result.code == 0, result.err


# ---- event payloads ----------------------------------------------------------------------


def _award(team, event: Path):
    return run_ante(["--repo", str(team.workdir), "award", "--event", str(event)])


def test_an_event_nested_50000_deep_is_exit_1(team, tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text('{"action": "closed", "issue": ' + "[" * 50_000 + "]" * 50_000 + "}")
    before = files_of(team.workdir)
    result = _award(team, event)
    assert result.code == 1 and "Traceback" not in result.err
    assert "internal error" not in result.err
    assert "nested more than" in result.err
    assert files_of(team.workdir) == before


def test_a_broken_event_names_line_and_column(team, tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text('{\n  "action": "closed",\n  "issue": {,}\n}\n')
    result = _award(team, event)
    assert result.code == 1 and f"{event}:3:" in result.err


def test_a_lone_surrogate_in_a_title_is_replaced_not_a_crash(tmp_path: Path) -> None:
    from ante.github.payloads import load_payload

    event = tmp_path / "event.json"
    event.write_text(
        json.dumps({"issue": {"title": "x"}}).replace('"x"', '"a\\ud800b \\ud83d\\ude00"')
    )
    payload = load_payload(event)
    assert payload["issue"]["title"] == "a\ufffdb \U0001f600"
    payload["issue"]["title"].encode("utf-8")  # writable anywhere


# ---- what ante writes, it reads back ----------------------------------------------------

HOSTILE = 'a\x00b\x1b[31mc\x85d\u2028e\x9f\ud800 \ufeff\ufffe "q" \\ \n\t: - [x] # y &z *w'


def test_yaml_written_by_ante_reads_back(tmp_path: Path) -> None:
    from ante.files import yamlio

    path = tmp_path / "x.yaml"
    yamlio.write_text(path, "title: " + yamlio.scalar(HOSTILE) + "\n")
    assert yamlio.read(path).data["title"] == HOSTILE.replace("\ud800", "\ufffd")
