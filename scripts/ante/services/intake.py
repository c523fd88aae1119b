"""The work behind `ante intake`; its command module only turns arguments into a call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ante.clock import utc_text
from ante.context import Context
from ante.core import awards, intake, intake_event
from ante.core.intake import Note, Step
from ante.core.issue_url import issue_ref
from ante.core.models import Policy
from ante.errors import AnteError
from ante.files import backlog, gitrepo, intake_notes
from ante.github import payloads
from ante.github.types import Issue
from ante.services import status_file, trust
from ante.services.intake_comment import (
    existing,
    intake_said,
    issue_of,
    queued,
    section,
    write_section,
)
from ante.services.tax import backlog_query

if TYPE_CHECKING:
    from ante.github.adapter import GitHubAdapter


PATHS = ("ledger", "STATUS.md")


LIST_LIMIT = 1000  # open issues read per repository and label; beyond, the rest is not seen


@dataclass(frozen=True)
class Queue:
    """The open overhead issues, oldest first; the requests it took; whether it is all of them."""

    issues: tuple[Issue, ...]
    reads: int
    complete: bool


def open_overhead(gh: GitHubAdapter, repos: list[str], policy: Policy) -> Queue:
    """Every open overhead issue, oldest first, through the issues API: one request per 100
    issues per repository and overhead label (GitHub's list wants all its labels, so each label
    is one listing). Never search: its index lags writes, and a sweep acting on an issue as it
    was a minute ago would close one just answered, or re-close as not planned one a person
    just closed as completed (revoking its chips), or tell a just-resolved issue its queue
    position again."""
    labels = list(dict.fromkeys([policy.overhead_label, *policy.awards]))
    found: dict[str, Issue] = {}
    reads, complete = 0, True
    for repo in repos:
        for label in labels:
            listed = gh.list_issues(
                repo, state="open", labels=[label], sort="created", limit=LIST_LIMIT
            )
            reads += max(1, -(-len(listed) // 100))
            complete = complete and len(listed) < LIST_LIMIT
            for issue in listed:
                found.setdefault(issue.url, issue)
    issues = sorted(found.values(), key=lambda i: (i.created_at, i.url))
    return Queue(tuple(issues), reads, complete)


def pace(ctx: Context, policy: Policy) -> intake.Pace:
    return intake.pace(backlog.load_history(ctx.repo), policy.intake.history_weeks)


def publish(
    ctx: Context,
    notes: Mapping[str, Note | None],
    swept: Sequence[intake_notes.Swept],
    *,
    push: bool,
    what: str,
) -> None:
    """Record the notes and sweeps in the repository (committed and pushed under --push)."""

    def apply() -> str | None:
        changed = intake_notes.save_notes(ctx.repo, notes) if notes else False
        if swept and intake_notes.record_sweeps(ctx.repo, swept, ctx.now.date()):
            changed = True
            status_file.write(ctx)
        return f"ante {what}" if changed else None

    result = gitrepo.save(ctx.repo, apply, PATHS, push=push)
    if result.changed:
        ctx.say(f"{'pushed' if push else 'committed'}: {result.report()}")


def read_event(path: Path) -> tuple[str, awards.IssueFacts, int, str | None]:
    """The action, the issue, how many comments it has, and who sent the event."""
    payload = payloads.load_payload(path)
    try:
        action, facts = payloads.from_event(payload)
    except payloads.PayloadError as exc:
        raise AnteError(f"{path}: {exc}; nothing changed") from None
    count = payload["issue"].get("comments")
    user = payload.get("sender")
    sender = user.get("login") if isinstance(user, dict) else None
    return (
        action,
        facts,
        count if isinstance(count, int) else 1,
        sender if isinstance(sender, str) else None,
    )


def on_event(ctx: Context, event: Path, *, dry_run: bool, push: bool) -> int:
    action, facts, count, sender = read_event(event)
    policy = ctx.store.policy()
    trust.check_repository(ctx, policy, facts.repo, f"{event}: {facts.key}")
    notes = intake_notes.load_notes(ctx.repo)
    note = notes.get(facts.url)
    overhead = awards.is_overhead(facts, policy)
    answer = intake_event.answer(action, facts, overhead=overhead, note=note, sender=sender)
    if answer.kind == "nothing":
        ctx.say(f"nothing to do: {facts.key} is not in the Overhead queue")
        return 0
    gh = ctx.github
    if gh is None:
        ctx.say(f"no GitHub token: {facts.key} would be told where it stands (nothing written)")
        return 0
    issue = issue_of(facts, count)
    swept: list[intake_notes.Swept] = []
    guess: intake.Estimate | None = None
    if answer.kind == "resolve":
        day = facts.updated_at.date()
        text = section(ctx, answer.state, policy, closer=answer.closer, day=day)
        if answer.swept:
            by = answer.closer or "someone"
            swept.append(intake_notes.Swept(date=day, issue=facts.url, title=facts.title, by=by))
    elif answer.kind == "drop":
        text = ""
    else:
        repos = ctx.repositories(policy, facts.repo)
        query = f"{backlog_query(repos, policy)} is:open"  # the queue spans every repository
        position = gh.count_issues(f"{query} created:<={utc_text(facts.created_at)}")
        guess = intake.estimate(max(position, 1), pace(ctx, policy), ctx.now.date())
        if not intake_event.needs_telling(note, guess):
            ctx.say(f"nothing to do: {facts.key} was already told where it stands")
            return 0
        text = queued(ctx, policy, guess)
    if dry_run:
        ctx.say(f"would update ante's comment on {facts.key} ({action})")
        return 0
    # Events are rare: read the comments rather than trust the note or the payload's count
    # (the award in the same job may have just written ante's comment).
    known = existing(gh, issue, None, 1)
    said = intake_said(known, gh.identity)
    if intake_event.keeps_sweep_text(facts, said):
        text = said  # the sweep closed it and already said why
    written = write_section(gh, issue, known, text)
    change: Note | None = None
    if guess is not None:
        change = intake_event.acknowledged(
            facts,
            guess,
            touched=written.comment.updated_at,
            comment=written.comment.id,
            shared=written.shared,
        )
    told = "resolution" if facts.state == "closed" else "queue position"
    ctx.say(f"{facts.key}: {told} told in ante's comment")
    publish(ctx, {facts.url: change}, swept, push=push, what=f"intake: {facts.key} {action}")
    return 0


def carry_out(
    ctx: Context, gh: GitHubAdapter, steps: Sequence[Step[Issue]], policy: Policy
) -> tuple[dict[str, Note | None], list[intake_notes.Swept]]:
    """Do each step on GitHub; the notes to record (and the sweeps, for closes)."""
    changes: dict[str, Note | None] = {}
    swept: list[intake_notes.Swept] = []
    label = policy.intake.triage_label
    for step in steps:
        issue = step.issue
        known = existing(gh, issue, step.note, step.reads)
        stamps: list[datetime] = []
        if step.kind == "ask":
            if label.lower() not in {x.lower() for x in issue.labels}:
                gh.add_labels(issue.repo, issue.number, [label])
            close_on = (ctx.now + timedelta(days=policy.intake.grace_days)).date()
            text = section(ctx, "asked", policy, since=step.activity.date(), close_on=close_on)
        elif step.kind == "close":
            text = section(ctx, "not_planned", policy, swept=True)
        else:
            if step.kind == "unask":
                gh.remove_label(issue.repo, issue.number, label)
            assert step.estimate is not None
            text = queued(ctx, policy, step.estimate, "kept" if step.kind == "unask" else "queued")
        written = write_section(gh, issue, known, text)
        stamps.append(written.comment.updated_at)
        if step.kind == "close":
            closed = gh.close_issue(issue.repo, issue.number, reason="not_planned")
            days = policy.intake
            reason = f"no activity for {days.stale_days} days, no answer in {days.grace_days}"
            swept.append(
                intake_notes.Swept(
                    date=ctx.now.date(),
                    issue=issue.url,
                    title=issue.title,
                    by="ante",
                    reason=reason,
                )
            )
            stamps.append(closed.updated_at)
        changes[issue.url] = intake.noted(
            step, touched=max(stamps), comment=written.comment.id, shared=written.shared
        )
        ctx.say(f"{issue.repo}#{issue.number}: {step.kind}")
    return changes, swept


def forgotten(
    notes: Mapping[str, Note], issues: Sequence[Issue], complete: bool
) -> dict[str, Note | None]:
    """Notes of issues no longer open overhead issues (closed or unlabelled meanwhile)."""
    if not complete:
        return {}
    open_now = {i.url for i in issues}
    return {url: None for url in notes if url not in open_now}


def report(ctx: Context, title: str, plan: intake.Plan[Issue], *, dry_run: bool) -> None:
    verb = "would" if dry_run else "did"
    counts: dict[str, int] = {}
    for step in plan.steps:
        counts[step.kind] = counts.get(step.kind, 0) + 1
    done = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "nothing"
    line = f"{title}: {verb} {done}; {len(plan.deferred)} left for the next run (operation limit)"
    ctx.say(line)
    if dry_run:
        for step in plan.steps:
            ctx.say(f"  would {step.kind} {step.issue.url}")
    ctx.summary(f"### {title}\n\n{line}")


def on_refresh(ctx: Context, *, dry_run: bool, push: bool) -> int:
    policy = ctx.store.policy()
    gh = ctx.github
    repos = ctx.repositories(policy)
    if gh is None or not repos:
        ctx.say("no GitHub token (or repository): nothing read, nothing acknowledged")
        return 0
    queue = open_overhead(gh, repos, policy)
    issues = queue.issues
    notes = intake_notes.load_notes(ctx.repo)
    budget = policy.intake.max_operations - queue.reads
    plan = intake.refresh(issues, notes, pace(ctx, policy), ctx.now.date(), budget=budget)
    report(ctx, "ante intake --refresh", plan, dry_run=dry_run)
    if dry_run:
        return 0
    changes, _ = carry_out(ctx, gh, plan.steps, policy)
    gone = forgotten(notes, issues, complete=queue.complete)
    left = budget - sum(step.calls for step in plan.steps)
    swept = resolve_missed(ctx, gh, list(gone)[: max(0, left) // 3], policy)
    publish(ctx, changes | gone, swept, push=push, what="intake: weekly refresh")
    return 0


def acknowledge_missed(
    ctx: Context, gh: GitHubAdapter, found: Sequence[Issue], *, push: bool
) -> list[str]:
    """Open overhead issues among `found` (what sync listed) that ante never told where they
    stand: their `opened`/`labeled` events were missed. Acknowledged now as the Monday refresh
    would, so a missed acknowledgement waits for the next sync, not the next Monday. Costs
    nothing when every one has its note; else the queue's listing and each issue's comment."""
    policy = ctx.store.policy()
    notes = intake_notes.load_notes(ctx.repo)
    names = {label.lower() for label in (policy.overhead_label, *policy.awards)}
    missed = {
        issue.url
        for issue in found
        if issue.state == "open"
        and issue.url not in notes
        and any(label.lower() in names for label in issue.labels)
    }
    if not missed:
        return []
    queue = open_overhead(gh, ctx.repositories(policy), policy)
    budget = policy.intake.max_operations - queue.reads
    plan = intake.refresh(queue.issues, notes, pace(ctx, policy), ctx.now.date(), budget=budget)
    steps = [s for s in plan.steps if s.kind == "acknowledge" and s.issue.url in missed]
    if not steps:
        return []
    changes, _ = carry_out(ctx, gh, steps, policy)
    publish(ctx, changes, [], push=push, what="intake: acknowledged what sync found")
    return [f"{s.issue.repo}#{s.issue.number}" for s in steps]


def resolve_missed(
    ctx: Context, gh: GitHubAdapter, urls: Sequence[str], policy: Policy
) -> list[intake_notes.Swept]:
    """Issues ante noted that are no longer open overhead issues: a missed `closed` event.

    Their resolution is told now (3 calls each: the issue, its comments, the edit).
    """
    swept: list[intake_notes.Swept] = []
    for url in urls:
        ref = issue_ref(url)
        if ref is None:
            continue
        issue = gh.issue(*ref)
        if issue.state != "closed":
            continue  # unlabelled while open: it just left the queue
        known = existing(gh, issue, None, 1)
        if intake_said(known, gh.identity).startswith("**Resolved**"):
            continue
        state = issue.state_reason or "completed"
        day = (issue.closed_at or ctx.now).date()
        text = section(ctx, state, policy, closer=issue.closed_by, day=day)
        write_section(gh, issue, known, text)
        if state == "not_planned":
            by = issue.closed_by or "someone"
            swept.append(intake_notes.Swept(date=day, issue=url, title=issue.title, by=by))
        ctx.say(f"{issue.repo}#{issue.number}: resolution told (its closing was missed)")
    return swept
