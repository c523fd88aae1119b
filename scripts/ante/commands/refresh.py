"""`ante refresh [--push]`: grant newcomers their chips and re-render STATUS.md."""

from __future__ import annotations

import argparse

from ante.context import Context
from ante.core.ledger import grants_due
from ante.files import gitrepo
from ante.services import status_file


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("refresh", help="grant new members their chips and re-render STATUS.md")
    p.add_argument("--push", action="store_true", help="commit and push what changed")
    p.set_defaults(run=run)


def apply(ctx: Context) -> str | None:
    """Idempotent: the commit message for what changed, or None when nothing did."""
    ledger = ctx.store.load()
    granted = ctx.store.append(ledger, grants_due(ledger, ctx.now.date()))
    rendered = status_file.write(ctx)
    if not granted and not rendered:
        return None
    if granted:
        names = ", ".join(f"@{e.member}" for e in granted)
        return f"ante: starting chips for {names}"
    return "ante: re-render STATUS.md"


def run(args: argparse.Namespace, ctx: Context) -> int:
    if args.push:
        result = gitrepo.publish(ctx.repo, lambda: apply(ctx), ["ledger", "STATUS.md"])
        message = result.message or "nothing changed"
    else:
        message = apply(ctx) or "nothing changed"
    ctx.say(message)
    ctx.summary(f"### ante refresh\n\n{message}")
    return 0
