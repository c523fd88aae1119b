"""`ante followup`: post-mortem actions become issues and are chased until done or dropped.

For each post-mortem issue (label `postmortem`): every unchecked checklist item becomes an
issue (labelled `postmortem-action` and `product-maintenance-duty`, so it joins the captain's
queue; assigned to the `@owner` named in the item, else to the post-mortem's assignee; due on
the item's `due YYYY-MM-DD`, else in 14 days), linked both ways. A follow-up completed checks
its box; one closed as not planned strikes it through (dropped). A post-mortem closed while
actions are open is reopened, saying which. Overdue actions are listed in the snapshot
(`ledger/followups.yaml`, read by STATUS.md and the handoff) and their owners reminded once a
week, on the follow-up issue and in the team's channels.
"""

from __future__ import annotations

import hashlib
from datetime import date

from ante.clock import iso_week
from ante.context import Context
from ante.core import followups as rules
from ante.core.notify import Notice
from ante.files import followups, gitrepo
from ante.files.followups import FollowUp
from ante.files.maintenance import DUTY_LABEL
from ante.github.adapter import GitHubAdapter
from ante.github.types import Issue
from ante.services import paging

POSTMORTEM_LABEL = "postmortem"
ACTION_LABEL = "postmortem-action"
REOPEN_MARKER = "postmortem-actions-open"


def _tag(postmortem: str, text: str) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"<!-- ante:action-of {postmortem} {digest} -->"


def _open_action(
    ctx: Context, gh: GitHubAdapter, pm: Issue, action: rules.Action, known: list[FollowUp]
) -> int:
    """The follow-up issue's number: found (the snapshot, then its hidden key through the issues
    API, never search, which lags: a re-run a minute later would open it twice) or opened now."""
    tag = _tag(pm.url, action.text)
    for item in known:
        if item.postmortem == pm.url and item.title == action.title:
            return item.number
    match = gh.find_keyed_issue(pm.repo, tag, labels=[ACTION_LABEL])
    if match is not None:
        return match.number
    due = rules.due_date(action, pm.created_at.date())
    owner = action.owner or (pm.assignees[0] if pm.assignees else None)
    body = (
        f"An action from the post-mortem {pm.url}:\n\n> {action.text}\n\n"
        f"Due: {due}\n\n"
        "Close it as completed when done (the post-mortem's box is checked for you), or as "
        "not planned to drop it. The post-mortem stays open until every action is one or the "
        f"other.\n{tag}\n"
    )
    made = gh.create_issue(
        pm.repo,
        f"Post-mortem action: {action.title}"[:250],
        body,
        labels=[ACTION_LABEL, DUTY_LABEL],
        assignees=[owner] if owner else [],
    )
    ctx.say(f"opened {made.url} for an action of #{pm.number}")
    return made.number


def _one(
    ctx: Context, gh: GitHubAdapter, pm: Issue, known: list[FollowUp]
) -> tuple[list[FollowUp], list[tuple[FollowUp, Issue]]]:
    """Bring one post-mortem up to date; its actions, and the overdue ones with their issue."""
    body = pm.body
    for action in rules.actions(body):
        if action.issue is None and action.open:
            number = _open_action(ctx, gh, pm, action, known)
            body = rules.linked(body, action, number)
    items: list[FollowUp] = []
    overdue: list[tuple[FollowUp, Issue]] = []
    for action in rules.actions(body):
        if action.issue is None:
            continue
        follow = gh.issue(pm.repo, action.issue)
        if follow.state == "closed" and not action.done:
            body = rules.settled(body, action, follow.state_reason or "completed")
        dropped = action.dropped or follow.state_reason == "not_planned"
        done = action.done or follow.state == "closed"
        state = "dropped" if dropped else "done" if done else "open"
        due = rules.due_date(action, pm.created_at.date())
        owner = follow.assignees[0] if follow.assignees else action.owner
        item = FollowUp(
            number=follow.number,
            title=action.title,
            url=follow.url,
            owner=owner,
            due=due,
            state=state,
            postmortem=pm.url,
        )
        items.append(item)
        if state == "open" and due < ctx.now.date():
            overdue.append((item, follow))
    if body != pm.body:
        gh.edit_issue(pm.repo, pm.number, body=body)
    still = [i for i in items if i.state == "open"]
    if pm.state == "closed" and still:
        gh.edit_issue(pm.repo, pm.number, state="open")
        listing = "\n".join(f"- [ ] {i.title} → #{i.number}" for i in still)
        gh.upsert_comment(
            pm.repo,
            pm.number,
            REOPEN_MARKER,
            "Reopened: a post-mortem closes when each of its actions is done or dropped "
            f"(close the follow-up as not planned to drop it). Still open:\n\n{listing}",
        )
        ctx.say(f"reopened #{pm.number}: {len(still)} action(s) still open")
    return items, overdue


def _remind(ctx: Context, gh: GitHubAdapter, item: FollowUp, issue: Issue) -> Notice:
    """Once a week: a comment on the follow-up mentioning its owner; a notice for the channel."""
    week = iso_week(ctx.now.date())
    marker = f"overdue-{week}"
    if item.owner:
        gh.upsert_comment(
            issue.repo,
            issue.number,
            marker,
            f"@{item.owner}: this post-mortem action was due {item.due}. Close it when done, "
            "or as not planned to drop it (say why), or put a new `Due:` date in its body.",
        )
    who = f"@{item.owner}" if item.owner else "nobody (assign someone)"
    return Notice(
        "followup",
        f"followup/{item.url}/{week}",
        f"Overdue post-mortem action #{item.number}: {item.title}"[:200],
        f"⌛ Overdue since {item.due}: {paging._chat(item.title)} ({who})\n{item.url}",
        ctx.now,
        item.url,
        (item.owner,) if item.owner else (),
    )


def run(ctx: Context, *, push: bool) -> int:
    gh = ctx.github
    if gh is None or not gh.repository:
        ctx.say("no GITHUB_TOKEN: post-mortem actions are left as they are")
        return 0
    known = followups.load(ctx.repo)
    everything: list[FollowUp] = []
    notices: list[Notice] = []
    # Through the issues API, not search: the index lags writes, so a post-mortem labelled a
    # minute ago would be missed, and a stale body written back would undo a person's edit.
    found = gh.list_issues(
        gh.repository, labels=[POSTMORTEM_LABEL], sort="created", direction="asc"
    )
    for pm in found:
        items, overdue = _one(ctx, gh, pm, known)
        everything += items
        notices += [_remind(ctx, gh, item, issue) for item, issue in overdue]

    def apply() -> str | None:
        from ante.services import status_file

        changed = followups.write(ctx.repo, everything, ctx.now)
        if not status_file.write(ctx) and not changed:  # STATUS.md: what is overdue today
            return None
        open_count = sum(i.state == "open" for i in everything)
        return f"ante followup: {open_count} open post-mortem action(s)"

    result = gitrepo.publish(ctx.repo, apply, ("ledger", "STATUS.md")) if push else None
    message = result.message if result else apply()
    ctx.say(message or "post-mortem actions unchanged")
    paging.send(ctx, notices, push=push)
    return 0


def overdue_items(items: list[FollowUp], today: date) -> list[FollowUp]:
    return [i for i in items if i.state == "open" and i.due is not None and i.due < today]
