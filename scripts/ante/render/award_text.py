"""What an award says: the award section of ante's issue comment and the commit message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ante.core.awards import Plan, award_label
from ante.core.models import Policy


@dataclass(frozen=True)
class Row:
    login: str
    member: bool
    held: int
    balance: int
    refusal: str | None


def comment_view(plan: Plan, policy: Policy, balances: Mapping[str, int]) -> dict[str, object]:
    """What the award section of the issue's comment shows (template variables)."""
    issue = plan.issue
    counted = award_label(issue.labels, policy)
    if counted is None:
        state = "unlabelled"
    elif issue.state == "open":
        state = "open"
    else:
        state = "not_planned" if issue.not_planned else "completed"
    rows: list[Row] = []
    seen: set[str] = set()
    for share in plan.shares:
        seen.add(share.login)
        held_now = plan.held.get(share.login, 0)
        rows.append(
            Row(share.login, share.member, held_now, balances.get(share.login, 0), share.refusal)
        )
    for login, chips in sorted(plan.held.items()):
        if login not in seen:  # earned here before: shown until the comment is gone
            rows.append(Row(login, True, chips, balances.get(login, 0), None))
    return {
        "state": state,
        "label": counted[0] if counted else policy.overhead_label,
        "worth": plan.worth,
        "rows": rows,
    }


def commit_message(plans: Iterable[Plan]) -> str | None:
    """`ante: +1 chip @alice for owner/repo#12`, or None when nothing changed."""
    changed = [plan for plan in plans if plan.changed]
    if not changed:
        return None
    if len(changed) == 1:
        plan = changed[0]
        return f"ante: {plan.headline()} for {plan.issue.key}"
    moved = sum(entry.delta for plan in changed for entry in plan.entries)
    lines = [f"ante sync: {len(changed)} issues, {moved:+d} chips", ""]
    lines += [f"- {plan.headline()} for {plan.issue.key}" for plan in changed]
    return "\n".join(lines)
