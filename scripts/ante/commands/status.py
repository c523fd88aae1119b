"""`ante status [--out FILE]`: render STATUS.md from the repo's own data (no API calls)."""

from __future__ import annotations

import argparse

from .. import render, status, status_data, yamlio
from ..context import Context


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("status", help="render STATUS.md from templates/STATUS.md.j2")
    p.add_argument("--out", help="where to write (default STATUS.md in the repo; - for stdout)")
    p.set_defaults(run=run)


def build(ctx: Context) -> str:
    sources = status_data.load(ctx.repo, ctx.store, ctx.now)
    return render.render(ctx.repo, "STATUS.md.j2", **status.view(sources, ctx.now).context())


def write(ctx: Context, out: str | None = None) -> bool:
    """Render and write STATUS.md; False when the file already said exactly this."""
    text = build(ctx)
    if out == "-":
        ctx.out.write(text)
        return True
    target = ctx.repo / (out or "STATUS.md")
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    yamlio.write_text(target, text)
    return True


def run(args: argparse.Namespace, ctx: Context) -> int:
    changed = write(ctx, args.out)
    if args.out != "-":
        message = f"{'wrote' if changed else 'unchanged:'} {args.out or 'STATUS.md'}"
        ctx.say(message)
        ctx.summary(f"### ante status\n\n{message}")
    return 0
