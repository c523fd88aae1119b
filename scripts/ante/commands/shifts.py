"""`ante shifts [NAME] [--from DATE] [--to DATE] [--format text|csv|json]`: who served, and pay.

Reads the served shifts the handoff records (`ledger/shifts/<name>.yaml`), counts each
person's weekly shifts (a partial cover counts pro rata) that start between the dates, and
multiplies by the rotation's compensation per weekly shift. JSON also lists each shift, so
"who was on call on 3 March" is `--from 2026-03-03 --to 2026-03-03 --format json`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ante import flags
from ante.context import Context
from ante.errors import UsageError
from ante.files import rotations

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Options:
    name: str | None  # one rotation, or all
    start: date | None
    end: date | None  # None: today
    format: str

    @classmethod
    def parse(cls, args: argparse.Namespace) -> Options:
        start, end = flags.day(args.start, "--from"), flags.day(args.end, "--to")
        return cls(args.name, start, end, args.format)


def add_parser(sub: flags.Subparsers) -> None:
    p = sub.add_parser("shifts", help="served on-call shifts per person and the amount owed")
    p.add_argument("name", nargs="?", help="one rotation (default: all)")
    flags.period(p, "all history")
    flags.output_format(p, "csv")
    flags.runs(p, Options.parse, run)


@dataclass
class Row:
    rotation: str
    login: str
    currency: str
    per_shift: Decimal
    shifts: Decimal = Decimal(0)
    served: list[dict[str, str]] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return (self.shifts * self.per_shift).quantize(CENT)


def report(ctx: Context, name: str | None, start: date | None, end: date) -> list[Row]:
    rosters = [rotations.find(ctx.repo, name)] if name else rotations.load_rotations(ctx.repo)
    rows: dict[tuple[str, str], Row] = {}
    for roster in rosters:
        pay = roster.config.compensation
        for record in rotations.served(ctx.repo, roster.name):
            day = record.start.astimezone(roster.config.zone).date()
            last = record.end.astimezone(roster.config.zone).date()
            if end < day or (start is not None and last < start):
                continue
            for role, login in record.roles.items():
                row = rows.setdefault(
                    (roster.name, login.lower()),
                    Row(roster.name, login, pay.currency, pay.amount),
                )
                if start is None or day >= start:  # pay counts shifts starting in the range
                    row.shifts += record.share if record.share is not None else Decimal(1)
                row.served.append(
                    {"start": _iso(record.start), "end": _iso(record.end), "role": role}
                )
    return sorted(rows.values(), key=lambda r: (r.rotation, r.login.lower()))


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def run(opts: Options, ctx: Context) -> int:
    start, end = opts.start, opts.end or ctx.now.date()
    if start is not None and end < start:
        raise UsageError("--to is before --from")
    rows = report(ctx, opts.name, start, end)
    if opts.format == "json":
        data = [
            {
                "rotation": r.rotation,
                "login": r.login,
                "shifts": float(r.shifts),
                "amount": str(r.amount),
                "currency": r.currency,
                "served": r.served,
            }
            for r in rows
        ]
        ctx.say(json.dumps(data, indent=2))
    elif opts.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["rotation", "login", "shifts", "amount", "currency"])
        for r in rows:
            writer.writerow(
                [r.rotation, r.login, f"{r.shifts.normalize():f}", r.amount, r.currency]
            )
        ctx.out.write(buffer.getvalue())
    else:
        if not rows:
            ctx.say("no served shifts recorded in that range (the handoff records them)")
        for r in rows:
            ctx.say(
                f"{r.rotation}: @{r.login} {r.shifts.normalize():f} weekly shift(s), "
                f"{r.amount} {r.currency}"
            )
    return 0
