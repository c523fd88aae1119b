"""Commands cost what the current period costs, not what the whole history costs.

Each figure is the median CPU time of the whole `ante` process, one year and ten taking turns
(testbed.timing.side_by_side); the ratio is the median of each round's ten/one.
"""

from __future__ import annotations

from pathlib import Path

from testbed.awardkit import event_payload, write_event
from testbed.ledger_data import build, commit_history
from testbed.timing import cpu_seconds, side_by_side

ENV = {"ANTE_NOW": "2026-11-18"}


def _time(repo: Path, args: list[str], runs: int) -> float:
    """CPU seconds of the whole process (robust to a busy machine; see testbed.timing)."""
    return cpu_seconds(repo, args, ENV, runs)


def test_validate_trusts_sealed_years_so_ten_years_cost_what_one_does(tmp_path: Path) -> None:
    build(tmp_path / "one", years=1)
    build(tmp_path / "ten", years=10)
    for repo in (tmp_path / "one", tmp_path / "ten"):
        commit_history(repo)  # so the append-only check against HEAD runs too
    pair = side_by_side((tmp_path / "one", ["validate"]), (tmp_path / "ten", ["validate"]), ENV)
    full = _time(tmp_path / "ten", ["validate", "--full"], 1)
    print(
        f"\nante validate, 500 members: 1 year {pair.a:.2f} s, 10 years {pair.b:.2f} s, "
        f"ratio {pair.ratio:.2f} (target <= 1.3, 10 years < 5 s); --full at 10 years {full:.2f} s"
    )
    assert pair.ratio <= 1.3
    assert pair.b < 5


def test_balance_time_grows_with_the_current_period_not_history(tmp_path: Path) -> None:
    build(tmp_path / "one", years=1)
    build(tmp_path / "ten", years=10)
    entries = sum(1 for _ in (tmp_path / "ten").rglob("entries.yaml"))
    args = ["balance", "--format", "json"]
    pair = side_by_side((tmp_path / "one", args), (tmp_path / "ten", args), ENV)
    print(
        f"\nante balance, 500 members: 1 year {pair.a * 1000:.0f} ms, "
        f"10 years ({entries} periods, ~{entries * 25}k entries) {pair.b * 1000:.0f} ms, "
        f"ratio {pair.ratio:.2f} (target <= 1.3)"
    )
    assert pair.ratio <= 1.3


def test_awarding_a_ten_year_old_issue_costs_what_a_new_one_does(tmp_path: Path) -> None:
    payload = event_payload("closed", assignees=["dev001"], updated_at="2026-11-17T10:00:00Z")
    payload["issue"]["created_at"] = "2017-03-01T09:00:00Z"  # older than every closed year
    event = write_event(tmp_path, payload)
    award = ["award", "--event", str(event)]
    for years in (1, 10):
        build(tmp_path / f"y{years}", years=years)
        _time(tmp_path / f"y{years}", award, 1)  # the award itself
    pair = side_by_side((tmp_path / "y1", award), (tmp_path / "y10", award), ENV)  # replays
    print(
        f"\nante award (replay) of an issue opened in 2017, 500 members: 1 year "
        f"{pair.a:.2f} s, 10 years {pair.b:.2f} s, ratio {pair.ratio:.2f} (target <= 1.3)"
    )
    assert pair.ratio <= 1.3
