"""`ante award --event FILE [--push]`: apply one `issues` event to the chip journal.

Order of work, so a failure never loses or doubles an award: read the event; read the issue as
it is now (a run that waited, or replaced one GitHub cancelled, applies the current state); ask
GitHub who applied the label (the timeline, which also holds ante's comment) and, when the
labeler is the awardee or not a member, their role; record in the journal (idempotent,
pushed with retries under --push); then create or edit ante's one comment on the issue. At
most 4 API calls per event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ante import flags

if TYPE_CHECKING:
    from ante.context import Context


Options = flags.EventOptions


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("award", help="apply one `issues` event: award or revoke chips")
    flags.event(p, "the event payload (JSON; e.g. $GITHUB_EVENT_PATH)", required=True)
    flags.push(p)
    flags.runs(p, Options.parse, run)


def run(opts: Options, ctx: Context) -> int:
    from ante.services import award  # loaded when the command runs, not at start-up

    return award.on_event(ctx, opts.event, push=opts.push)
