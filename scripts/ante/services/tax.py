"""The work behind `ante tax`; its command module only turns arguments into a call."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ante import clock
from ante.context import Context
from ante.core import tax
from ante.core.backlog import WeekMetrics
from ante.core.ledger import Ledger
from ante.core.models import Policy
from ante.files import backlog, gitrepo, rotations, tax_weeks
from ante.files.journal import journal_text
from ante.github.types import Pull
from ante.render import templates
from ante.services import proposal, status_file

if TYPE_CHECKING:  # PyGithub is imported only by the runs that talk to GitHub
    from ante.github.adapter import GitHubAdapter


BRANCH = "ante/tax/{week}"


def title(week: str, rate: int) -> str:
    return f"Weekly chip tax {week}: {rate} chip{'' if rate == 1 else 's'}"


def captain(repo: Path, week: str) -> str | None:
    return rotations.captain_on(repo, tax.tax_day(week))


def backlog_query(repos: list[str], policy: Policy) -> str:
    labels = dict.fromkeys([policy.overhead_label, *policy.awards])
    spelled = ",".join(f'"{name}"' if " " in name else name for name in labels)
    return " ".join(f"repo:{r}" for r in repos) + f" is:issue label:{spelled}"


def observe(github: GitHubAdapter, repos: list[str], policy: Policy, now: datetime) -> WeekMetrics:
    """Last complete week's row: two searches (the open count, then the week's activity)."""
    query = backlog_query(repos, policy)
    open_now = github.count_issues(f"{query} is:open")
    monday = clock.week_start(clock.iso_week(now.date())) - timedelta(weeks=1)
    week = clock.iso_week(monday)
    found = github.search_issues(f"{query} updated:>={monday.isoformat()}").items

    def in_week(when: datetime | None) -> bool:
        return when is not None and clock.iso_week(when.date()) == week

    opened = sum(1 for i in found if in_week(i.created_at))
    closed = sum(1 for i in found if in_week(i.closed_at))
    return WeekMetrics(week, open_now, opened, closed)


@dataclass(frozen=True)
class Offer:
    plan: tax.TaxPlan
    text: str  # the tax file
    path: str  # where it goes, relative to the repo


def plan_weeks(
    ctx: Context, ledger: Ledger, weeks: list[str], history: list[WeekMetrics], open_now: int
) -> list[Offer]:
    """Each week in order, on top of the weeks before it (balances and the previous rate)."""
    policy = ledger.policy
    last = tax_weeks.latest(ctx.repo)
    previous = last.rate if last else None
    balances = ledger.balances()
    offers: list[Offer] = []
    for week in weeks:
        boss = captain(ctx.repo, week)
        payers = tax.payers(ledger.members, week, policy.tax, boss)
        rate = tax.rate_for(policy, week, ledger.entries, open_now, history, len(payers), previous)
        plan = tax.plan(week, rate, ledger.members, balances, policy.tax, boss)
        for row in plan.members:
            balances[row.login] = row.after
        previous = plan.rate
        period = ctx.store.open_period_for(plan.day.year)  # never into a closed year
        head = {"week": week, "rate": plan.rate, "reason": plan.reason}
        path = f"ledger/journal/{period}/{tax.file_name(week)}"
        offers.append(Offer(plan, journal_text(period, plan.entries(), head), path))
    return offers


def waiver(week: str, pull: Pull, open_year: int | None = None) -> tuple[str, str]:
    """The tax file of a week whose pull request was closed unmerged: it collected nothing.

    It goes in the week's year, or in `open_year` when that year is already closed.
    """
    found = re.search(r":\s*(\d+) chips?$", pull.title)
    rate = int(found.group(1)) if found else 0
    reason = f"{tax.WAIVED}: pull request #{pull.number} was closed without merging."
    period = max(tax.tax_day(week).year, open_year or 0)
    head = {"week": week, "rate": rate, "reason": reason}
    return f"ledger/journal/{period}/{tax.file_name(week)}", journal_text(period, [], head)


def _publish(ctx: Context, row: WeekMetrics, waived: dict[str, tuple[str, str]]) -> None:
    """Metrics and waivers go straight to main: they are records, not decisions to review."""
    paths = [backlog.PATH, "STATUS.md", "ledger/statements", *(p for p, _ in waived.values())]

    def apply() -> str | None:
        changed = backlog.write(ctx.repo, backlog.record(backlog.load_history(ctx.repo), row))
        for path, text in waived.values():
            target = ctx.repo / path
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                changed = True
        if not changed:
            return None
        status_file.write(ctx)  # every commit of ante's leaves STATUS.md matching its data
        weeks = ", ".join(sorted(waived))
        return f"ante: backlog metrics for {row.week}" + (
            f"; waived {weeks} (PR closed)" if waived else ""
        )

    if gitrepo.is_repo(ctx.repo) and gitrepo.git(ctx.repo, "remote", check=False).stdout.strip():
        gitrepo.publish(ctx.repo, apply, paths)
    else:
        apply()
    for week in waived:
        ctx.say(f"{week}: waived (its pull request was closed without merging)")


def _offer_pull(
    ctx: Context, github: GitHubAdapter, repo: str, offer: Offer, known: tuple[Pull, ...]
) -> None:
    plan, policy = offer.plan, ctx.store.policy()
    body = templates.render(
        ctx.repo,
        "tax-pr.md.j2",
        plan=plan,
        debtors=plan.debtors,
        history=backlog.load_history(ctx.repo)[-8:],
        policy=policy.tax,
        path=offer.path,
    )
    proposal.propose(
        ctx,
        github,
        repo,
        proposal.Proposal(
            branch=BRANCH.format(week=plan.week),
            files={offer.path: offer.text},
            message=f"ante: weekly chip tax {plan.week} ({plan.rate} per member)",
            title=title(plan.week, plan.rate),
            body=body,
            labels=policy.tax.labels,
            reviewers=policy.tax.reviewers,
            summary=plan.reason,
            name=plan.week,
        ),
        known,
    )


def _show(ctx: Context, offer: Offer, fmt: str) -> None:
    plan = offer.plan
    if fmt == "json":
        ctx.say(json.dumps(plan.as_json()))
        return
    ctx.say(f"{title(plan.week, plan.rate)}\n{plan.reason}")
    for m in plan.members:
        note = f"  ({m.exempt})" if m.exempt else "  (debt cap)" if m.capped else ""
        ctx.say(f"  {m.login:<20} {m.before:>4} -{m.tax} = {m.after:>4}{note}")
