"""`ante issue --event FILE [--push]`: all that one issue event needs, in one job.

Pages an emergency, sweeps for open emergencies that have no page, awards or revokes chips and
tells the reporter where the issue stands: what `ante emergency`, `ante emergency --sweep`,
`ante award` and `ante intake` do one by one, for the price of one runner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ante import flags

if TYPE_CHECKING:
    from ante.context import Context


Options = flags.EventOptions


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("issue", help="one issue event: page, sweep, award, acknowledge")
    flags.event(p, "the event payload (JSON; e.g. $GITHUB_EVENT_PATH)", required=True)
    flags.push(p)
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    from ante.services import issue_event  # loaded when the command runs, not at start-up

    return issue_event.handle(ctx, opts.event, push=opts.push)
