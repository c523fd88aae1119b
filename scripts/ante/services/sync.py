"""The work behind `ante sync`; its command module only turns arguments into a call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ante import clock
from ante.context import Context
from ante.core import awards, comment
from ante.core.awards import IssueFacts, Provenance
from ante.core.ledger import Ledger
from ante.core.models import Entry, Strict
from ante.errors import Problem
from ante.files import gitrepo, yamlio
from ante.render import award_text
from ante.services import award
from ante.services.award import Case

if TYPE_CHECKING:
    from ante.github.adapter import GitHubAdapter
    from ante.github.types import Issue


SYNC_FILE = "ledger/sync.yaml"


HEADER = (
    "# Written by ante sync: overhead issues updated before `cursor` have been reconciled.\n"
    "# Delete this file to look back to the start of the journal's year on the next run.\n"
)


OVERLAP = timedelta(minutes=10)  # clock skew between runner and GitHub; seen twice is harmless


REFRESH = timedelta(hours=24)  # a quiet repo still moves its cursor (one commit a day at most)


class SyncFile(Strict):
    cursor: datetime


def read_cursor(repo: Path) -> datetime | None:
    path = repo / SYNC_FILE
    if not path.exists():
        return None
    return yamlio.load(path, SyncFile, repo).cursor


def write_cursor(repo: Path, cursor: datetime) -> None:
    yamlio.write_text(repo / SYNC_FILE, HEADER + f"cursor: {clock.utc_text(cursor)}\n")


def check_cursor(repo: Path) -> list[Problem]:
    """For `ante validate`: the cursor file, when there is one, is well formed."""
    read_cursor(repo)
    return []


def start_of(ledger: Ledger, now: datetime) -> datetime:
    """Without a cursor: from the journal's first entry of this period (the game's start)."""
    first = min((entry.date for entry in ledger.entries), default=now.date())
    return datetime(first.year, first.month, first.day, tzinfo=now.tzinfo)


def updated_issues(
    gh: GitHubAdapter, repos: Sequence[str], ledger: Ledger, since: datetime
) -> list[Issue]:
    """Issues updated since `since` that concern chips: overhead-labelled now, or holding chips
    in the journal (a removed label revokes). Read through the issues API, never search. An
    issue of a repository renamed since (the adapter lists it at the new name) keeps its
    journal address as `moved_from`, and its GitHub id, so a rename never awards twice."""
    booked = [entry for entry in ledger.entries if entry.kind in ("award", "revoke")]
    held = {entry.ref for entry in booked}
    ids = {entry.issue_id for entry in booked if entry.issue_id is not None}
    names = {name.lower() for name in ledger.policy.awards} | {ledger.policy.overhead_label.lower()}
    found: list[Issue] = []
    for repo in repos:
        for issue in gh.list_issues(repo, since=since):
            if (
                issue.url in held
                or issue.moved_from in held
                or issue.id in ids
                or any(label.lower() in names for label in issue.labels)
            ):
                found.append(issue)
    return found


def facts_keyed(issue: Issue, ledger: Ledger) -> IssueFacts:
    """The issue as award facts, under the address its chips were booked at (found by its
    GitHub id, or the former address it was listed under)."""
    facts = award.facts_from_issue(issue)
    ref = awards.booked_at(facts, ledger.entries, [issue.moved_from] if issue.moved_from else [])
    return facts if ref == facts.url else replace(facts, url=ref)


def query(repo: str, ledger: Ledger, since: datetime) -> str:
    labels = sorted({*ledger.policy.awards, ledger.policy.overhead_label}, key=str.lower)
    spelled = ",".join(
        f'"{label}"' if any(c in label for c in ' ,"') else label for label in labels
    )
    return f"repo:{repo} is:issue label:{spelled} updated:>={clock.utc_text(since)}"


def candidates(
    gh: GitHubAdapter,
    ledger: Ledger,
    found: Sequence[IssueFacts],
    earlier: dict[str, list[Entry]],
    today: date,
    since: datetime,
) -> list[Case]:
    """The issues whose journal entries would change, vetted only when someone would earn; and
    those whose journal change since `since` was never announced on the issue (`Case.owed`)."""
    cases: list[Case] = []
    for issue in found:
        past = earlier.get(issue.url, []) + ledger.entries_for(issue.url)
        newest = max((e.at for e in past if e.at is not None), default=None)
        case = Case(issue)
        if newest is None or newest < issue.updated_at:  # else the journal has seen this state
            if awards.worth(issue, ledger.policy) and not issue.assignees:
                award.investigate(gh, case, ledger)  # lists don't say who closed it
            wanted = awards.shares(issue, ledger.policy, ledger.members, case.provenance)
            hopeful = awards.reconcile(issue, ledger.policy, wanted, past, today)
            if hopeful.changed:
                if case.timeline is None:
                    if any(share.chips for share in wanted):
                        award.investigate(gh, case, ledger)  # who applied the label decides
                    else:
                        case.provenance = Provenance(known=True)  # nobody earns: nothing to vet
                cases.append(case)
                continue
        # The journal changed for this issue within the window: the run that wrote it may
        # have died before its comment (later activity, a person's label, can hide that).
        if newest is not None and newest >= since and unannounced(gh, case, newest):
            if case.timeline is None:
                award.investigate(gh, case, ledger)  # the comment says who earned and why
            case.owed = True
            cases.append(case)
    return cases


def unannounced(gh: GitHubAdapter, case: Case, written: datetime) -> bool:
    """True when ante's comment on the issue predates the journal's last change to it (or is
    missing, or has no award section): one comment listing, unless the timeline was read."""
    if case.timeline is not None:
        listed = case.timeline.comments
    else:
        listed = gh.comments(case.issue.repo, case.issue.number)
    own = gh.own_comment(listed, comment.MARKER)
    if own is None:
        return True
    return "award" not in comment.sections(own.body) or own.updated_at < written


def publish(
    ctx: Context,
    cases: Sequence[Case],
    earlier: dict[str, list[Entry]],
    cursor: datetime | None,
    *,
    push: bool,
) -> list[awards.Plan]:
    plans: list[awards.Plan] = []
    award.trace(ctx, cases, earlier)  # a transferred issue's chips stay where they were booked

    def attempt() -> str | None:
        plans[:] = award.apply(ctx, cases, earlier)
        message = award_text.commit_message(plans)
        if cursor is not None:
            write_cursor(ctx.repo, cursor)
            message = message or f"ante sync: reconciled up to {clock.utc_text(cursor)}"
        return message

    result = gitrepo.save(
        ctx.repo,
        attempt,
        award.LEDGER_PATHS,
        push=push,
        attempts=award.PUSH_ATTEMPTS,
        base_delay=award.PUSH_DELAY,
    )
    if result.changed:
        ctx.say(f"{'pushed' if push else 'committed'}: {result.report()}")
    return plans
