"""Waking people for an emergency: route the page, escalate it until someone answers, resolve it.

One pass (`advance`) serves both the `issues` event (`ante emergency`) and the scheduled check
(`ante escalate`): it reads who answered, asks the core which escalation steps are due, records
them on the page (`ledger/pages/`), on the issue (assignment and ante's one comment) and in the
channels (`notify:` in the policy). The ledger write and the GitHub page come first; a channel
that fails is reported in the job summary and tried again on the next pass.

One module (~500 lines) on purpose: routing, the comment's log, the notices and the escalation
pass all read and write the same page record in the same order; the decisions themselves live
in `core/paging.py`, the channels in `notify/`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ante.context import Context
from ante.core import paging
from ante.core.notify import Notice, NotifyPolicy, dedup_key
from ante.core.paging import Chain, Step, Taken
from ante.files import emergencies, gitrepo, notices, rotations
from ante.files.emergencies import Page
from ante.files.rotations import Roster
from ante.render.escape import markdown
from ante.render.ics import role_title
from ante.services import pagerduty_ack

if TYPE_CHECKING:
    from ante.github.adapter import GitHubAdapter

PAGE_MARKER = "emergency"
STEP_FIELD: dict[Step, str] = {
    "paged": "paged_at",
    "first-mate": "first_mate_at",
    "managers": "managers_at",
}


# ---- routing -----------------------------------------------------------------------------


def chain_for(ctx: Context, roster: Roster, moment: datetime) -> Chain:
    """Who is woken for an emergency of `roster` opened at `moment`."""
    config = roster.config
    out_of_hours = not config.in_working_hours(moment)
    roles = rotations.roles_at(ctx.repo, roster, moment)
    mate_role = config.roles[1] if len(config.roles) > 1 else None
    first_mate = roles.get(mate_role) if mate_role else None
    paged, paged_role, paged_rotation = roles.get(config.captain_role), config.captain_role, roster
    if out_of_hours and config.out_of_hours:
        night = next(
            (r for r in rotations.load_rotations(ctx.repo) if r.name == config.out_of_hours), None
        )
        if night is not None:
            paged_rotation = night
            paged_role = night.config.captain_role
            paged = rotations.roles_at(ctx.repo, night, moment).get(paged_role)
    managers = tuple(paged_rotation.config.escalation or config.escalation)
    delays = paged_rotation.config.escalate_after
    return Chain(
        out_of_hours=out_of_hours,
        rotation=paged_rotation.name,
        paged=paged,
        paged_role=paged_role,
        first_mate=first_mate,
        managers=managers,
        first_mate_after=timedelta(minutes=delays.first_mate),
        managers_after=timedelta(minutes=delays.managers),
    )


def paged_since(page: Page, now: datetime) -> datetime:
    """Escalation delays count from the first page ante sent (an emergency whose event was
    missed and is found late is paged first, not escalated at once)."""
    taken = [t for t in (page.paged_at, page.first_mate_at, page.managers_at) if t is not None]
    return min(taken, default=now)


def done_steps(page: Page) -> list[Step]:
    return [step for step, name in STEP_FIELD.items() if getattr(page, name) is not None]


def apply(page: Page, taken: Sequence[Taken], chain: Chain) -> Page:
    """The page with the steps taken recorded (who was woken, and when)."""
    woken = list(page.woken)
    changes: dict[str, object] = {"paged_rotation": chain.rotation}
    for step in taken:
        changes[STEP_FIELD[step.step]] = step.at
        woken += [p for p in step.people if p.lower() not in {w.lower() for w in woken}]
    changes["woken"] = woken
    return page.model_copy(update=changes)


# ---- the comment -------------------------------------------------------------------------


def _when(roster: Roster, moment: datetime) -> str:
    local = moment.astimezone(roster.config.zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def comment(roster: Roster, page: Page, chain: Chain, pagerduty_escalates: bool = False) -> str:
    """ante's one comment on the emergency: who is paged, the path, and what happened so far."""
    config = roster.config
    kind = "out-of-hours" if page.out_of_hours else "in-hours"
    lines = [
        f"**Product emergency: paging the on-call** ({kind} page, `{roster.name}` rotation)",
        "",
    ]
    who = role_title(chain.paged_role)
    if chain.rotation != roster.name:
        who = f"Out-of-hours {chain.paged_role} (`{chain.rotation}` rotation)"
    if chain.paged:
        lines.append(
            f"- {who}: @{chain.paged} (assigned): acknowledge with a comment or a reaction "
            "on this issue; resolves it, pulls in the first-mate or others when needed, and "
            "often writes a post-mortem."
        )
    else:
        lines.append(f"- Nobody is {who.lower()} right now: the managers are paged at once.")
    mate = chain.people("first-mate")
    after = "" if pagerduty_escalates else "paged"
    if mate:
        title = role_title(config.roles[1])
        late = int(chain.first_mate_after.total_seconds() // 60)
        lines.append(
            f"- {title}: @{mate[0]}: please back the captain up"
            + (f" ({after} if nobody acknowledges within {late} minutes)." if after else ".")
        )
    if chain.managers:
        late = int(chain.managers_after.total_seconds() // 60)
        names = ", ".join(f"@{m}" for m in chain.managers)
        lines.append(
            f"- Managers: {names}"
            + (f" ({after} if nobody acknowledges within {late} minutes)." if after else ".")
        )
    path = [f"@{x}" for x in (chain.paged, *mate) if x]
    if chain.managers:
        path.append("managers " + ", ".join(f"@{m}" for m in chain.managers))
    if path:
        lines.append("- Escalation path: " + " → ".join(path))
    else:
        lines.append(
            f"- **Nobody to page**: nobody is on call and `rotations/{chain.rotation}.yaml` "
            "lists no managers under `escalation:`."
        )
    if pagerduty_escalates:
        lines.append("- PagerDuty's escalation policy and acknowledgements take it from here.")
    log = _log(roster, page)
    if log:
        lines += ["", "Log:", *log]
    lines += ["", "When this issue is closed, a post-mortem issue is opened for the captain."]
    return "\n".join(lines)


def _log(roster: Roster, page: Page) -> list[str]:
    woken = list(page.woken)
    rows: list[tuple[datetime, str]] = []
    if page.paged_at:
        rows.append((page.paged_at, f"paged @{woken[0]}" if woken else "paged"))
    if page.first_mate_at:
        mate = page.first_mate or "the first-mate"
        rows.append((page.first_mate_at, f"no acknowledgement: paged the first-mate @{mate}"))
    if page.managers_at:
        first = not page.paged_at and not page.first_mate_at
        managers = [w for w in woken if w not in (page.first_mate, woken[0] if woken else None)]
        names = ", ".join(f"@{m}" for m in (woken if first else managers)) or "the managers"
        why = "nobody on call" if first else "no acknowledgement"
        rows.append((page.managers_at, f"{why}: paged the managers {names}"))
    if page.acknowledged and page.acknowledged_via == pagerduty_ack.VIA:
        who = markdown(page.acknowledged_by or "someone", 100)
        rows.append((page.acknowledged, f"acknowledged in PagerDuty by {who}"))
    elif page.acknowledged and page.acknowledged_by:
        rows.append((page.acknowledged, f"acknowledged by @{page.acknowledged_by}"))
    if page.closed:
        rows.append((page.closed, "closed"))
    return [f"- {_when(roster, at)}: {text}" for at, text in sorted(rows, key=lambda r: r[0])]


# ---- notices -----------------------------------------------------------------------------


def notices_for(page: Page, chain: Chain, repo: str) -> list[Notice]:
    """Every notice this page has earned so far (delivery skips those already sent)."""
    key = dedup_key(page.issue)
    kind = "out-of-hours" if page.out_of_hours else "in-hours"
    details = {
        "repository": repo,
        "rotation": page.rotation,
        "issue": page.issue,
        "out_of_hours": "yes" if page.out_of_hours else "",
    }
    title = _chat(page.title)
    out: list[Notice] = []
    if page.closed is None and page.acknowledged is None:
        for step in done_steps(page):
            people = chain.people(step)
            if step == "managers" and not people:
                continue
            names = ", ".join(f"@{p}" for p in people)
            if step == "paged" or step == done_steps(page)[0]:
                summary = f"Product emergency #{page.number}: {page.title}"[:200]
                text = f"🚨 Product emergency ({kind}): {title}\n{page.issue}\nPaging {names}"
                out.append(
                    Notice(
                        "page",
                        f"{key}/page",
                        summary,
                        text,
                        page.opened,
                        page.issue,
                        people,
                        key,
                        details,
                    )
                )
            else:
                summary = f"Emergency #{page.number} unacknowledged: paging the {step} {names}"
                text = (
                    f"⏰ No acknowledgement on {title}\n{page.issue}\n"
                    f"Now paging the {step}: {names}"
                )
                at = getattr(page, STEP_FIELD[step])
                out.append(
                    Notice(
                        "escalate",
                        f"{key}/{step}",
                        summary,
                        text,
                        at,
                        page.issue,
                        people,
                        key,
                        details,
                    )
                )
    if page.acknowledged is not None and page.closed is None and page.woken:
        out.append(_acknowledge_notice(page, key, title, details))
    if page.closed is not None and page.woken:
        summary = f"Resolved: emergency #{page.number}: {page.title}"[:200]
        text = f"✅ Resolved: {title}\n{page.issue}"
        out.append(
            Notice(
                "resolve",
                f"{key}/resolve",
                summary,
                text,
                page.closed,
                page.issue,
                tuple(page.woken),
                key,
                details,
            )
        )
    return out


def _acknowledge_notice(page: Page, key: str, title: str, details: dict[str, str]) -> Notice:
    """Someone answered: the channels hear who, and PagerDuty's incident is acknowledged too
    (its own escalation policy stops re-paging: one answer counts everywhere)."""
    by = page.acknowledged_by or "someone"
    people: tuple[str, ...] = ()
    dedup: str | None = key
    if page.acknowledged_via == pagerduty_ack.VIA:  # PagerDuty knows: not told back
        who, dedup = f"{_chat(by)} (in PagerDuty)", None
    else:
        who, people = f"@{by}", (by,)
    summary = f"Emergency #{page.number} acknowledged by {who}"[:200]
    text = f"👀 {who} acknowledged {title}\n{page.issue}"
    at = page.acknowledged or page.opened
    return Notice(
        "acknowledge", f"{key}/acknowledge", summary, text, at, page.issue, people, dedup, details
    )


def _chat(text: str) -> str:
    """Plain text for chat: Slack's control characters escaped, no mention smuggled in."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- delivery ----------------------------------------------------------------------------


def policy(ctx: Context) -> NotifyPolicy:
    if not ctx.store.policy_path.exists():
        return NotifyPolicy()
    return ctx.store.policy().notify


def send(
    ctx: Context,
    items: Sequence[Notice],
    *,
    push: bool,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Deliver what was not delivered yet, record what was, report it in the job summary."""
    config = policy(ctx)
    if not config.configured or not items:
        return
    from ante.notify.channels import channels
    from ante.notify.deliver import deliver, report

    found, missing, secrets = channels(config, ctx.environ)
    since = min(n.at for n in items) - timedelta(days=1)
    sent = notices.load_sent(ctx.repo, since)
    deliveries = deliver(
        items,
        found,
        attempts=config.attempts,
        backoff_seconds=config.backoff_seconds,
        sleep=sleep,
        already=sent,
    )
    done = [d.sent_key for d in deliveries if d.ok]
    text = report(deliveries, missing, secrets)
    if text:
        ctx.summary(text)
        for line in text.splitlines()[2:]:
            ctx.say(line.removeprefix("- "))
    if not done:
        return

    def apply_sent() -> str | None:
        changed = notices.record(ctx.repo, done, ctx.now)
        return f"ante: {len(done)} notice(s) delivered" if changed else None

    if push:
        gitrepo.publish(ctx.repo, apply_sent, ("ledger",))
    else:
        apply_sent()


# ---- one pass over a page ----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    page: Page
    taken: list[Taken]
    pagerduty: pagerduty_ack.Lookup = field(default_factory=pagerduty_ack.Lookup)  # if asked


def repo_of(url: str) -> str:
    parts = url.split("://", 1)[-1].split("/")
    return f"{parts[1]}/{parts[2]}"


def answers(ctx: Context, page: Page) -> list[paging.Answer]:
    gh = ctx.github
    if gh is None:
        return []
    repo = repo_of(page.issue)
    found = [
        paging.Answer(c.author, c.created_at, "comment", c.body, c.bot, c.association)
        for c in gh.comments(repo, page.number)
    ]
    found += [
        paging.Answer(r.login, r.created_at, "reaction", r.content, r.bot)
        for r in gh.reactions(repo, page.number)
    ]
    return found


def members(ctx: Context) -> set[str]:
    known: set[str] = set()
    if ctx.store.members_path.exists():
        known.update(login.lower() for login in ctx.store.members())
    for roster in rotations.load_rotations(ctx.repo):
        known.update(v.login.lower() for v in roster.config.volunteers)
        known.update(m.lower() for m in roster.config.escalation)
    return known


def advance(
    ctx: Context, roster: Roster, page: Page, *, read_answers: bool, at: datetime | None = None
) -> Outcome:
    """Acknowledgement, then the escalation steps due at `at` (default: now), on the page."""
    now = at or ctx.now
    chain = chain_for(ctx, roster, page.opened)
    config = policy(ctx)
    lookup = pagerduty_ack.Lookup()
    if page.acknowledged is None and done_steps(page) and read_answers:
        # Since the first page ante sent: the first-mate's or the managers' when nobody was on
        # call (an answer from them counts as much as the captain's).
        since = paged_since(page, now)
        found = paging.acknowledgement(answers(ctx, page), since, page.woken, members(ctx))
        if found is not None:
            page = page.model_copy(
                update={"acknowledged": found.at.astimezone(UTC), "acknowledged_by": found.login}
            )
        elif page.closed is None:  # PagerDuty's own acknowledgement, when ante may read it
            lookup = pagerduty_ack.look_up(ctx, config, page, since)
            if lookup.handled is not None:
                page = pagerduty_ack.acknowledged(page, lookup.handled)
    if page.closed is not None:
        return Outcome(page, [], lookup)
    escalating = not (config.pagerduty and config.pagerduty.escalates and done_steps(page))
    taken = paging.steps_due(
        chain,
        paged_since(page, now),
        now,
        done_steps(page),
        page.acknowledged is not None or not escalating,
    )
    if taken:
        page = apply(page, taken, chain)
    return Outcome(page, taken, lookup)


def publish_github(ctx: Context, roster: Roster, outcome: Outcome) -> None:
    """Assign whoever was just paged (GitHub notifies assignees) and update ante's comment."""
    page = outcome.page
    chain = chain_for(ctx, roster, page.opened)
    gh = ctx.github
    config = policy(ctx)
    escalates = bool(config.pagerduty and config.pagerduty.escalates)
    people = [p for step in outcome.taken for p in step.people]
    if gh is None:
        if people:
            names = ", ".join(f"@{p}" for p in people)
            ctx.say(f"would assign {names} to #{page.number} and page them (no token)")
        return
    repo = repo_of(page.issue)
    fresh = _assign(gh, repo, page.number, people)
    if fresh:
        ctx.say(f"assigned {', '.join('@' + p for p in fresh)} to #{page.number}")
    gh.upsert_comment(repo, page.number, PAGE_MARKER, comment(roster, page, chain, escalates))
    if page.acknowledged and page.acknowledged_via == pagerduty_ack.VIA:  # said once, so watchers
        when = _when(roster, page.acknowledged)  # of the issue are notified
        text = pagerduty_ack.comment(page, outcome.pagerduty.handled, when)
        gh.upsert_comment(repo, page.number, pagerduty_ack.MARKER, text)


def _assign(gh: GitHubAdapter, repo: str, number: int, people: list[str]) -> list[str]:
    """Add `people` to the issue's assignees (GitHub notifies them); those newly assigned."""
    if not people:
        return []
    issue = gh.issue(repo, number)
    have = {a.lower() for a in issue.assignees}
    fresh = [p for p in people if p.lower() not in have]
    if fresh:
        gh.edit_issue(repo, number, assignees=[*issue.assignees, *fresh][:10])
    return fresh


def paged(page: Page) -> bool:
    """Whether anyone was paged for this emergency (or the paging began: nobody on call and no
    managers to page is still a page, said on the issue)."""
    return bool(page.woken or page.paged_at or page.first_mate_at or page.managers_at)


def publish_unpaged(ctx: Context, roster: Roster, page: Page, created: datetime) -> None:
    """An emergency ante first saw closed: the event that opened it never came and no sweep ran
    while it was open, so nobody was paged. Nobody is woken for what is over, but the miss is
    said on the issue and whoever was on call when it was opened (`created`) is assigned, so
    that it is seen and owned; the post-mortem is the captain's, as always."""
    chain = chain_for(ctx, roster, created)
    who = chain.paged or (chain.managers[0] if chain.managers else None)
    gh = ctx.github
    if gh is None:
        ctx.say(f"would tell @{who} that #{page.number} closed before anyone was paged (no token)")
        return
    repo = repo_of(page.issue)
    if _assign(gh, repo, page.number, [who] if who else []):
        ctx.say(f"assigned @{who} to #{page.number}, which closed before anyone was paged")
    gh.upsert_comment(repo, page.number, PAGE_MARKER, unpaged_comment(roster, page, chain, created))


def unpaged_comment(roster: Roster, page: Page, chain: Chain, created: datetime) -> str:
    closed = _when(roster, page.closed) if page.closed else "since"
    lines = [
        f"**Product emergency, closed before anyone was paged** (`{roster.name}` rotation)",
        "",
        f"ante first heard of this emergency when it was closed ({closed}): the event that "
        f"opened it ({_when(roster, created)}) never reached ante, and no sweep ran while it "
        "was open, so nobody was paged.",
        "",
    ]
    title = role_title(chain.paged_role)
    if chain.paged:
        lines.append(
            f"- {title}: @{chain.paged} (assigned), on call when it was opened: please check "
            "that it is really over."
        )
    elif chain.managers:
        names = ", ".join(f"@{m}" for m in chain.managers)
        lines.append(f"- Nobody was {title.lower()} then. Managers: {names}, please check.")
    if page.postmortem:
        owner = f"@{page.captain}" if page.captain else "the captain"
        lines.append(f"- The post-mortem is opened for {owner}: {page.postmortem}")
    return "\n".join(lines)


def record(ctx: Context, page: Page, push: bool) -> str | None:
    from ante.services import status_file

    def apply_page() -> str | None:
        known = emergencies.find_same(emergencies.load_pages(ctx.repo, since=page.opened), page)
        merged = _merge(known, page)
        if not emergencies.save(ctx.repo, merged):
            return None
        status_file.write(ctx)
        return f"ante: emergency #{page.number}: " + _what(known, merged)

    if push:
        return gitrepo.publish(ctx.repo, apply_page, ("ledger", "STATUS.md")).message
    return apply_page()


def _merge(known: Page | None, page: Page) -> Page:
    """Another writer may have recorded a step meanwhile: keep the earliest of each."""
    if known is None:
        return page
    update: dict[str, object] = {}
    for name in (*STEP_FIELD.values(), "acknowledged", "closed"):
        ours, theirs = getattr(page, name), getattr(known, name)
        if theirs is not None and (ours is None or theirs < ours):
            update[name] = theirs
            if name == "acknowledged":
                update["acknowledged_by"] = known.acknowledged_by
                update["acknowledged_via"] = known.acknowledged_via
    woken = list(known.woken) + [w for w in page.woken if w not in known.woken]
    update["woken"] = woken
    update["postmortem"] = page.postmortem or known.postmortem
    return page.model_copy(update=update)


def _what(known: Page | None, page: Page) -> str:
    if known is None:
        return "paged"
    if known.issue != page.issue:
        return f"its issue moved to {page.issue}"
    if page.closed and not known.closed:
        return "closed"
    if page.acknowledged and not known.acknowledged:
        where = " in PagerDuty" if page.acknowledged_via == pagerduty_ack.VIA else ""
        return f"acknowledged{where} by {page.acknowledged_by}"
    return "escalated"


# ---- the scheduled check -----------------------------------------------------------------


def open_pages(ctx: Context) -> list[Page]:
    """Pages still open that ante paged (records from before escalation existed are left)."""
    since = ctx.now - timedelta(days=400)
    return [
        p for p in emergencies.load_pages(ctx.repo, since=since) if p.closed is None and p.woken
    ]


def check(
    ctx: Context,
    page: Page,
    *,
    push: bool,
    at: datetime | None = None,
    reported: set[str] | None = None,
) -> Outcome:
    """One page: acknowledged? escalate what is due; record; tell GitHub and the channels.

    A PagerDuty lookup that failed is said in the job summary: once per failure and watch
    (`reported`), and whenever an escalation step was taken without PagerDuty's word."""
    roster = next((r for r in rotations.load_rotations(ctx.repo) if r.name == page.rotation), None)
    if roster is None:
        ctx.say(f"#{page.number}: its rotation {page.rotation!r} is gone; left alone")
        return Outcome(page, [])
    gh = ctx.github
    if gh is not None:
        issue = gh.issue(repo_of(page.issue), page.number)
        if issue.state == "closed":  # the close event was missed: resolve now
            page = page.model_copy(update={"closed": issue.closed_at or ctx.now})
    before = page
    outcome = advance(ctx, roster, page, read_answers=True, at=at)
    if outcome.page != before or outcome.taken:
        message = record(ctx, outcome.page, push)
        if message:
            ctx.say(message)
        publish_github(ctx, roster, outcome)
    failure = outcome.pagerduty.failure
    if failure is not None:
        ctx.say(f"#{page.number}: PagerDuty not read ({failure}); escalation goes on")
        if outcome.taken or reported is None or failure not in reported:
            line = pagerduty_ack.failure_text(page, failure, len(outcome.taken), at or ctx.now)
            ctx.summary("### PagerDuty acknowledgements\n\n" + line)
            if reported is not None:
                reported.add(failure)
    chain = chain_for(ctx, roster, page.opened)
    send(ctx, notices_for(outcome.page, chain, repo_of(page.issue)), push=push)
    return outcome


def sweep(ctx: Context, *, push: bool) -> int:
    """Every open page, once; the number of pages that changed."""
    policy(ctx)  # a bad `notify:` stops the check even with no page open (as validate would)
    changed = 0
    for page in open_pages(ctx):
        outcome = check(ctx, page, push=push)
        changed += outcome.page != page
        if not outcome.taken and outcome.page.acknowledged is None:
            roster_wait = _next(ctx, outcome.page)
            if roster_wait:
                ctx.say(f"#{page.number}: unacknowledged; next escalation {roster_wait}")
    if not changed:
        ctx.say("no open emergency needs escalating")
    return changed


def _next(ctx: Context, page: Page) -> str | None:
    roster = next((r for r in rotations.load_rotations(ctx.repo) if r.name == page.rotation), None)
    if roster is None:
        return None
    config = policy(ctx)
    if config.pagerduty and config.pagerduty.escalates and done_steps(page):
        return None  # PagerDuty's escalation policy has it: nothing left for ante to take
    chain = chain_for(ctx, roster, page.opened)
    due = paging.next_due(chain, paged_since(page, ctx.now), done_steps(page))
    return _when(roster, due) if due else None


def watch(
    ctx: Context,
    url: str,
    *,
    push: bool,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None],
    poll: float = 60.0,
    limit: timedelta = timedelta(hours=3),
) -> Page | None:
    """Stay with one emergency until it is acknowledged, closed or fully escalated."""
    policy(ctx)  # a bad `notify:` stops the watcher at once, not at its first page
    started = clock()
    reported: set[str] = set()
    checks = max(1, math.ceil(limit.total_seconds() / max(poll, 1.0)))  # a pinned clock ends too
    for _ in range(checks):
        now = clock()
        if now - started >= limit:
            break
        ctx.now = now
        page = emergencies.find(
            emergencies.load_pages(ctx.repo, since=now - timedelta(days=2)), url
        )
        if page is not None and page.woken:
            page = check(ctx, page, push=push, at=now, reported=reported).page
            if page.closed or page.acknowledged or _next(ctx, page) is None:
                return page
        sleep(poll)
        if push:  # another job may have recorded the close or a step meanwhile
            target = gitrepo.branch(ctx.repo)
            gitrepo.git(ctx.repo, "fetch", "--quiet", "origin", target)
            gitrepo.git(ctx.repo, "reset", "--quiet", "--hard", f"origin/{target}")
    return None
