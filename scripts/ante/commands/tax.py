"""`ante tax [--week W] [--dry-run] [--format json] [--open-pr]`: the weekly chip tax.

Without `--open-pr` it plans the week and writes its tax file into the working tree (nothing
with `--dry-run`). With `--open-pr` (the weekly workflow) it records last week's backlog
metrics on main, waives weeks whose pull request was closed unmerged, and offers every week
since the last one on main as its own pull request from branch `ante/tax/<week>`: created
once, updated on re-runs. Merging the pull request is what applies the tax.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .. import clock, gitops, metrics, render, rotation_store, tax
from ..context import Context
from ..errors import AnteError, UsageError
from ..ledger import Ledger
from ..metrics import WeekMetrics
from ..models import Policy
from ..store import journal_text

if TYPE_CHECKING:  # PyGithub is imported only by the runs that talk to GitHub
    from ..github import GitHubAdapter, Pull

BRANCH = "ante/tax/{week}"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("tax", help="the weekly chip tax (a pull request the team reviews)")
    p.add_argument("--week", help="the ISO week, YYYY-Www (default: every week not yet taxed)")
    p.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--open-pr", action="store_true", help="record metrics and open the PR(s)")
    p.set_defaults(run=run)


def title(week: str, rate: int) -> str:
    return f"Weekly chip tax {week}: {rate} chip{'' if rate == 1 else 's'}"


def captain(repo: Path, week: str) -> str | None:
    return rotation_store.captain_on(repo, tax.tax_day(week))


# ---- the backlog, from GitHub ----------------------------------------------------------------


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


# ---- planning ----------------------------------------------------------------------------------


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
    last = tax.latest(ctx.repo)
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
        period = plan.day.year
        head = {"week": week, "rate": plan.rate, "reason": plan.reason}
        path = f"ledger/journal/{period}/{tax.file_name(week)}"
        offers.append(Offer(plan, journal_text(period, plan.entries(), head), path))
    return offers


def waiver(week: str, pull: Pull) -> tuple[str, str]:
    """The tax file of a week whose pull request was closed unmerged: it collected nothing."""
    found = re.search(r":\s*(\d+) chips?$", pull.title)
    rate = int(found.group(1)) if found else 0
    reason = f"{tax.WAIVED}: pull request #{pull.number} was closed without merging."
    period = tax.tax_day(week).year
    head = {"week": week, "rate": rate, "reason": reason}
    return f"ledger/journal/{period}/{tax.file_name(week)}", journal_text(period, [], head)


# ---- git: the week's branch, without touching the working tree --------------------------------


def push_branch(repo: Path, base: str, files: dict[str, str], branch: str, message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(tmp) / "index"))
        env.setdefault("GIT_AUTHOR_NAME", gitops.BOT_NAME)
        env.setdefault("GIT_AUTHOR_EMAIL", gitops.BOT_EMAIL)
        env.setdefault("GIT_COMMITTER_NAME", gitops.BOT_NAME)
        env.setdefault("GIT_COMMITTER_EMAIL", gitops.BOT_EMAIL)

        def git(*args: str, data: str | None = None) -> str:
            proc = subprocess.run(
                ["git", "-C", str(repo), *args],
                input=data,
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            if proc.returncode != 0:
                raise gitops.GitError(f"git {args[0]} failed: {proc.stderr.strip()}")
            return proc.stdout.strip()

        git("read-tree", base)
        for rel, text in files.items():
            blob = git("hash-object", "-w", "--stdin", data=text)
            git("update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}")
        tree = git("write-tree")
        commit = git("commit-tree", tree, "-p", base, "-m", message)
        git("push", "--quiet", "--force", "origin", f"{commit}:refs/heads/{branch}")


# ---- the command ---------------------------------------------------------------------------------


def run(args: argparse.Namespace, ctx: Context) -> int:
    if args.week and not metrics.is_week(args.week):
        raise UsageError(f"--week: not an ISO week (YYYY-Www): {args.week!r}")
    ledger = ctx.store.load()
    done = tax.weeks_on_main(ctx.repo)
    history = metrics.load_history(ctx.repo)
    current = args.week or clock.iso_week(ctx.now.date())
    if args.week:
        weeks = [] if args.week in {t.week for t in done} else [args.week]
    else:
        # Before any tax reached main, the first recorded metrics week marks the first run.
        last = done[-1].week if done else history[0].week if history else None
        weeks = tax.pending([t.week for t in done], last, current)
    if not weeks:
        ctx.say(f"nothing to do: the tax of {current} is already on main")
        return 0
    github = ctx.github if args.open_pr and not args.dry_run else None
    open_now = history[-1].open if history else 0
    repo_name = ctx.environ.get("GITHUB_REPOSITORY", "")
    pulls: dict[str, tuple[Pull, ...]] = {}
    if github is not None and repo_name:
        row = observe(github, [repo_name, *ledger.policy.repositories], ledger.policy, ctx.now)
        history, open_now = metrics.record(history, row), row.open
        pulls = {w: github.find_pulls(repo_name, BRANCH.format(week=w)) for w in weeks}
        waived = {
            w: waiver(w, ps[0])
            for w, ps in pulls.items()
            if ps and not any(p.state == "open" or p.merged for p in ps)
        }
        _publish(ctx, row, waived)
        weeks = [w for w in weeks if w not in waived and not any(p.merged for p in pulls[w])]
        ledger = ctx.store.load()
    elif args.open_pr and not args.dry_run:
        ctx.warn("no GITHUB_TOKEN/GITHUB_REPOSITORY: planning only, no metrics and no PR")
    if not weeks:
        return 0
    offers = plan_weeks(ctx, ledger, weeks, history, open_now)
    for offer in offers:
        _show(ctx, offer, args.format)
        if args.dry_run:
            continue
        if github is not None:
            _offer_pull(ctx, github, repo_name, offer, pulls.get(offer.plan.week, ()))
        elif not args.open_pr:
            ctx.store.write_new_file(
                offer.plan.day.year,
                tax.file_name(offer.plan.week),
                offer.plan.entries(),
                head={
                    "week": offer.plan.week,
                    "rate": offer.plan.rate,
                    "reason": offer.plan.reason,
                },
            )
    return 0


def _publish(ctx: Context, row: WeekMetrics, waived: dict[str, tuple[str, str]]) -> None:
    """Metrics and waivers go straight to main: they are records, not decisions to review."""
    paths = [metrics.PATH, *(path for path, _ in waived.values())]

    def apply() -> str | None:
        changed = metrics.write(ctx.repo, metrics.record(metrics.load_history(ctx.repo), row))
        for path, text in waived.values():
            target = ctx.repo / path
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                changed = True
        if not changed:
            return None
        weeks = ", ".join(sorted(waived))
        return f"ante: backlog metrics for {row.week}" + (
            f"; waived {weeks} (PR closed)" if waived else ""
        )

    if gitops.is_repo(ctx.repo) and gitops.git(ctx.repo, "remote", check=False).stdout.strip():
        gitops.publish(ctx.repo, apply, paths)
    else:
        apply()
    for week in waived:
        ctx.say(f"{week}: waived (its pull request was closed without merging)")


def _offer_pull(
    ctx: Context, github: GitHubAdapter, repo: str, offer: Offer, known: tuple[Pull, ...]
) -> None:
    plan, policy = offer.plan, ctx.store.policy()
    branch = BRANCH.format(week=plan.week)
    base = gitops.git(ctx.repo, "rev-parse", "HEAD").stdout.strip()
    message = f"ante: weekly chip tax {plan.week} ({plan.rate} per member)"
    push_branch(ctx.repo, base, {offer.path: offer.text}, branch, message)
    body = render.render(
        ctx.repo,
        "tax-pr.md.j2",
        plan=plan,
        debtors=plan.debtors,
        history=metrics.load_history(ctx.repo)[-8:],
        policy=policy.tax,
        path=offer.path,
    )
    name = title(plan.week, plan.rate)
    existing = next((p for p in known if p.state == "open"), None)
    if existing is not None:
        pull = github.edit_pull(repo, existing.number, title=name, body=body)
        ctx.say(f"{plan.week}: updated {pull.url}")
        return
    base_branch = gitops.branch(ctx.repo)
    try:
        pull = github.create_pull(repo, title=name, head=branch, base=base_branch, body=body)
    except AnteError as error:
        from ..github import GitHubError

        if not isinstance(error, GitHubError) or error.status != 403:
            raise
        raise AnteError(
            f"{error}\nAllow it: Settings → Actions → General → Workflow permissions → "
            '"Allow GitHub Actions to create and approve pull requests".'
        ) from error
    if policy.tax.labels:
        github.add_labels(repo, pull.number, policy.tax.labels)
    if policy.tax.reviewers:
        github.request_reviewers(repo, pull.number, policy.tax.reviewers)
    ctx.say(f"{plan.week}: opened {pull.url}")
    ctx.summary(f"### Weekly chip tax {plan.week}\n\n{plan.reason}\n\n{pull.url}")


def _show(ctx: Context, offer: Offer, fmt: str) -> None:
    plan = offer.plan
    if fmt == "json":
        ctx.say(json.dumps(plan.as_json()))
        return
    ctx.say(f"{title(plan.week, plan.rate)}\n{plan.reason}")
    for m in plan.members:
        note = f"  ({m.exempt})" if m.exempt else "  (debt cap)" if m.capped else ""
        ctx.say(f"  {m.login:<20} {m.before:>4} -{m.tax} = {m.after:>4}{note}")
