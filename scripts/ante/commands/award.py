"""`ante award --event FILE [--push]`: apply one `issues` event to the chip journal.

Order of work, so a failure never loses or doubles an award: read the event; ask GitHub who
applied the label (the timeline, which also holds ante's comment) and, only when the labeler is
the awardee, their role; record in the journal (idempotent, pushed with retries under --push);
then create or edit ante's one comment on the issue. At most 3 API calls per event.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from ante import flags
from ante.context import Context
from ante.core import awards
from ante.errors import AnteError
from ante.services.award import (
    Case,
    earlier_history,
    investigate,
    post_comment,
    read_event,
    record,
    report,
)


@dataclass(frozen=True)
class Options:
    event: Path
    push: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        return cls(event=Path(args.event), push=args.push)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("award", help="apply one `issues` event: award or revoke chips")
    flags.event(p, "the event payload (JSON; e.g. $GITHUB_EVENT_PATH)", required=True)
    flags.push(p)
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    action, issue = read_event(opts.event, ctx)
    if action not in (*awards.ACTIONS, "dispatched"):
        ctx.say(f"nothing to do: `{action}` does not change what {issue.key} is worth")
        return 0
    ledger = ctx.store.load()
    history = earlier_history(ctx, ledger, [issue]).get(issue.url, []) + ledger.entries_for(
        issue.url
    )
    if not awards.is_overhead(issue, ledger.policy) and not any(awards.held(history).values()):
        ctx.say(f"nothing to do: {issue.key} has no award label and holds no chips")
        return 0
    case = Case(issue)
    gh = ctx.github
    if gh is None:
        ctx.say("no GitHub token: who applied the label is not checked and no comment is posted")
    else:
        investigate(gh, case, ledger)
    plans = record(ctx, [case], push=opts.push)
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
