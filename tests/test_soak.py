"""The team-life soak (short variant): bursts, drops and a lost runner on the workflows.

`make soak` plays a quarter for SEEDS seeds; here one seed plays the suite's two mornings (a
Monday's bursts, a Wednesday's tax merge) and each invariant is its own test. The workflows
before issue.yml broke two of them (a burst's pending runs cancelled an emergency's page; intake
could not reach a private product repository); none may break again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testbed.actions import soak as soak_module
from testbed.actions.soak import Figures, soak

# One worker plays the soak once for all its tests (`make unit` runs `--dist loadgroup`).
pytestmark = pytest.mark.xdist_group("soak")


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> Figures:
    played = soak(Path(tmp_path_factory.mktemp("soak")), seeds=[1], short=True)
    print(played.line())
    return played


def test_the_soak_plays_the_bursts_and_reports_one_line(figures: Figures) -> None:
    assert figures.seeds == 1 and figures.emergencies >= 2 and figures.overhead >= 6
    assert figures.runs > 50 and figures.chips_expected > 0
    line = figures.line()
    assert line.startswith("soak: seeds=1 events=") and "\n" not in line
    for key in (
        "runs",
        "skipped",
        "cancelled",
        "emergencies",
        "chips",
        "doubled",
        "acknowledged",
    ):
        assert f" {key}=" in line


def test_every_emergency_is_paged_by_its_own_run(figures: Figures) -> None:
    assert figures.emergencies_paged, figures.problems.get("emergency")


def test_every_overhead_close_is_paid_once_by_the_next_sync(figures: Figures) -> None:
    assert figures.closes_paid_once, figures.problems.get("chips")


def test_no_chip_is_doubled(figures: Figures) -> None:
    assert figures.no_chip_doubled, figures.problems.get("doubled")


def test_every_overhead_issue_is_acknowledged(figures: Figures) -> None:
    assert figures.overhead_acknowledged, figures.problems.get("acknowledged")


def test_status_matches_the_ledger(figures: Figures) -> None:
    assert figures.status_matches_ledger, figures.problems.get("status")


def test_a_stopped_soak_carries_on_from_its_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quarter of 20 seeds runs for hours: each seed's figures go to the record as it ends,
    and a run with the same record plays only the seeds it lacks."""
    record = tmp_path / "soak.jsonl"
    monkeypatch.setattr(soak_module, "_commit", lambda: "c0ffee")
    played: list[int] = []

    def play(tmp: Path, seed: int, days: int, short: bool) -> Figures:
        played.append(seed)
        return Figures(seeds=1, events=10 * seed, emergencies=1, paged=1)

    monkeypatch.setattr(soak_module, "play", play)
    first = soak(tmp_path, seeds=[1, 2], days=3, record=record)
    again = soak(tmp_path, seeds=[1, 2, 3], days=3, record=record)

    assert played == [1, 2, 3]  # seeds 1 and 2 were not played again
    assert (first.events, again.events, again.seeds, again.paged) == (30, 60, 3, 3)
    lines = [json.loads(line) for line in record.read_text().splitlines()]
    assert [(e["seed"], e["days"], e["commit"]) for e in lines] == [
        (1, 3, "c0ffee"),
        (2, 3, "c0ffee"),
        (3, 3, "c0ffee"),
    ]


def test_a_record_of_other_code_or_other_days_is_played_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "soak.jsonl"
    monkeypatch.setattr(soak_module, "play", lambda *_: Figures(seeds=1, events=1))
    monkeypatch.setattr(soak_module, "_commit", lambda: "c0ffee")
    soak(tmp_path, seeds=[1], days=3, record=record)
    played: list[int] = []

    def play(tmp: Path, seed: int, days: int, short: bool) -> Figures:
        played.append(seed)
        return Figures(seeds=1)

    monkeypatch.setattr(soak_module, "play", play)

    soak(tmp_path, seeds=[1], days=4, record=record)  # other days
    monkeypatch.setattr(soak_module, "_commit", lambda: "beef")
    soak(tmp_path, seeds=[1], days=3, record=record)  # other code
    monkeypatch.setattr(soak_module, "_commit", lambda: None)
    soak(tmp_path, seeds=[1], days=3, record=record)  # a changed tree: never reused

    assert played == [1, 1, 1]
