"""The published schedule and the backlog metrics are read line by line when ante wrote them
(files/flowrows.py): the same records as the strict YAML loader's, and anything else goes to
that loader, with its errors at their lines (#18.3: flat in the ledger's age)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from ante.core.backlog import WeekMetrics
from ante.core.rotation import example
from ante.core.schedule import Shift
from ante.errors import DataError
from ante.files import backlog, flowrows, rotations, yamlio
from ante.files.strict import StrictLoader
from hypothesis import given, settings
from hypothesis import strategies as st

START = datetime(2026, 1, 7, 10, tzinfo=UTC)
# Words YAML reads as text (not `y`, `no`, `null`...): ante writes them unquoted.
logins = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True).filter(
    lambda word: yamlio.plain_text(word) is not None
)


def strict(text: str) -> object:
    return yaml.load(text, Loader=StrictLoader)


def schedule_text(shifts: list[tuple[Shift, Decimal | None]]) -> str:
    header = rotations.SCHEDULE_HEADER.format(name="product") + "shifts: []\n"
    lines = [rotations.record_line(shift, share) for shift, share in shifts]
    return yamlio.append_to_list(header, "shifts", lines)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dictionaries(st.sampled_from(["captain", "first-mate", "scribe"]), logins),
            st.none() | st.decimals(0, 1, places=4),
        ),
        max_size=12,
    )
)
def test_a_schedule_ante_wrote_reads_the_same_fast_and_strict(
    weeks: list[tuple[dict[str, str], Decimal | None]],
) -> None:
    shifts = [
        (Shift(START + timedelta(weeks=i), START + timedelta(weeks=i + 1), roles), share)
        for i, (roles, share) in enumerate(weeks)
    ]
    text = schedule_text(shifts)
    fast = rotations.read_shifts(text)
    assert fast is not None  # ante's own spelling always takes the fast path
    assert fast == (strict(text) or {"shifts": []}) or not weeks
    model = rotations.ShiftsFile.model_validate
    assert model(fast) == model(strict(text) or {})


def test_metrics_ante_wrote_read_the_same_fast_and_strict() -> None:
    weeks = [
        WeekMetrics(f"2026-W{i:02d}", i * 7 % 50, i % 6, 0 if i % 3 else 10) for i in range(1, 53)
    ]
    text = backlog.text(weeks)
    fast = backlog.read_weeks(text)
    assert fast is not None and fast == strict(text)
    assert backlog.read_weeks(backlog.text([])) == {"weeks": []} == strict(backlog.text([]))


WEEK = "start: 2026-01-07T10:00:00Z, end: 2026-01-14T10:00:00Z"


@pytest.mark.parametrize(
    "line",
    [
        f'- {{{WEEK}, roles: {{captain: "y"}}}}',
        f"- {{{WEEK}, roles: {{captain: a, captain: b}}}}",
        f"- {{{WEEK}, roles: {{captain: null}}}}",
        f"- {{{WEEK}, roles: {{captain: 'ann'}}}}",
        f"- {{{WEEK}, roles: {{captain: ann}}, share: 01}}",
        f"- {{{WEEK}, roles: {{}}}}  # swapped",
        "- {end: 2026-01-14T10:00:00Z, start: 2026-01-07T10:00:00Z, roles: {}}",
        f"  - {{{WEEK}, roles: {{}}}}",
    ],
)
def test_anything_else_in_a_schedule_goes_to_the_strict_loader(line: str) -> None:
    assert rotations.read_shifts(f"shifts:\n{line}\n") is None
    assert rotations.read_shifts("shifts: []\n" + line + "\n") is None
    assert rotations.read_shifts(f"# hand-made\nshifts:\n# a comment in the list\n{line}\n") is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("roles: {captain: ann, captain: bob}", "captain"),  # a key written twice
        ("roles: {captain: null}", "captain"),
        ("roles: {captain: ann}, share: many", "share"),
    ],
)
def test_a_bad_published_week_is_named_at_its_line(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "ledger" / "schedule" / "product.yaml"
    path.parent.mkdir(parents=True)
    good = rotations.record_line(Shift(START, START + timedelta(weeks=1), {"captain": "ann"}))
    bad = "- {start: 2026-01-14T10:00:00Z, end: 2026-01-21T10:00:00Z, " + row + "}"
    path.write_text(f"shifts:\n{good}\n{bad}\n")
    with pytest.raises(DataError) as caught:
        rotations.published(tmp_path, "product")
    problem = caught.value.problems[0]
    assert problem.path == "ledger/schedule/product.yaml" and problem.line == 3
    assert message in problem.message


def test_a_bad_metrics_row_is_named_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / backlog.PATH
    path.parent.mkdir(parents=True)
    lines = [
        WeekMetrics("2026-W01", 4, 1, 2).line(),
        "- {week: 2026-W02, open: 010, opened: 1, closed: 2}",
    ]
    path.write_text("weeks:\n" + "\n".join(lines) + "\n")
    with pytest.raises(DataError) as caught:
        backlog.load_history(tmp_path)
    assert caught.value.problems[0].line == 3


def test_an_offset_instead_of_z_reads_the_same(tmp_path: Path) -> None:
    """Older or hand-made files spell UTC `+00:00`: the same instants, still fast."""
    text = (
        "shifts:\n- {start: 2026-01-07T10:00:00+00:00, end: 2026-01-14T11:00:00+01:00, "
        "roles: {captain: ann, first-mate: bob}}\n"
    )
    fast = rotations.read_shifts(text)
    assert fast is not None and fast == strict(text)
    assert fast["shifts"][0]["end"] == START + timedelta(weeks=1)


# ---- a rotation file's overrides: people's file, ante's example spelling ---------------------

notes = st.none() | st.from_regex(r"[A-Za-z][a-z]{0,6}( [a-z0-9()'.-]{1,6}){0,3}", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 400),
            st.integers(0, 9),
            st.sampled_from(["captain", "first-mate"]),
            logins,
            notes,
        ),
        max_size=15,
    ),
    st.sampled_from(["", "  "]),
)
def test_a_rotation_file_reads_the_same_fast_and_strict(
    overrides: list[tuple[int, int, str, str, str | None]], indent: str
) -> None:
    day = datetime(2026, 1, 1).date()
    lines = []
    for first, length, role, cover, note in overrides:
        start, end = day + timedelta(days=first), day + timedelta(days=first + length)
        extra = f", note: {note}" if note is not None else ""
        lines.append(f"{indent}- {{from: {start}, to: {end}, role: {role}, cover: {cover}{extra}}}")
    text = example(["ann", "bob"], day).replace(
        "overrides: []", "overrides:\n" + "\n".join(lines) if lines else "overrides: []"
    )
    fast = rotations.read_rotation(text)
    assert fast == strict(text) or fast is None
    if lines and all(note is None or flowrows.note_text(note) for *_, note in overrides):
        assert fast is not None  # the example's spelling always takes the fast path


@pytest.mark.parametrize(
    "line",
    [
        "  - {from: 2026-12-23, to: 2026-12-29, role: captain, cover: bob, note: a: b}",
        "  - {from: 2026-12-23, to: 2026-12-29, role: captain, cover: bob, note: yes}",
        "  - {from: 2026-12-23, to: 2026-12-29, role: captain, cover: 'bob'}",
        "  - {to: 2026-12-29, from: 2026-12-23, role: captain, cover: bob}",
        "  - {from: 2026-02-30, to: 2026-12-29, role: captain, cover: bob}",
        "  - from: 2026-12-23\n    to: 2026-12-29\n    role: captain\n    cover: bob",
        "  - {from: 2026-12-23, to: 2026-12-29, role: captain, cover: bob}\n"
        "    - {from: 2026-12-23, to: 2026-12-29, role: captain, cover: bob}",
    ],
)
def test_anything_else_in_the_overrides_goes_to_the_strict_loader(line: str) -> None:
    text = example(["ann", "bob"], datetime(2026, 1, 1).date()).replace(
        "overrides: []", "overrides:\n" + line
    )
    assert rotations.read_rotation(text) is None


def test_a_bad_override_is_named_at_its_line_and_other_lines_keep_theirs(tmp_path: Path) -> None:
    text = example(["ann", "bob"], datetime(2026, 1, 1).date())
    text = text.replace(
        "overrides: []",
        "overrides:\n  - {from: 2026-12-23, to: 2026-12-29, role: captain, cover: bob}\n"
        "  - {from: 2026-12-30, to: 2026-12-31, role: captain, cover: bob, extra: 1}",
    ).replace("horizon_weeks: 4", "horizon_weeks: many")
    path = tmp_path / "rotations" / "oncall.yaml"
    path.parent.mkdir()
    path.write_text(text)
    lines = text.splitlines()
    with pytest.raises(DataError) as caught:
        rotations.load_rotations(tmp_path)
    where = {p.message.split(":")[0]: p.line for p in caught.value.problems}
    assert where["horizon_weeks"] == lines.index("horizon_weeks: many") + 1
    extra = next(p for p in caught.value.problems if "extra" in p.message)
    assert extra.line is not None and lines[extra.line - 1].endswith("extra: 1}")
