"""The work behind `ante award`; its command module only turns arguments into a call.

Over 300 lines on purpose: the facts, the plan, the push and the comment are one job's steps,
in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from ante.context import Context
from ante.core import awards, comment
from ante.core.awards import IssueFacts, Person, Plan, Provenance
from ante.core.issue_url import issue_ref, named_issue
from ante.core.ledger import Ledger
from ante.core.models import Entry
from ante.errors import AnteError
from ante.files import gitrepo
from ante.github import payloads
from ante.github.types import (
    GitHubError,
    Issue,
    IssueGone,
    RateLimited,
    Timeline,
    TimelineEvent,
    marker_tag,
)
from ante.render import award_text
from ante.services import trust

if TYPE_CHECKING:
    from ante.github.adapter import GitHubAdapter


LEDGER_PATHS = ("ledger", "STATUS.md")


# Pushes race only when runs overlap (e.g. sync and a forwarded event from another repo); a
# writer that keeps losing retries quickly at first, then backs off, for up to about a minute.
PUSH_ATTEMPTS, PUSH_DELAY = 30, 0.05


@dataclass
class Case:
    """One issue on its way to the journal, with what GitHub told us about it."""

    issue: IssueFacts
    provenance: Provenance = field(default_factory=Provenance)
    trusted: frozenset[str] = frozenset()
    timeline: Timeline | None = None
    plan: Plan | None = None
    owed: bool = False  # the journal already holds this state; only its comment is missing
    aliases: tuple[str, ...] = ()  # earlier addresses its chips may be booked under


def read_event(path: Path, ctx: Context) -> tuple[str, IssueFacts]:
    """The action and issue of an `issues` event, or of one forwarded or named by hand."""
    payload = payloads.load_payload(path)
    if isinstance(payload, dict) and "workflow" in payload and "inputs" in payload:
        inputs = payload.get("inputs")
        ref = inputs.get("issue") if isinstance(inputs, dict) else None
        named = named_issue(str(ref or ""))
        if named is not None:  # refused before any request is made for it
            trust.check_repository(ctx, ctx.store.policy(), named[0], "input `issue`")
        return "dispatched", fetch_issue(ctx, ref)
    try:
        action, facts = payloads.from_event(payload)
    except payloads.PayloadError as exc:
        raise AnteError(f"{path}: {exc}; nothing changed") from None
    trust.check_repository(ctx, ctx.store.policy(), facts.repo, f"{path}: {facts.key}")
    return action, facts


def fetch_issue(ctx: Context, ref: object) -> IssueFacts:
    """`owner/repo#12` or the issue's URL, as GitHub has it now (workflow_dispatch)."""
    found = named_issue(str(ref or ""))
    if found is None:
        raise AnteError(f"input `issue`: expected owner/repo#12 or an issue URL, got {ref!r}")
    if ctx.github is None:
        raise AnteError("applying an issue by name needs GITHUB_TOKEN; nothing changed")
    return facts_from_issue(ctx.github.issue(*found))


def facts_from_issue(issue: Issue) -> IssueFacts:
    """The adapter's issue (REST or search shape) as award facts."""
    closer = issue.closed_by
    return IssueFacts(
        repo=issue.repo,
        number=issue.number,
        url=issue.url,
        title=issue.title,
        state=issue.state,
        state_reason=issue.state_reason,
        labels=issue.labels,
        assignees=tuple(Person(login, awards.is_bot(login)) for login in issue.assignees),
        created_at=issue.created_at,
        updated_at=issue.updated_at,
        closer=Person(closer, awards.is_bot(closer)) if closer else None,
        id=issue.id,
    )


def provenance(timeline: Timeline) -> Provenance:
    labelers: dict[str, str] = {}
    closer: str | None = None
    latest = None
    for event in timeline.events:
        if event.kind == "labeled" and event.label and event.actor:
            labelers[event.label.lower()] = event.actor
        elif event.kind == "closed" and event.actor:
            closer = event.actor
        if event.kind in awards.STATE_EVENTS and event.created_at is not None:
            latest = event.created_at if latest is None else max(latest, event.created_at)
    return Provenance(labelers, closer, known=True, latest=latest)


