"""The work behind `ante emergency`: page the on-call for a `product-emergency` issue.

Over 300 lines on purpose: paging, recording and the post-mortem are one emergency's steps,
in order.

Opened or labelled: page whoever the rotation's working hours say (the captain in hours, the
out-of-hours volunteer outside them; the next tier when nobody is on call), assign them, show the
escalation path and its log (one comment, edited in place, `services/paging.py`), record the page
as in-hours or out-of-hours in `ledger/pages/<YYYY>.yaml`, then tell the policy's `notify:`
channels. Closed: open a post-mortem issue from `templates/postmortem.md.j2`, assigned to the
captain and linked both ways, record it, and resolve the PagerDuty alert. Each happens once
however often the event is delivered or re-run; `ante escalate` takes a page further when
nobody acknowledges it.

The sweep (`sweep`) is the safety net for events GitHub never delivered (or a product repository
that forwards none): one list request per repository and emergency label finds the open
emergencies, and each that has no page yet is paged now. Every issue-event job runs it first, and
so does the scheduled sync. An emergency that closed before any of them saw it open is not paged
(it is over) but told: its close, or the scheduled sweep of emergencies closed in the last day,
records it, opens its post-mortem and says on the issue, to whoever was on call, that nobody was
paged.

A page follows its issue. A repository renamed keeps the issue's GitHub id, which the page
records; a transferred issue (new id, new number) keeps its title and answers its old address
with a redirect, which `followed` asks GitHub for. Either way the page is the same page: nobody
is woken twice, and the close opens the post-mortem at the issue's new address. The page then
lives under the new URL and keeps the old ones in `former`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ante.clock import parse_instant
from ante.context import Context
from ante.core.issue_url import issue_ref
from ante.errors import AnteError
from ante.files import emergencies, rotations, yamlio
from ante.files.emergencies import Page
from ante.files.rotations import Roster
from ante.github import payloads
from ante.github.types import GitHubError, IssueGone, RateLimited
from ante.render import templates
from ante.services import paging, trust

POSTMORTEM_LABEL = "postmortem"
LINK_MARKER = "postmortem"


@dataclass(frozen=True)
class Emergency:
    action: str
    repo: str
    number: int
    title: str
    url: str
    labels: tuple[str, ...]
    created: datetime
    closed: datetime | None
    sender: str | None = None  # who opened, labelled or closed it (the event's sender)
    id: int | None = None  # GitHub's id of the issue (kept across repository renames)


def _login(user: object) -> str | None:
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) and login else None


def read_event(path: Path) -> Emergency | None:
    """The issue of an `issues` event, or None for any other event."""
    payload = payloads.load_payload(path)
    issue = payload.get("issue") if isinstance(payload, dict) else None
    if not isinstance(issue, dict) or "pull_request" in issue:
        return None
    try:
        return Emergency(
            action=str(payload.get("action")),
            repo=str(payload["repository"]["full_name"]),
            number=int(issue["number"]),
            title=str(issue.get("title") or ""),
            url=str(issue["html_url"]),
            labels=tuple(str(label["name"]) for label in issue.get("labels") or []),
            created=parse_instant(str(issue["created_at"]), what="created_at"),
            closed=parse_instant(str(issue["closed_at"]), what="closed_at")
            if issue.get("closed_at")
            else None,
            sender=_login(payload.get("sender")),
            id=issue["id"] if type(issue.get("id")) is int and issue["id"] > 0 else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise AnteError(f"{path}: not an issues event ({exc}); nothing changed") from None


def rotation_for(rosters: list[Roster], labels: tuple[str, ...]) -> Roster | None:
    wanted = {label.lower() for label in labels}
    return next(
        (
            r
            for r in rosters
            if r.config.emergency_label and r.config.emergency_label.lower() in wanted
        ),
        None,
    )


def new_page(ctx: Context, roster: Roster, event: Emergency) -> Page:
    opened = event.created if event.action == "opened" else min(ctx.now, event.closed or ctx.now)
    roles = rotations.roles_at(ctx.repo, roster, opened)
    config = roster.config
    mate = config.roles[1] if len(config.roles) > 1 else None
    return Page(
        issue=event.url,
        number=event.number,
        title=event.title,
        rotation=roster.name,
        opened=opened,
        out_of_hours=not config.in_working_hours(opened),
        captain=roles.get(config.captain_role),
        first_mate=roles.get(mate) if mate else None,
        issue_id=event.id,
    )


def postmortem_github(ctx: Context, event: Emergency, page: Page) -> str | None:
    """The post-mortem issue's URL: found if it exists, opened otherwise."""
    gh = ctx.github
    if gh is None:
        ctx.say(f"would open a post-mortem issue for #{event.number} (no token)")
        return None
    tag = f"<!-- ante:postmortem-of {event.url} -->"
    known = gh.own_comment(gh.comments(event.repo, event.number), LINK_MARKER)
    url = None
    if known is not None:
        url = next((w for w in known.body.split() if w.startswith("http")), None)
    if url is None:  # ante's own issue, found by its key (never by search, which lags)
        made_before = gh.find_keyed_issue(event.repo, tag, labels=[POSTMORTEM_LABEL])
        url = made_before.url if made_before is not None else None
    if url is None:
        body = templates.render(
            ctx.repo,
            "postmortem.md.j2",
            emergency=event.url,
            number=event.number,
            title=event.title,
            opened=yamlio.scalar(page.opened),
            closed=yamlio.scalar(page.closed) if page.closed else "",
            out_of_hours=page.out_of_hours,
            captain=page.captain,
            first_mate=page.first_mate,
            rotation=page.rotation,
        )
        made = gh.create_issue(
            event.repo,
            f"Post-mortem: {event.title}",
            body + f"\n{tag}\n",
            labels=[POSTMORTEM_LABEL],
            assignees=[page.captain] if page.captain else [],
        )
        url = made.url
        ctx.say(f"opened the post-mortem {url}")
    gh.upsert_comment(event.repo, event.number, LINK_MARKER, f"Post-mortem: {url}")
    return url


