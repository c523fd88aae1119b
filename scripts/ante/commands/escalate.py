"""`ante escalate [--watch ISSUE_URL | --event FILE] [--push]`: take unanswered pages further.

Without arguments (the hourly safety net): every open emergency page, once: an acknowledgement
(a comment or reaction on the issue by someone paged or a team member) is recorded; otherwise
every escalation step that fell due is taken — the first-mate, then the managers, after the
paged rotation's `escalate_after` minutes — and each is recorded on the page, on the issue
(assigned, and logged in ante's one comment) and in the channels. A late or skipped run catches
up every step it missed.

`--watch` (or `--event` with the `issues` event that opened the emergency) stays with one page,
checking every minute, until it is acknowledged, closed or fully escalated: one job per
emergency instead of a runner every few minutes.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ante import clock, flags
from ante.context import Context
from ante.errors import UsageError
from ante.github import payloads
from ante.services import paging


@dataclass(frozen=True)
class Options:
    watch: str | None  # the emergency issue's URL
    event: Path | None  # or the `issues` event that opened it
    poll: float
    push: bool

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        event = Path(args.event) if args.event else None
        return cls(args.watch, event, float(args.poll), bool(args.push))


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("escalate", help="escalate emergency pages nobody acknowledged")
    p.add_argument("--watch", metavar="ISSUE_URL", help="stay with this emergency until answered")
    flags.event(p, "watch the emergency of this `issues` event payload")
    p.add_argument("--poll", type=float, default=60.0, help="seconds between checks (watch)")
    flags.push(p)
    flags.runs(p, Options.parse, run)


def _wall() -> datetime:
    """Read again at every check: the watch is the one command whose clock moves while it runs
    (ANTE_NOW, when set, is read each time too)."""
    return clock.now(None, os.environ)


def run(opts: Options, ctx: Context) -> int:
    url = opts.watch
    if opts.event is not None:
        payload = payloads.load_payload(opts.event, forwarded=False)
        issue = payload.get("issue") if isinstance(payload, dict) else None
        if not isinstance(issue, dict) or not issue.get("html_url"):
            raise UsageError(f"{opts.event}: not an issues event")
        url = str(issue["html_url"])
    if url:
        page = paging.watch(ctx, url, push=opts.push, clock=_wall, sleep=time.sleep, poll=opts.poll)
        if page is None:
            ctx.say(f"{url}: not paged (yet), or the watch ran out; the hourly check goes on")
        return 0
    paging.sweep(ctx, push=opts.push)
    return 0