def investigate(
    gh: GitHubAdapter | None, case: Case, ledger: Ledger, *, with_timeline: bool = True
) -> None:
    """Fill in who labelled and closed the issue and who is trusted: ≤ 2 API calls."""
    if gh is None:
        return
    if with_timeline:
        case.timeline = gh.timeline(case.issue.repo, case.issue.number)
        case.provenance = provenance(case.timeline)
    else:
        case.provenance = Provenance(known=True)
    trusted: set[str] = set()
    needed = awards.needs_permission(case.issue, ledger.policy, case.provenance, ledger.members)
    for login in needed:
        if gh.permission(case.issue.repo, login) in awards.TRUSTED_ROLES:
            trusted.add(login)
    case.trusted = frozenset(trusted)


def post_comment(ctx: Context, gh: GitHubAdapter, case: Case, balances: dict[str, int]) -> bool:
    """Create or edit ante's one comment on the issue; False when nothing needed saying."""
    assert case.plan is not None
    if case.plan.stale:  # a newer event's run says what is true now
        return False
    if case.timeline is None and not case.plan.changed and not case.plan.shares:
        return False
    if case.timeline is None:  # not read yet (sync): its comments are enough
        found = gh.comments(case.issue.repo, case.issue.number)
        events = (TimelineEvent("commented", c.author, c.created_at, comment=c) for c in found)
        case.timeline = Timeline(tuple(events))
    tag = marker_tag(comment.MARKER)
    existing = gh.own_comment(case.timeline.comments, comment.MARKER)
    if existing is None and not case.plan.changed and not case.plan.shares:
        return False
    from ante.render import templates  # Jinja2: only when there is something to say

    view = award_text.comment_view(case.plan, ctx.store.policy(), balances)
    section = templates.render(
        ctx.repo,
        "award-comment.md.j2",
        checked=case.provenance.known,
        members_url=_members_url(ctx),
        **view,
    )
    old = existing.body[len(tag) :].lstrip("\n") if existing else None
    body = comment.compose(old, "award", section + booked_line(case.issue.url))
    gh.upsert_comment(
        case.issue.repo, case.issue.number, comment.MARKER, body, known_timeline=case.timeline
    )
    return True


def _members_url(ctx: Context) -> str:
    team = ctx.settings.repository
    if not team:
        return "ledger/members.yaml"
    return f"{ctx.settings.server_url}/{team}/blob/HEAD/ledger/members.yaml"


# ---- the address an issue's chips are booked at ----------------------------------------------
#
# Entries are booked under the issue's URL when it first earns, and stay there: a repository
# renamed (or moved to another owner) gives the issue a new URL but keeps its GitHub id, which
# every award and revoke records (`issue_id`), so an event under the new URL finds them. A
# transferred issue gets a new id and number too; what travels with it is its comments, and so
# ante's own comment, whose award section names the address its chips are booked at (its last
# line, `booked_line`). GitHub's 301 from the old address is the third witness.

_BOOKED = re.compile(r"<!-- ante:booked-at (\S+) -->")
PROBES = 10  # legacy comments only: at most this many earlier addresses asked of GitHub


def booked_line(ref: str) -> str:
    """The hidden line of the award section that names where the chips are booked."""
    return f"<!-- ante:booked-at {ref} -->\n" if issue_ref(ref) is not None else ""


def booked_in_comment(gh: GitHubAdapter, timeline: Timeline) -> tuple[bool, str | None]:
    """Whether ante's own comment on the issue has an award section, and the address that
    section says the chips are booked at (None: written before ante said so, or no comment)."""
    own = gh.own_comment(timeline.comments, comment.MARKER)
    section = comment.sections(own.body if own else None).get("award")
    if section is None:
        return False, None
    found = _BOOKED.search(section)
    return True, found[1] if found and issue_ref(found[1]) is not None else None


def traced(
    gh: GitHubAdapter, facts: IssueFacts, earners: set[str], entries: Iterable[Entry]
) -> str | None:
    """The earlier address of an issue ante commented on before it recorded addresses: the
    journal's addresses in other repositories with the same number (a renamed repository) or
    whose chips its earners hold (a transferred issue) are asked of GitHub, at most `PROBES`,
    and the one GitHub redirects to this issue is it."""
    by_ref: dict[str, list[Entry]] = {}
    for entry in entries:
        by_ref.setdefault(entry.ref, []).append(entry)
    likely: list[tuple[bool, str]] = []
    for ref, history in by_ref.items():
        named = issue_ref(ref)
        if named is None or named[0].lower() == facts.repo.lower():
            continue
        same = named[1] == facts.number
        holds = any(c > 0 and m.lower() in earners for m, c in awards.held(history).items())
        if same or holds:
            likely.append((not same, ref))
    for _, ref in sorted(likely)[:PROBES]:
        repo, number = issue_ref(ref) or ("", 0)
        try:
            live = gh.issue(repo, number)
        except RateLimited:
            raise
        except GitHubError:  # gone, or a repository the token no longer sees: not this one
            continue
        if live.url == facts.url or (facts.id is not None and live.id == facts.id):
            return ref
    return None


