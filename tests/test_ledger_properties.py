"""Property tests: any sequence of valid journal operations keeps the ledger's invariants."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from ante.core.ledger import Ledger, check
from ante.core.models import Entry, Kind, Member, Policy
from ante.files.journal import Store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LOGINS = ["alice", "bob", "carol", "dave"]
MEMBERS = {login: Member(login=login, joined=date(2025, 1, 1)) for login in LOGINS}
START = date(2025, 12, 1)

# Free text that stresses the one-line spelling: quotes, colons, braces, unicode, YAML words.
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip())


@st.composite
def operations(draw: st.DrawFn) -> list[Entry]:
    n = draw(st.integers(min_value=0, max_value=40))
    entries: list[Entry] = []
    for i in range(n):
        kinds: list[Kind] = ["grant", "award", "revoke", "tax", "adjust"]
        kind = draw(st.sampled_from(kinds))
        size = draw(st.integers(min_value=0, max_value=5))
        delta = {"grant": size, "award": size, "revoke": -size, "tax": -size}.get(
            kind, draw(st.integers(min_value=-5, max_value=5))
        )
        entries.append(
            Entry(
                id=f"{kind}:{i}:{draw(st.sampled_from(['a', 'b:c', 'd#1']))}",
                date=START + timedelta(days=draw(st.integers(min_value=0, max_value=60))),
                kind=kind,
                member=draw(st.sampled_from(LOGINS)),
                delta=delta,
                ref=draw(texts),
                reason=draw(texts) if kind == "adjust" else None,
            )
        )
    return entries


def _ledger() -> Ledger:
    return Ledger(dict(MEMBERS), Policy())


@given(operations())
def test_any_valid_sequence_keeps_the_invariants(entries: list[Entry]) -> None:
    ledger = _ledger()
    added = ledger.add(entries)
    assert len(added) == len(entries)
    assert check(ledger.members, ledger.opening, ledger.entries) == []
    assert sum(ledger.balances().values()) == sum(e.delta for e in entries)


@given(operations(), st.data())
def test_replaying_an_entry_is_a_no_op(entries: list[Entry], data: st.DataObject) -> None:
    ledger = _ledger()
    ledger.add(entries)
    before = (ledger.balances(), list(ledger.entries))
    replay = data.draw(st.lists(st.sampled_from(entries), max_size=10)) if entries else []
    assert ledger.add(replay) == []
    assert (ledger.balances(), list(ledger.entries)) == before


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(operations())
def test_the_journal_round_trips_through_files_byte_for_byte(entries: list[Entry]) -> None:
    texts_written = []
    for _ in range(2):
        with tempfile.TemporaryDirectory() as tmp:
            store = _store(Path(tmp))
            ledger = store.load()
            for entry in entries:  # one append per event, like the real commands
                store.append(ledger, [entry])
            reloaded = store.load(full=True)
            assert reloaded.balances() == ledger.balances()
            assert sorted(e.id for e in _all_entries(store)) == sorted(e.id for e in entries)
            texts_written.append(_snapshot(store))
    assert texts_written[0] == texts_written[1]


def test_a_new_year_opens_a_sealed_checkpoint(tmp_path: Path) -> None:
    store = _store(tmp_path)
    ledger = store.load()
    store.append(ledger, [_grant("alice", date(2025, 12, 30)), _grant("bob", date(2025, 12, 31))])
    store.append(
        ledger,
        [
            Entry(
                id="adj",
                date=date(2026, 1, 2),
                kind="adjust",
                member="alice",
                delta=-1,
                ref="manual",
                reason="test",
            )
        ],
    )
    assert store.periods() == [2025, 2026]
    current = store.load()
    assert current.opening == {"alice": 2, "bob": 2, "carol": 0, "dave": 0}
    assert [e.id for e in current.entries] == ["adj"]  # the current period only
    assert current.balances()["alice"] == 1
    store.load(full=True)  # the seal and carried balances check out
    closed = store.journal_dir / "2025" / "entries.yaml"
    closed.write_text(closed.read_text().replace("delta: 2", "delta: 3", 1))
    try:
        store.load(full=True)
    except Exception as exc:  # DataError
        assert "changed after it was closed" in str(exc)
        assert "2026/opening.yaml" in str(exc)
    else:
        raise AssertionError("an edit to a closed period went unnoticed")


def _grant(login: str, day: date) -> Entry:
    return Entry(
        id=f"grant:{login}",
        date=day,
        kind="grant",
        member=login,
        delta=2,
        ref="ledger/members.yaml",
    )


def _bonus(login: str, year: int) -> Entry:
    return Entry(
        id=f"adj:{year}",
        date=date(year, 6, 1),
        kind="adjust",
        member=login,
        delta=1,
        ref="manual",
        reason="test",
    )


def _store(root: Path) -> Store:
    (root / "ledger").mkdir(parents=True)
    lines = "".join(f"  - login: {m}\n    joined: 2025-01-01\n" for m in LOGINS)
    (root / "ledger" / "members.yaml").write_text("members:\n" + lines)
    return Store(root)


def _all_entries(store: Store) -> list[Entry]:
    return [e for period in store.periods() for e in _period_entries(store, period)]


def _period_entries(store: Store, period: int) -> list[Entry]:
    from ante.core.models import JournalFile
    from ante.files import yamlio

    return [
        e for path in store.period_files(period) for e in yamlio.load(path, JournalFile).entries
    ]


def _snapshot(store: Store) -> dict[str, bytes]:
    return {
        str(p.relative_to(store.dir)): p.read_bytes()
        for p in sorted(store.journal_dir.rglob("*.yaml"))
    }


@given(operations())
def test_the_fast_journal_reader_agrees_with_the_yaml_loader(entries: list[Entry]) -> None:
    import yaml
    from ante.core.models import JournalFile
    from ante.files import yamlio
    from ante.files.journal import journal_text

    text = journal_text(2026, entries)
    fast = yamlio.fast_journal(text)
    assert fast is not None  # ante's own spelling always takes the fast path
    assert JournalFile.model_validate(fast) == JournalFile.model_validate(yaml.safe_load(text))


def test_a_hand_edit_in_another_spelling_falls_back_to_yaml() -> None:
    from ante.files import yamlio

    text = (
        "entries:\n- id: x\n  date: 2026-01-01\n  kind: grant\n  member: a\n  delta: 2\n  ref: r\n"
    )
    assert yamlio.fast_journal(text) is None
    assert yamlio.fast_journal("entries:\n- {id: x, member: null}\n") is None


def test_validate_trusts_closed_years_by_their_seal_and_still_catches_an_old_edit(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path)
    ledger = store.load()
    store.append(ledger, [_grant("alice", date(2025, 12, 30)), _grant("bob", date(2025, 12, 31))])
    for year in (2026, 2027, 2028):
        store.append(store.load(), [_bonus("alice", year)])  # opens `year`
    assert store.periods() == [2025, 2026, 2027, 2028]
    assert store.load_checked().balances() == store.load(full=True).balances()
    oldest = store.journal_dir / "2025" / "entries.yaml"
    oldest.write_text(oldest.read_text().replace("delta: 2", "delta: 3", 1))
    for full in (False, True):
        try:
            store.load_checked(full=full)
        except Exception as exc:  # DataError
            assert "journal of 2025 was changed after it was closed" in str(exc)
            assert "2026/opening.yaml" in str(exc)
        else:
            raise AssertionError(f"an edit to a year closed long ago went unnoticed ({full=})")


def test_entries_about_an_old_issue_parse_only_the_years_that_mention_it(tmp_path: Path) -> None:
    store = _store(tmp_path)
    url = "https://github.com/o/r/issues/7"
    award = Entry(
        id="award:o/r#7:alice:1",
        date=date(2025, 12, 1),
        kind="award",
        member="alice",
        delta=1,
        ref=url,
    )
    store.append(store.load(), [_grant("alice", date(2025, 11, 30)), award])
    for year in (2026, 2027):
        store.append(store.load(), [_bonus("bob", year)])  # opens `year`
    found = store.entries_about({url}, [2025, 2026])
    assert [e.id for e in found[url]] == ["award:o/r#7:alice:1"]
    untouched = store.journal_dir / "2026" / "entries.yaml"
    untouched.write_text(untouched.read_text() + "  - {broken\n")  # would not even parse
    assert store.entries_about({url}, [2025, 2026]) == found
