"""One issue event, everything it needs, in one job: `ante issue --event FILE [--push]`.

Order: an emergency first (paging is the urgent part), then the sweep for open emergencies whose
event never came (one list request per repository), then the chips (award), then the reporter's
acknowledgement or resolution (intake). Each part is idempotent and reconciles the issue's
current state, so a run that waited in its issue's queue, or replaced one GitHub cancelled,
loses nothing. A part that fails does not stop the others (except a push refused by branch
protection or a ruleset: every later push would be refused too); the run then exits 1 naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ante.context import Context
from ante.errors import AnteError
from ante.files.gitrepo import ProtectedBranchError
from ante.github import payloads
from ante.services import award, emergency, intake


def handle(ctx: Context, path: Path, *, push: bool) -> int:
    payload = payloads.load_payload(path)
    if isinstance(payload, dict) and "inputs" in payload and "issue" not in payload:
        # run by hand for one issue: its chips, and the sweep
        by_hand: list[tuple[str, Callable[[], int]]] = [
            ("emergency sweep", lambda: emergency.sweep(ctx, push=push)),
            ("award", lambda: award.on_event(ctx, path, push=push)),
        ]
        return _all(ctx, by_hand)
    parts: list[tuple[str, Callable[[], int]]] = [
        ("emergency", lambda: emergency.handle(ctx, path, push=push)),
        ("emergency sweep", lambda: emergency.sweep(ctx, push=push)),
        ("award", lambda: award.on_event(ctx, path, push=push)),
        ("intake", lambda: intake.on_event(ctx, path, dry_run=False, push=push)),
    ]
    return _all(ctx, parts)


def _all(ctx: Context, parts: list[tuple[str, Callable[[], int]]]) -> int:
    failures: list[str] = []
    for index, (name, part) in enumerate(parts):
        try:
            part()
        except ProtectedBranchError as exc:  # every later push would meet the same rule
            failures.append(f"{name}: {exc}")
            left = ", ".join(later for later, _ in parts[index + 1 :])
            ctx.warn(f"ante issue: {name} failed: {exc}" + (f"; not tried: {left}" if left else ""))
            break
        except AnteError as exc:
            failures.append(f"{name}: {exc}")
            ctx.warn(f"ante issue: {name} failed: {exc}")
    if failures:
        raise AnteError("; ".join(failures))
    return 0