def handle(ctx: Context, source: Path | None, *, push: bool) -> int:
    """`ante emergency --event FILE`: page, or open the post-mortem, for one issue event."""
    if source is None:
        raise AnteError("no event: pass --event FILE or set GITHUB_EVENT_PATH")
    event = read_event(source)
    if event is None or event.action not in ("opened", "labeled", "reopened", "closed"):
        ctx.say("not an issue being opened, labelled or closed: nothing to do")
        return 0
    roster = rotation_for(rotations.load_rotations(ctx.repo), event.labels)
    if roster is None:
        ctx.say(f"#{event.number} carries no rotation's emergency label: nothing to do")
        return 0
    return act(ctx, roster, event, push=push)


OUTSIDER_MARKER = "emergency-received"


def acknowledge_outsider(ctx: Context, event: Emergency) -> int:
    """Someone the policy does not let page opened an emergency: say it was seen, page nobody."""
    policy = ctx.store.policy()
    who = f"@{event.sender}" if event.sender else "someone"
    ctx.say(f"#{event.number}: {who} may not page the on-call (policy paging.who): not paged")
    gh = ctx.github
    if gh is None or policy.paging.outsiders == "ignore" or event.action == "closed":
        return 0
    gh.upsert_comment(
        event.repo,
        event.number,
        OUTSIDER_MARKER,
        "Thanks for the report. It was received and the team will look at it; only the "
        "team's members page the on-call directly (`paging` in the team's ledger/policy.yaml).",
    )
    return 0


PROBES = 5  # addresses asked of GitHub, at most, to find the page of a transferred issue


