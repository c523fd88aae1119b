"""The fuzz harness at the size of the unit suite: the corpus, and a few dozen corrupted team
repositories and event payloads. `make bench` runs it at 400+ (tests/benchmarks/test_fuzz_bench).

Each finding is reported with the case and the command: a traceback or internal error, an exit
other than 0/1, an error that names no file, a case slower than 2 s, or an input `validate`
accepted that another command then rejected.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from testbed import fuzzkit

EXAMPLES = int(os.environ.get("ANTE_FUZZ_EXAMPLES", "20"))
# The unit suite shares the machine with other work: a generous per-command budget here; the
# benchmark reports the real figures against the 2 s target.
BUDGET = float(os.environ.get("ANTE_FUZZ_BUDGET", "20"))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fuzzkit.make_base(tmp_path_factory.mktemp("fuzz"))


@pytest.mark.parametrize("name", [name for name, _ in fuzzkit.corpus_cases()])
def test_corpus(base: Path, tmp_path: Path, name: str) -> None:
    corrupt = dict(fuzzkit.corpus_cases())[name]
    tally = fuzzkit.Tally()
    tally.judge(name, fuzzkit.run_case(base, tmp_path / "work", name, corrupt), BUDGET)
    assert tally.failures == [], "\n".join(tally.failures)


def test_the_corpus_is_refused_where_it_should_be(base: Path, tmp_path: Path) -> None:
    """Every corpus case but the harmless ones is an error `validate` names at its file."""
    harmless = {"sweeps-control-title", "multiline-description", "published-week-in-year-one"}
    for name, corrupt in fuzzkit.corpus_cases():
        outcome = fuzzkit.run_case(base, tmp_path / "w", name, corrupt)[0]
        assert outcome.command.startswith("validate")
        if name.removeprefix("corpus/") in harmless:
            assert outcome.code == 0, (name, outcome.err)
        else:
            assert outcome.code == 1, (name, outcome.out)


def test_corrupted_repositories(base: Path, tmp_path: Path) -> None:
    tally = fuzzkit.Tally()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzzkit.corruptions(fuzzkit.data_files(base)))
    def one(case: tuple[str, fuzzkit.Corruption]) -> None:
        name, corrupt = case
        tally.judge(name, fuzzkit.run_case(base, tmp_path / "work", name, corrupt), BUDGET)

    one()
    print(tally.report())
    assert tally.inputs >= EXAMPLES
    assert tally.failures == [], "\n".join(tally.failures)


def test_corrupted_event_payloads(base: Path, tmp_path: Path) -> None:
    tally = fuzzkit.Tally()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzzkit.payload_corruptions())
    def one(case: tuple[str, bytes]) -> None:
        name, data = case
        tally.judge(name, fuzzkit.run_event_case(base, tmp_path / "work", data), BUDGET)

    one()
    print(tally.report())
    assert tally.failures == [], "\n".join(tally.failures)


def test_a_control_character_the_fast_journal_reader_skipped_is_refused_at_its_line(
    base: Path, tmp_path: Path
) -> None:
    """Issue 18's fuzz mismatch: ESC in a comment of a tax file (or raw inside a quoted reason
    of a journal entry) passed `validate`, which reads journals line by line, and failed
    `status`, which read the tax file with the YAML loader. Every command now refuses both,
    naming the file, line and column."""
    [(_, in_comment)] = [c for c in fuzzkit.corpus_cases() if c[0].endswith("tax-comment")]

    def in_reason(repo: Path) -> None:
        journal = repo / "ledger/journal/2026/entries.yaml"
        line = (
            '- {id: "adjust:x", date: 2026-11-21, kind: adjust, member: bob, delta: 1, '
            'ref: manual, reason: "pasted \x1b[31mred"}\n'
        )
        journal.write_text(journal.read_text() + line)

    def in_metrics(repo: Path) -> None:  # read line by line too (files/flowrows.py)
        metrics = repo / "ledger/metrics/backlog.yaml"
        metrics.write_text("# weekly \x1b[1mbacklog\n" + metrics.read_text())

    for name, corrupt, where in (
        ("comment", in_comment, "ledger/journal/2026/tax-2026-W47.yaml:1:"),
        ("reason", in_reason, "ledger/journal/2026/entries.yaml:"),
        ("metrics", in_metrics, "ledger/metrics/backlog.yaml:1:"),
    ):
        outcomes = fuzzkit.run_case(base, tmp_path / "work", name, corrupt)
        validate, *others = outcomes
        assert validate.code == 1 and where in validate.err, (name, validate.err)
        assert "U+001B" in validate.err
        for outcome in others:  # what validate refuses, no command half-reads
            if outcome.code == 1:
                assert where in outcome.err, (name, outcome.command, outcome.err)
        tally = fuzzkit.Tally()
        tally.judge(name, outcomes, BUDGET)
        assert tally.failures == [], "\n".join(tally.failures)
