"""awards.py with plain data: what a state is worth, who earns, and reconciling with the journal."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from ante.core import awards, comment
from ante.core.awards import IssueFacts, Person, Provenance
from ante.core.ledger import Ledger
from ante.core.models import Entry, Member, Policy
from ante.github import payloads
from ante.render import award_text

TODAY = date(2026, 11, 18)
T0 = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)
POLICY = Policy()
MEMBERS = {
    login: Member(login=login, joined=date(2026, 1, 1)) for login in ("alice", "bob", "Carol")
}
CHECKED = Provenance({"overhead": "bob", "overhead:large": "bob"}, None, known=True)


def issue(**changes: object) -> IssueFacts:
    base = IssueFacts(
        repo="o/r",
        number=12,
        url="https://github.com/o/r/issues/12",
        title="Flaky export",
        state="closed",
        state_reason="completed",
        labels=("overhead",),
        assignees=(Person("alice"),),
        created_at=T0 - timedelta(days=3),
        updated_at=T0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]  # IssueFacts fields, loosely typed


def plan_for(
    facts: IssueFacts, history: list[Entry], prov: Provenance = CHECKED, trusted: tuple = ()
) -> awards.Plan:
    wanted = awards.shares(facts, POLICY, MEMBERS, prov, trusted)
    return awards.reconcile(facts, POLICY, wanted, history, TODAY, prov)


def test_worth_follows_state_and_largest_label() -> None:
    assert awards.worth(issue(), POLICY) == 1
    assert awards.worth(issue(labels=("overhead", "overhead:large", "bug")), POLICY) == 2
    assert awards.worth(issue(labels=("Overhead:Large",)), POLICY) == 2  # labels ignore case
    assert awards.worth(issue(state_reason="not_planned"), POLICY) == 0
    assert awards.worth(issue(state_reason="not_planned"), Policy(triage_award=1)) == 1
    assert awards.worth(issue(state="open", state_reason="reopened"), POLICY) == 0
    assert awards.worth(issue(labels=("bug",)), POLICY) == 0
    assert awards.worth(issue(state_reason=None), POLICY) == 1  # closed before close reasons


def test_earners_are_assignees_else_the_closer_never_bots() -> None:
    two = issue(assignees=(Person("alice"), Person("dependabot[bot]", bot=True), Person("bob")))
    assert [p.login for p in awards.earners(two, CHECKED)] == ["alice", "bob"]
    nobody = issue(assignees=(), closer=Person("bob"))
    assert [p.login for p in awards.earners(nobody, CHECKED)] == ["bob"]
    from_timeline = Provenance({}, "carol", known=True)
    assert [p.login for p in awards.earners(issue(assignees=()), from_timeline)] == ["carol"]
    assert awards.earners(issue(assignees=(), closer=Person("ci", bot=True)), CHECKED) == []


def test_award_then_replay_is_a_noop() -> None:
    first = plan_for(issue(), [])
    assert [(e.id, e.kind, e.member, e.delta) for e in first.entries] == [
        ("award:o/r#12:alice:1", "award", "alice", 1)
    ]
    assert first.entries[0].ref == "https://github.com/o/r/issues/12"
    assert first.entries[0].at == T0
    again = plan_for(issue(), list(first.entries))
    assert again.entries == () and not again.stale


def test_members_match_without_case_and_non_members_are_refused() -> None:
    facts = issue(assignees=(Person("carol"), Person("dave")))
    plan = plan_for(facts, [])
    assert [(e.member, e.delta) for e in plan.entries] == [("Carol", 1)]
    refusals = {s.login: s.refusal for s in plan.shares if s.refusal}
    assert refusals == {"dave": "not a member"}


def test_no_farming_unless_trusted() -> None:
    own = Provenance({"overhead": "alice"}, None, known=True)
    assert awards.needs_permission(issue(), POLICY, own) == ["alice"]
    refused = plan_for(issue(), [], own)
    assert refused.entries == ()
    assert "applied by @alice themselves" in (refused.shares[0].refusal or "")
    allowed = plan_for(issue(), [], own, trusted=("alice",))
    assert [e.delta for e in allowed.entries] == [1]
    # A teammate applied it: no permission check needed.
    assert awards.needs_permission(issue(), POLICY, CHECKED, MEMBERS) == []
    # Without a token the check is skipped (and the comment says so).
    assert [e.delta for e in plan_for(issue(), [], Provenance()).entries] == [1]


def test_a_label_counts_only_from_a_person_who_is_a_member_or_has_triage_rights() -> None:
    by_bot = Provenance({"overhead": "github-actions[bot]"}, None, known=True)
    assert awards.needs_permission(issue(), POLICY, by_bot, MEMBERS) == []
    refused = plan_for(issue(), [], by_bot, trusted=("alice",))
    assert refused.entries == ()
    assert "a bot" in (refused.shares[0].refusal or "")

    outsider = Provenance({"overhead": "mallory"}, None, known=True)
    assert awards.needs_permission(issue(), POLICY, outsider, MEMBERS) == ["mallory"]
    refused = plan_for(issue(), [], outsider)
    assert refused.entries == ()
    assert "not a member and has no triage rights" in (refused.shares[0].refusal or "")
    triager = plan_for(issue(), [], outsider, trusted=("mallory",))
    assert [e.delta for e in triager.entries] == [1]


def test_the_counting_label_decides_who_labelled() -> None:
    prov = Provenance({"overhead": "bob", "overhead:large": "alice"}, None, known=True)
    facts = issue(labels=("overhead", "overhead:large"))
    assert awards.needs_permission(facts, POLICY, prov) == ["alice"]
    assert plan_for(facts, [], prov).entries == ()


def test_reopen_revokes_and_close_awards_again_with_new_generations() -> None:
    history: list[Entry] = []
    states = [("closed", "completed"), ("open", "reopened")] * 5
    for step, (state, reason) in enumerate(states):
        facts = issue(state=state, state_reason=reason, updated_at=T0 + timedelta(minutes=step))
        history += plan_for(facts, history).entries
    ids = [e.id for e in history]
    assert len(ids) == len(set(ids)) == 10
    assert ids[:4] == [
        "award:o/r#12:alice:1",
        "revoke:o/r#12:alice:1",
        "award:o/r#12:alice:2",
        "revoke:o/r#12:alice:2",
    ]
    assert awards.held(history) == {"alice": 0}
    last = issue(updated_at=T0 + timedelta(minutes=99))
    history += plan_for(last, history).entries
    assert awards.held(history) == {"alice": 1}


def test_stale_events_change_nothing() -> None:
    history = list(plan_for(issue(updated_at=T0 + timedelta(hours=1)), []).entries)
    old_reopen = issue(state="open", state_reason="reopened", updated_at=T0)
    plan = plan_for(old_reopen, history)
    assert plan.stale and plan.entries == ()


def test_label_size_change_and_assignee_change_reconcile_the_difference() -> None:
    history = list(plan_for(issue(), []).entries)
    bigger = issue(labels=("overhead:large",), updated_at=T0 + timedelta(minutes=1))
    history += plan_for(bigger, history).entries
    assert history[-1].id == "award:o/r#12:alice:2" and history[-1].delta == 1
    moved = replace(bigger, assignees=(Person("bob"),), updated_at=T0 + timedelta(minutes=2))
    step = plan_for(moved, history, Provenance({"overhead:large": "Carol"}, None, True)).entries
    assert sorted((e.member, e.delta) for e in step) == [("alice", -2), ("bob", 2)]
    history += step
    unlabelled = replace(moved, labels=("bug",), updated_at=T0 + timedelta(minutes=3))
    history += plan_for(unlabelled, history).entries
    assert awards.held(history) == {"alice": 0, "bob": 0}


def test_any_order_of_deliveries_ends_at_the_final_state() -> None:
    """Deliveries late, repeated and out of order: the journal ends at the newest state.

    Each delivery is processed when the timeline already shows every change made by then,
    as GitHub's would; an overtaken payload changes nothing.
    """
    rng = random.Random(7)
    for _ in range(60):
        events = []
        for step in range(12):
            state = rng.choice(["closed", "open"])
            events.append(
                issue(
                    state=state,
                    state_reason="completed" if state == "closed" else "reopened",
                    labels=rng.choice([("overhead",), ("overhead:large",), ("bug",)]),
                    updated_at=T0 + timedelta(minutes=step),
                )
            )
        delivered = events + rng.sample(events, k=6)
        rng.shuffle(delivered)
        history: list[Entry] = []
        clock = T0 - timedelta(hours=1)
        for facts in delivered:
            clock = max(clock, facts.updated_at)  # processed no earlier than it happened
            seen = Provenance(
                {"overhead": "bob", "overhead:large": "bob"}, None, True, latest=clock
            )
            history += plan_for(facts, history, seen).entries
        assert awards.held(history).get("alice", 0) == awards.worth(events[-1], POLICY)
        Ledger(MEMBERS, POLICY, {}, []).add(history)  # ids unique, invariants hold


def test_an_overtaken_payload_is_stale() -> None:
    later = Provenance({"overhead": "bob"}, None, True, latest=T0 + timedelta(minutes=1))
    assert plan_for(issue(), [], later).stale
    same = Provenance({"overhead": "bob"}, None, True, latest=T0 + timedelta(seconds=2))
    assert not plan_for(issue(), [], same).stale  # clock skew between payload and timeline


def test_commit_message() -> None:
    plan = plan_for(issue(labels=("overhead:large",)), [])
    assert award_text.commit_message([plan]) == "ante: +2 chips @alice for o/r#12"
    reopened = plan_for(issue(state="open", updated_at=T0 + timedelta(1)), list(plan.entries))
    assert award_text.commit_message([reopened]) == "ante: -2 chips @alice for o/r#12"
    assert award_text.commit_message([plan_for(issue(labels=("bug",)), [])]) is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "not a JSON object"),
        ({"action": "opened", "pull_request": {}}, "not an `issues` event"),
        ({"action": "closed", "issue": {}, "repository": {"full_name": "o/r"}}, "issue.number"),
        ({"issue": {"number": 1}, "repository": {"full_name": "o/r"}}, "no `action`"),
    ],
)
def test_bad_payloads_say_what_is_wrong(payload: object, message: str) -> None:
    with pytest.raises(payloads.PayloadError, match=message):
        payloads.from_event(payload)


def test_comment_sections_are_kept_apart() -> None:
    body = comment.compose(None, "award", "chips: 1\n")
    body = comment.compose(body, "intake", "thanks for the report\n")
    assert comment.sections(body) == {"intake": "thanks for the report\n", "award": "chips: 1\n"}
    assert body.index("intake") < body.index("award")
    body = comment.compose(body, "award", "chips: 2\n")
    assert comment.sections(body)["award"] == "chips: 2\n"
    assert comment.sections(body)["intake"] == "thanks for the report\n"
