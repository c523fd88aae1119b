"""`ante refresh [--push]`: grant newcomers their chips and re-render STATUS.md."""

from __future__ import annotations

from ante import flags
from ante.context import Context
from ante.core.ledger import grants_due
from ante.files import gitrepo, yamlio
from ante.services import status_file


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("refresh", help="grant new members their chips and re-render STATUS.md")
    flags.push(p, "commit and push what changed")
    flags.runs(p, flags.PushOptions.parse, run)


def apply(ctx: Context) -> str | None:
    """Idempotent: the commit message for what changed, or None when nothing did."""
    carried = ctx.store.carry_late()  # a closed year's late file (a tax PR merged late)
    ledger = ctx.store.load()
    granted = ctx.store.append(ledger, grants_due(ledger, ctx.now.date()))
    rendered = status_file.write(ctx)
    if not granted and not rendered and not carried:
        return None
    if carried:
        moves = ", ".join(
            f"{yamlio.display(old, ctx.repo)} -> {yamlio.display(new, ctx.repo)}"
            for old, new in carried
        )
        return f"ante: carry late journal files into the open year ({moves})"
    if granted:
        names = ", ".join(f"@{e.member}" for e in granted)
        return f"ante: starting chips for {names}"
    return "ante: re-render STATUS.md"


def run(opts: flags.PushOptions, ctx: Context) -> int:
    result = gitrepo.save(ctx.repo, lambda: apply(ctx), ["ledger", "STATUS.md"], push=opts.push)
    message = result.report()
    ctx.say(message)
    ctx.summary(f"### ante refresh\n\n{message}")
    return 0
