"""The work behind `ante validate`; its command module only turns arguments into a call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from ante.context import Context
from ante.errors import DataError, Problem
from ante.files import backlog, gitrepo, rotations, yamlio
from ante.services.sync import check_cursor


def check_ledger(ctx: Context, against: str) -> list[Problem]:
    ctx.store.load(full=True)
    return []


def check_append_only(ctx: Context, against: str) -> list[Problem]:
    """Entries committed at `against` (a git ref) must still be there, unchanged and in order."""
    ref = against
    if not ref or not gitrepo.is_repo(ctx.repo) or not gitrepo.has_commits(ctx.repo, ref):
        return []
    problems: list[Problem] = []
    for rel in gitrepo.list_files(ctx.repo, ref, "ledger/journal"):
        if not rel.endswith(".yaml") or rel.endswith("opening.yaml"):
            continue
        before = _entries(gitrepo.show(ctx.repo, ref, rel) or "")
        path = ctx.repo / rel
        if not path.exists():
            problems.append(
                Problem(rel, None, None, f"journal file committed at {ref} was deleted")
            )
            continue
        document = yamlio.read(path, ctx.repo)
        after = _entries(document.text)
        for index, old in enumerate(before):
            if index >= len(after):
                problems.append(
                    document.problem(["entries"], f"entry {old.get('id')!r} was removed")
                )
                break
            if after[index] != old:
                problems.append(
                    document.problem(
                        ["entries", index],
                        f"entry {old.get('id')!r} was edited after it was committed; "
                        "leave it as it was and add an `adjust` entry instead",
                    )
                )
                break
    return problems


def _entries(text: str) -> list[dict[str, object]]:
    try:
        data = yaml.load(text, Loader=yamlio.SafeLoader) or {}
    except yaml.YAMLError:
        return []
    entries = data.get("entries") if isinstance(data, dict) else None
    return list(entries) if isinstance(entries, list) else []


# Each check returns problems or raises DataError; later capabilities add theirs here.
CHECKS: list[Callable[[Context, str], list[Problem]]] = [  # (ctx, against)
    check_ledger,
    check_append_only,
    lambda ctx, _: rotations.check_files(ctx.repo),  # rotations/*.yaml and their history
    lambda ctx, _: check_cursor(ctx.repo),  # ledger/sync.yaml, the sync cursor
    lambda ctx, _: backlog.check_file(ctx.repo),  # ledger/metrics/backlog.yaml
]


def check_all(ctx: Context, *, against: str) -> None:
    """Every check; raises one DataError listing every problem found.

    `against`: the git ref whose committed journal entries must be unchanged ("": no check).
    """
    problems: list[Problem] = []
    for check in CHECKS:
        try:
            problems.extend(check(ctx, against))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)


def _count(repo: Path) -> int:
    return sum(1 for folder in ("ledger", "rotations") for _ in (repo / folder).rglob("*.yaml"))
