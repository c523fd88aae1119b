"""The tax, pure: the adaptive rate, exemptions, debt and its cap, entries, catch-up weeks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ante.core import tax
from ante.core.backlog import WeekMetrics
from ante.core.models import Entry, Kind, Member, TaxPolicy
from ante.files import backlog, tax_weeks
from ante.files.journal import Store
from hypothesis import given
from hypothesis import strategies as st
from testbed.builders import weeks

POLICY = TaxPolicy(target_backlog=5, margin=0.1, horizon_weeks=26, history_weeks=4, max=3)


def rate(open_now: int, rows: list[tuple[int, int, int]], previous: int | None = 1, payers=4):
    return tax.decide(POLICY, tax.Backlog(open_now, weeks(rows), payers, previous, 1.0))


def test_rate_rises_when_inflow_exceeds_throughput() -> None:
    # 8 opened, 4 closed a week: the backlog grows; 4 payers at 1 chip cannot keep up.
    decided = rate(30, [(18, 8, 4), (22, 8, 4), (26, 8, 4), (30, 8, 4)])
    assert decided.rate == 2
    assert "up from 1" in decided.reason and "3 wanted" in decided.reason
    assert "30 open, 25 over the target of 5" in decided.reason
    assert "8.0 opened and 4.0 closed a week over the last 4 weeks" in decided.reason


def test_rate_falls_when_the_backlog_is_under_target() -> None:
    decided = rate(1, [(2, 4, 5), (2, 4, 4), (1, 4, 5), (1, 4, 4)], previous=2)
    assert decided.rate == 1 and "down from 2" in decided.reason
    again = rate(1, [(2, 4, 5), (2, 4, 4), (1, 4, 5), (1, 4, 4)], previous=1)
    assert again.rate == 0 and "at or under the target of 5" in again.reason


def test_rate_holds_when_throughput_matches_inflow() -> None:
    decided = rate(5, [(5, 4, 4)] * 4, previous=1)
    assert decided.rate == 1 and "unchanged" in decided.reason


def test_horizon_clock_drains_harder_the_longer_the_backlog_stays_over() -> None:
    early = tax.decide(POLICY, tax.Backlog(25, weeks([(25, 4, 4)]), 8, 3, 1.0))
    late = tax.decide(POLICY, tax.Backlog(25, weeks([(25, 4, 4)] * 24, first=1), 8, 3, 1.0))
    assert early.ideal is not None and late.ideal is not None
    assert late.ideal > early.ideal
    assert "with 2 of the 26 weeks' horizon left" in late.reason


def test_fixed_mode_and_bounds() -> None:
    fixed = tax.decide(TaxPolicy(mode="fixed", rate=2), tax.Backlog(0, [], 3, 0))
    assert fixed.rate == 2 and "Fixed" in fixed.reason
    capped = TaxPolicy(target_backlog=0, max=2, min=1)
    high = tax.decide(capped, tax.Backlog(500, weeks([(500, 50, 0)]), 2, 2, 1.0))
    assert high.rate == 2
    low = tax.decide(capped, tax.Backlog(0, weeks([(0, 0, 0)]), 2, 1, 1.0))
    assert low.rate == 1


def test_no_history_keeps_the_rate() -> None:
    decided = tax.decide(POLICY, tax.Backlog(40, [], 4, None))
    assert decided.rate == POLICY.rate and "No backlog history" in decided.reason


@given(
    previous=st.integers(0, 3),
    open_now=st.integers(0, 500),
    rows=st.lists(
        st.tuples(st.integers(0, 500), st.integers(0, 60), st.integers(0, 60)),
        min_size=1,
        max_size=12,
    ),
    payers=st.integers(1, 30),
    cpi=st.floats(1.0, 3.0),
)
def test_never_moves_more_than_one_chip_and_stays_in_bounds(
    previous: int, open_now: int, rows: list[tuple[int, int, int]], payers: int, cpi: float
) -> None:
    decided = tax.decide(POLICY, tax.Backlog(open_now, weeks(rows, 1), payers, previous, cpi))
    assert abs(decided.rate - previous) <= 1
    assert POLICY.min <= decided.rate <= POLICY.max
    assert str(decided.rate) in decided.reason


# ---- who pays ------------------------------------------------------------------------------

WEEK = "2026-W48"  # Wednesday 2026-11-25


def member(login: str, joined: date = date(2026, 1, 1), **kw: object) -> Member:
    return Member.model_validate({"login": login, "joined": joined, **kw})


def test_plan_exemptions_debt_and_cap() -> None:
    members = {
        "alice": member("alice"),
        "bob": member("bob"),
        "carol": member("carol", leave=[{"from": "2026-11-23", "to": "2026-11-27"}]),
        "dave": member("dave", joined=date(2026, 11, 20)),
        "erin": member("erin"),
        "gone": member("gone", left=date(2026, 11, 1)),
        "frank": member("frank"),
    }
    balances = {"alice": 3, "bob": 0, "carol": 1, "dave": 2, "erin": 5, "frank": -1}
    policy = TaxPolicy(max_debt=2)
    decided = tax.Rate(2, 2.0, "because")
    plan = tax.plan(WEEK, decided, members, balances, policy, captain="Erin")
    rows = {m.login: m for m in plan.members}
    assert "gone" not in rows
    assert (rows["alice"].tax, rows["alice"].after, rows["alice"].exempt) == (2, 1, None)
    assert (rows["bob"].tax, rows["bob"].after) == (2, -2)  # into debt, at the cap exactly
    assert rows["carol"].exempt == "leave" and rows["carol"].tax == 0
    assert rows["dave"].exempt == "new member" and rows["dave"].tax == 0
    assert rows["erin"].exempt == "captain" and rows["erin"].after == 5
    assert (rows["frank"].tax, rows["frank"].after, rows["frank"].capped) == (1, -2, True)
    assert [m.login for m in plan.debtors] == ["bob", "frank"]
    assert plan.total == 5
    entries = plan.entries()
    assert [e.id for e in entries] == [
        "tax:2026-W48:alice",
        "tax:2026-W48:bob",
        "tax:2026-W48:frank",
    ]
    assert {e.ref for e in entries} == {"tax/2026-W48"} and entries[0].date == date(2026, 11, 25)
    assert plan.as_json()["members"]["erin"] == {  # type: ignore[index]  # JSON-shaped: object
        "before": 5,
        "tax": 0,
        "after": 5,
        "exempt": "captain",
    }
    assert tax.payers(members, WEEK, policy, "erin") == ["alice", "bob", "frank"]


def test_short_leave_does_not_exempt() -> None:
    one_day = member("alice", leave=[{"from": "2026-11-23", "to": "2026-11-23"}])
    assert tax.exemption(one_day, WEEK, TaxPolicy(), None) is None
    no_captain_rule = TaxPolicy(exempt_captain=False)
    assert tax.exemption(member("alice"), WEEK, no_captain_rule, "alice") is None


def test_pending_weeks_catch_up_and_never_twice() -> None:
    assert tax.pending([], None, "2026-W48") == ["2026-W48"]
    assert tax.pending(["2026-W45"], "2026-W45", "2026-W48") == ["2026-W46", "2026-W47", "2026-W48"]
    assert tax.pending(["2026-W48"], "2026-W48", "2026-W48") == []
    assert tax.pending(["2026-W52"], "2026-W52", "2027-W01") == ["2026-W53", "2027-W01"]


def test_chips_per_issue_from_awards() -> None:
    def award(ref: str, delta: int, kind: Kind = "award") -> Entry:
        return Entry(id=f"{kind}:{ref}:{delta}", date=date(2026, 11, 10), kind=kind,
                     member="alice", delta=delta, ref=ref)  # fmt: skip

    entries = [award("i/1", 1), award("i/2", 2), award("i/3", 1), award("i/3", -1, "revoke")]
    assert tax.chips_per_issue(entries, date(2026, 11, 1)) == 1.5
    assert tax.chips_per_issue(entries, date(2026, 12, 1), default=2.0) == 2.0


# ---- files ---------------------------------------------------------------------------------


def test_latest_reads_week_rate_reason_and_waiver(tmp_path: Path) -> None:
    assert tax_weeks.latest(tmp_path) is None
    store = Store(tmp_path)
    head = {"week": "2026-W47", "rate": 2, "reason": "47 open; 2 chips."}
    store.write_new_file(2026, "tax-2026-W47.yaml", [], head=head)
    store.write_new_file(
        2026, "tax-2026-W48.yaml", [], head={"week": "2026-W48", "rate": 1, "reason": "Waived: #3"}
    )
    latest = tax_weeks.latest(tmp_path)
    assert latest is not None and (latest.week, latest.rate, latest.waived) == ("2026-W48", 1, True)
    assert [t.week for t in tax_weeks.weeks_on_main(tmp_path)] == ["2026-W47", "2026-W48"]
    assert not tax_weeks.weeks_on_main(tmp_path)[0].waived


def test_metrics_file_round_trip(tmp_path: Path) -> None:
    assert backlog.load_history(tmp_path) == []
    history = backlog.record([], WeekMetrics("2026-W47", 42, 6, 8))
    history = backlog.record(history, WeekMetrics("2026-W46", 44, 5, 3))
    history = backlog.record(history, WeekMetrics("2026-W47", 41, 6, 9))  # a re-run replaces
    assert backlog.write(tmp_path, history) and not backlog.write(tmp_path, history)
    text = (tmp_path / backlog.PATH).read_text()
    assert "- {week: 2026-W46, open: 44, opened: 5, closed: 3}\n" in text
    assert text.endswith("- {week: 2026-W47, open: 41, opened: 6, closed: 9}\n")
    assert backlog.load_history(tmp_path) == [
        WeekMetrics("2026-W46", 44, 5, 3),
        WeekMetrics("2026-W47", 41, 6, 9),
    ]


def test_metrics_file_errors_name_the_line(tmp_path: Path) -> None:
    from ante.errors import DataError

    path = tmp_path / backlog.PATH
    path.parent.mkdir(parents=True)
    path.write_text("weeks:\n- {week: 2026-W47, open: 4, opened: 1, closed: 1}\n- {week: W3}\n")
    with pytest.raises(DataError) as caught:
        backlog.load_history(tmp_path)
    assert any(p.line == 3 for p in caught.value.problems)


def test_validate_reports_a_bad_metrics_row(tmp_path: Path) -> None:
    from testbed.ante import run_ante

    team = tmp_path / "team"
    assert run_ante(["init", str(team), "--members", "alice"]).code == 0
    path = team / backlog.PATH
    path.parent.mkdir(parents=True)
    path.write_text("weeks:\n- {week: 2026-W47, open: -1, opened: 1, closed: 1}\n")
    result = run_ante(["--repo", str(team), "validate"])
    assert result.code == 1 and "ledger/metrics/backlog.yaml:2:" in result.err