def earlier_history(
    ctx: Context, ledger: Ledger, issues: Sequence[IssueFacts], aliases: Iterable[str] = ()
) -> dict[str, list[Entry]]:
    """Entries about `issues` (by URL, GitHub id, or an earlier address in `aliases`) in closed
    periods: read only for issues older than this period."""
    if ledger.period is None:
        return {}
    oldest = min((i.created_at.year for i in issues), default=ledger.period)
    if oldest >= ledger.period:
        return {}
    old = [i for i in issues if i.created_at.year < ledger.period]
    refs = {i.url for i in old} | set(aliases)
    ids = {i.id for i in old if i.id is not None}
    closed = [p for p in ctx.store.periods() if oldest <= p < ledger.period]
    return ctx.store.entries_about(refs, closed, ids)


def booked(
    issue: IssueFacts, ledger: Ledger, earlier: dict[str, list[Entry]], aliases: Iterable[str]
) -> tuple[IssueFacts, list[Entry]]:
    """The issue under the address its chips are booked at, and its entries there."""
    everything = chain(chain.from_iterable(earlier.values()), ledger.entries)
    ref = awards.booked_at(issue, everything, aliases)
    facts = issue if ref == issue.url else replace(issue, url=ref)
    return facts, earlier.get(ref, []) + ledger.entries_for(ref)


def apply(ctx: Context, cases: Sequence[Case], earlier: dict[str, list[Entry]]) -> list[Plan]:
    """Plan and append every case's entries to the working tree; re-render STATUS.md."""
    ledger = ctx.store.load()
    today = ctx.now.date()
    plans: list[Plan] = []
    for case in cases:
        case.issue, past = booked(case.issue, ledger, earlier, case.aliases)
        wanted = awards.shares(
            case.issue, ledger.policy, ledger.members, case.provenance, case.trusted
        )
        case.plan = awards.reconcile(
            case.issue, ledger.policy, wanted, past, today, case.provenance
        )
        try:
            ctx.store.append(ledger, list(case.plan.entries))
        except ValueError as exc:
            raise AnteError(f"{case.issue.key}: {exc}; nothing changed") from None
        plans.append(case.plan)
    if any(plan.changed for plan in plans):
        # STATUS.md's sources and Jinja2: loaded only by a run that changed the journal
        from ante.services import status_file

        status_file.write(ctx)
    return plans


def record(ctx: Context, cases: Sequence[Case], *, push: bool) -> list[Plan]:
    """Apply to the working tree, or with `push` commit and push (re-applying after conflicts)."""
    ledger = ctx.store.load()
    aliases = [alias for case in cases for alias in case.aliases]
    earlier = earlier_history(ctx, ledger, [case.issue for case in cases], aliases)
    plans: list[Plan] = []

    def attempt() -> str | None:
        plans[:] = apply(ctx, cases, earlier)
        return award_text.commit_message(plans)

    result = gitrepo.save(
        ctx.repo,
        attempt,
        LEDGER_PATHS,
        push=push,
        attempts=PUSH_ATTEMPTS,
        base_delay=PUSH_DELAY,
    )
    if result.changed and push:
        ctx.say(f"pushed after {result.attempts} attempt(s): {result.report()}")
    elif result.changed and gitrepo.has_commits(ctx.repo) and (ctx.repo / ".git").exists():
        ctx.say(f"committed locally (push with --push): {result.report()}")
    return plans


def report(ctx: Context, plan: Plan) -> None:
    key = plan.issue.key
    if plan.stale:
        ctx.say(f"nothing to do: the event for {key} is older than one already applied")
    elif plan.changed:
        ctx.say(f"{key}: {plan.headline()}")
        ctx.summary(f"### ante award\n\n{key}: {plan.headline()}")
    else:
        ctx.say(f"nothing to do: the journal already matches {key}")
    for share in plan.shares:
        if share.refusal:
            ctx.say(f"  @{share.login}: no chips, {share.refusal}")