def followed(ctx: Context, pages: list[Page], event: Emergency) -> Page | None:
    """The page of an issue that was paged at another address (transferred, or in a repository
    renamed before pages recorded ids): a page in another repository with the issue's title (a
    transfer keeps it) or, recorded without an id, its number, whose address GitHub now
    redirects to this issue. Usually no read at all."""
    gh = ctx.github
    if gh is None:
        return None
    likely = [
        page
        for page in pages
        if repo_of(page.issue).lower() != event.repo.lower()
        and (page.title == event.title or (page.number == event.number and not page.issue_id))
    ]
    for page in likely[-PROBES:]:
        ref = issue_ref(page.issue)
        if ref is None:
            continue
        try:
            live = gh.issue(*ref)
        except RateLimited:
            raise
        except GitHubError:  # deleted, or a repository the token no longer sees
            continue
        if live.url == event.url or (event.id is not None and live.id == event.id):
            return page
    return None


def repo_of(url: str) -> str:
    ref = issue_ref(url)
    return ref[0] if ref else ""


def follow(page: Page, event: Emergency) -> Page:
    """The page under the issue's current address (its earlier ones kept in `former`)."""
    if page.issue == event.url:
        return page
    former = [*page.former, page.issue]
    update = {
        "issue": event.url,
        "number": event.number,
        "issue_id": event.id or page.issue_id,
        "former": [url for url in dict.fromkeys(former) if url != event.url],
    }
    return page.model_copy(update=update)


def act(
    ctx: Context,
    roster: Roster,
    event: Emergency,
    *,
    push: bool,
    page: Page | None = None,
    look_back: bool = True,
) -> int:
    """Page, escalate or close for `event`; `page`: its record when the caller found it
    (`look_back` False: the caller already looked for one at an earlier address)."""
    policy = ctx.store.policy()
    trust.check_repository(ctx, policy, event.repo, f"emergency #{event.number}")
    known = emergencies.load_pages(ctx.repo, since=event.created)  # a page opens after its issue
    page = page or emergencies.find(known, event.url, event.id)
    if page is None and look_back:
        page = followed(ctx, known, event)
    if page is not None and page.issue != event.url:
        ctx.say(f"{event.repo}#{event.number}: the page of {page.issue}, which moved here")
    page = follow(page, event) if page is not None else None
    if page is None and not trust.may_page(ctx, policy, event.sender, event.repo):
        return acknowledge_outsider(ctx, event)
    page = page or new_page(ctx, roster, event)
    if event.action == "closed":
        page = page.model_copy(update={"closed": page.closed or event.closed or ctx.now})
        if page.postmortem is None:
            page = page.model_copy(update={"postmortem": postmortem_github(ctx, event, page)})
        outcome = paging.Outcome(page, [])
    else:
        outcome = paging.advance(ctx, roster, page, read_answers=False)
    # The ledger first, then the issue, then the channels: a channel that is down stops neither.
    ctx.say(paging.record(ctx, outcome.page, push) or "page already recorded")
    if event.action == "closed" and not paging.paged(page):
        paging.publish_unpaged(ctx, roster, outcome.page, event.created)
    elif event.action != "closed" or page.woken:
        paging.publish_github(ctx, roster, outcome)
    chain = paging.chain_for(ctx, roster, outcome.page.opened)
    paging.send(ctx, paging.notices_for(outcome.page, chain, event.repo), push=push)
    return 0


def repositories(ctx: Context) -> list[str]:
    return ctx.repositories(ctx.store.policy() if ctx.store.policy_path.exists() else None)


def open_emergencies(ctx: Context) -> list[tuple[Roster, Emergency]]:
    """Every open emergency: one list request per repository and emergency label."""
    return _listed(ctx, "open")


def closed_emergencies(ctx: Context, since: datetime) -> list[tuple[Roster, Emergency]]:
    """Every emergency closed and changed since `since`: one list request per repository and
    emergency label."""
    return _listed(ctx, "closed", since)


