"""`ante simulate`: what would each tax policy do to a team like ours? (no files, no API)."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

from ante import flags
from ante.context import Context
from ante.core import simulate
from ante.core.models import Policy
from ante.errors import UsageError


@dataclass(frozen=True)
class Options:
    world: simulate.World
    format: str

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        if not 1 <= args.weeks <= 520 or not 1 <= args.members <= 500:
            raise UsageError("--weeks must be 1..520 and --members 1..500")
        if not 0 <= args.inflow <= 500 or not 0 <= args.backlog <= 100_000:
            raise UsageError("--inflow must be 0..500 and --backlog 0..100000")
        world = simulate.World(
            weeks=args.weeks,
            seed=args.seed,
            members=args.members,
            inflow=args.inflow,
            backlog=args.backlog,
        )
        return cls(world, args.format)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("simulate", help="compare tax policies over a simulated team")
    p.add_argument("--weeks", type=int, default=52)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--members", type=int, default=8)
    p.add_argument("--inflow", type=float, default=6.0, help="overhead issues opened a week")
    p.add_argument("--backlog", type=int, default=120, help="open overhead issues at the start")
    flags.output_format(p)
    flags.runs(p, Options.parse, run)


def _policy(ctx: Context) -> Policy:
    """The team's policy when run in a team repo (its `tax.compare` too), else the defaults."""
    return ctx.store.policy() if ctx.store.policy_path.exists() else Policy()


def run(opts: Options, ctx: Context) -> int:
    world = opts.world
    policy = _policy(ctx)
    outcomes = simulate.run(world, policy)
    if opts.format == "json":
        ctx.say(json.dumps({"policies": {k: v.as_json() for k, v in outcomes.items()}}))
        return 0
    ctx.say(
        f"{world.members} members, {world.inflow:g} overhead issues a week, {world.backlog} open "
        f"at the start, {world.weeks} weeks (seed {world.seed}); target {policy.tax.target_backlog}"
    )
    header = (
        "policy",
        "weeks to target",
        "chips taxed",
        "median wait",
        "p90 wait",
        "final",
        "max debt",
    )
    rows = [header]
    for name, o in outcomes.items():
        rows.append(
            (
                name,
                "never" if o.weeks_to_target is None else str(o.weeks_to_target),
                str(o.chips_taxed),
                _days(o.median_wait_days),
                _days(o.p90_wait_days),
                str(o.final_backlog),
                str(o.max_debt),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        ctx.say("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    return 0


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:g} d"