def current(
    ctx: Context, gh: GitHubAdapter, issue: IssueFacts
) -> tuple[IssueFacts, tuple[str, ...]] | None:
    """The issue as GitHub has it now (None: deleted), and the earlier addresses this run saw
    (the event's, the one GitHub redirected from). A run that waited behind others, or replaced
    a cancelled one, applies the state the issue has reached, so nothing is lost."""
    try:
        live = gh.issue(issue.repo, issue.number)
    except IssueGone:
        ctx.say(f"{issue.key} was deleted (410 Gone): nothing to award, skipped")
        return None
    facts = facts_from_issue(live)
    if live.moved_from:  # transferred: its chips stay booked under the address they were won at
        ctx.say(f"{issue.key} now lives at {live.repo}#{live.number}")
    seen = (issue.url, live.moved_from or "")
    return facts, tuple(dict.fromkeys(a for a in seen if a and a != facts.url))


def earlier_address(
    gh: GitHubAdapter, case: Case, ledger: Ledger, history: Sequence[Entry]
) -> tuple[str, ...]:
    """The address ante's own comment on the issue says its chips are booked at, when the
    journal has none for it under its URL, its id or the addresses seen so far (a transferred
    issue: its comments travel with it). A comment ante wrote before it said so: `traced`."""
    if history or case.timeline is None:
        return ()
    commented, ref = booked_in_comment(gh, case.timeline)
    if ref is None and commented:
        earners = {p.login.lower() for p in awards.earners(case.issue, case.provenance)}
        ref = traced(gh, case.issue, earners, ledger.entries)
    return (ref,) if ref is not None and ref != case.issue.url else ()


def trace(ctx: Context, cases: Sequence[Case], earlier: dict[str, list[Entry]]) -> None:
    """For issues read without an event (sync): the address ante's own comment names, for
    those vetted (their comments read) whose chips the journal books under no address known."""
    gh = ctx.github
    if gh is None:
        return
    ledger = ctx.store.load()
    for case in cases:
        past = booked(case.issue, ledger, earlier, case.aliases)[1]
        case.aliases += earlier_address(gh, case, ledger, past)


def on_event(ctx: Context, path: Path, *, push: bool) -> int:
    """`ante award --event FILE`: apply one issue event (its issue's current state)."""
    action, issue = read_event(path, ctx)
    if action not in (*awards.ACTIONS, "dispatched"):
        ctx.say(f"nothing to do: `{action}` does not change what {issue.key} is worth")
        return 0
    ledger = ctx.store.load()
    aliases: tuple[str, ...] = ()
    seen: dict[tuple[str, int | None, tuple[str, ...]], list[Entry]] = {}

    def history(facts: IssueFacts) -> list[Entry]:
        key = (facts.url, facts.id, aliases)  # closed years are read once per address
        if key not in seen:
            earlier = earlier_history(ctx, ledger, [facts], aliases)
            seen[key] = booked(facts, ledger, earlier, aliases)[1]
        return seen[key]

    def concerned(facts: IssueFacts) -> bool:
        held = awards.held(history(facts))
        return awards.is_overhead(facts, ledger.policy) or any(held.values())

    if not concerned(issue):  # the payload says: never overhead, no chips (no call spent)
        ctx.say(f"nothing to do: {issue.key} has no award label and holds no chips")
        return 0
    gh = ctx.github
    if gh is not None and action != "dispatched":
        found = current(ctx, gh, issue)
        if found is None:
            return 0
        issue, aliases = found
        if not concerned(issue):
            ctx.say(f"nothing to do: {issue.key} has no award label and holds no chips")
            return 0
    case = Case(issue, aliases=aliases)
    if gh is None:
        ctx.say("no GitHub token: who applied the label is not checked and no comment is posted")
    else:
        investigate(gh, case, ledger)
        case.aliases += earlier_address(gh, case, ledger, history(issue))
    plans = record(ctx, [case], push=push)
    plan = plans[0] if plans else case.plan
    assert plan is not None
    report(ctx, plan)
    if gh is not None:
        try:
            post_comment(ctx, gh, case, ctx.store.load().balances())
        except AnteError as exc:
            raise AnteError(
                f"the journal is up to date but the comment on {issue.key} failed ({exc}); "
                "re-run to retry (nothing will double)"
            ) from None
    return 0