def _listed(
    ctx: Context, state: str, since: datetime | None = None
) -> list[tuple[Roster, Emergency]]:
    gh = ctx.github
    rosters = [r for r in rotations.load_rotations(ctx.repo) if r.config.emergency_label]
    if gh is None or not rosters:
        return []
    found: list[tuple[Roster, Emergency]] = []
    seen: set[str] = set()
    labels = list(dict.fromkeys(str(r.config.emergency_label) for r in rosters))
    for repo in repositories(ctx):
        for label in labels:
            listed = gh.list_issues(repo, state=state, labels=[label], sort="created", since=since)
            for issue in listed:
                roster = rotation_for(rosters, issue.labels)
                if issue.url in seen or roster is None or issue.state != state:
                    continue
                seen.add(issue.url)
                event = Emergency(
                    "opened" if state == "open" else "closed",
                    issue.repo,
                    issue.number,
                    issue.title,
                    issue.url,
                    issue.labels,
                    issue.created_at,
                    issue.closed_at,
                    sender=issue.author,  # who opened it, as the event would have said
                    id=issue.id,
                )
                found.append((roster, event))
    return found


RECENT = timedelta(days=90)  # pages older than this are not looked after by the sweep


def unclosed(ctx: Context, still_open: set[str]) -> list[tuple[Roster, Emergency, Page]]:
    """Pages whose emergency is no longer open but which never saw it close (the `closed` event
    was missed): their post-mortem is still owed, at the issue's address now (a transferred
    issue's page follows it). One read per such page; usually none."""
    gh = ctx.github
    rosters = {r.name: r for r in rotations.load_rotations(ctx.repo)}
    if gh is None:
        return []
    owed: list[tuple[Roster, Emergency, Page]] = []
    for page in emergencies.load_pages(ctx.repo, since=ctx.now - RECENT):
        roster = rosters.get(page.rotation)
        if page.closed is not None or page.issue in still_open or roster is None:
            continue
        ref = issue_ref(page.issue)
        if ref is None:
            continue
        try:
            issue = gh.issue(*ref)
        except IssueGone:
            continue
        if issue.state != "closed":
            continue
        event = Emergency(
            "closed",
            issue.repo,
            issue.number,
            issue.title,
            issue.url,
            issue.labels,
            issue.created_at,
            issue.closed_at,
            id=issue.id,
        )
        owed.append((roster, event, page))
    return owed


CLOSED_LOOK_BACK = timedelta(days=1)  # the scheduled sweep's (every 8 hours, plus lateness)


def sweep(ctx: Context, *, push: bool, closed_since: datetime | None = None) -> int:
    """Page every open emergency that has no page yet (its event was never delivered), and open
    the post-mortem of every paged emergency whose close was missed. With `closed_since` (the
    scheduled sweep), also every emergency closed since then that has no page at all (its opening
    and its closing were both missed): who was on call is told, and its post-mortem opened."""
    found = open_emergencies(ctx)
    ended = closed_emergencies(ctx, closed_since) if closed_since is not None else []
    oldest = min((event.created for _, event in [*found, *ended]), default=ctx.now)
    pages = emergencies.load_pages(ctx.repo, since=oldest)

    def paged_as(event: Emergency) -> Page | None:
        return emergencies.find(pages, event.url, event.id) or followed(ctx, pages, event)

    missed: list[tuple[Roster, Emergency]] = []
    for roster, event in found:
        page = paged_as(event)
        if page is None:
            missed.append((roster, event))
        elif page.issue != event.url:  # paged at an earlier address: the record follows it
            ctx.say(f"{event.repo}#{event.number}: the page of {page.issue}, which moved here")
            paging.record(ctx, follow(page, event), push)
    for roster, event in missed:
        ctx.say(f"{event.repo}#{event.number}: an open emergency with no page: paging now")
        act(ctx, roster, event, push=push, look_back=False)
    unseen = [(roster, event) for roster, event in ended if paged_as(event) is None]
    for roster, event in unseen:
        ctx.say(f"{event.repo}#{event.number}: closed and never paged: telling who was on call")
        act(ctx, roster, event, push=push, look_back=False)
    owed = unclosed(ctx, {event.url for _, event in found})
    for roster, event, page in owed:
        ctx.say(f"{event.repo}#{event.number}: closed without its post-mortem: opening it now")
        act(ctx, roster, event, push=push, page=page)
    if not missed and not unseen and not owed:
        ctx.say("every open emergency has its page, every closed one its post-mortem")
    return 0
