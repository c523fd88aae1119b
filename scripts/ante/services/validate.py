"""The work behind `ante validate`; its command module only turns arguments into a call."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import partial
from pathlib import Path

import yaml

from ante.context import Context
from ante.core import rotation, schedule
from ante.errors import DataError, Problem
from ante.files import backlog, gitrepo, intake_notes, rotations, yamlio
from ante.files.strict import strict_load
from ante.services.sync import check_cursor


def check_ledger(ctx: Context, against: str, *, full: bool = False) -> list[Problem]:
    ctx.store.load_checked(
        full=full,
        opening_committed=_opening_committed(ctx, against),
        settled=() if full else _sealed_years(ctx, against),
    )
    return []


def _sealed_years(ctx: Context, ref: str) -> set[int]:
    """Closed years whose journal files, and the next year's checkpoint that holds their seal,
    are all committed at `ref` and unchanged in the work tree: their seal was checked when
    they were committed (a pull request is validated against its base), so it is not
    re-computed, and ten closed years cost what one does."""
    if not ref or not gitrepo.is_repo(ctx.repo) or not gitrepo.has_commits(ctx.repo, ref):
        return set()
    folder = "ledger/journal"
    committed = set(gitrepo.list_files(ctx.repo, ref, folder)) - set(
        gitrepo.changed_since(ctx.repo, ref, folder)
    )
    periods = ctx.store.periods()
    sealed = set()
    for period, following in itertools.pairwise(periods):
        files = sorted((ctx.store.journal_dir / str(period)).glob("*.yaml"))
        wanted = [f"{folder}/{period}/{path.name}" for path in files]
        wanted.append(f"{folder}/{following}/opening.yaml")
        if files and all(rel in committed for rel in wanted):
            sealed.add(period)
    return sealed


def _opening_committed(ctx: Context, ref: str) -> bool:
    """The open year's checkpoint is committed at `ref` exactly as it is on disk."""
    periods = ctx.store.periods()
    if not ref or not periods or not gitrepo.is_repo(ctx.repo):
        return False
    rel = f"ledger/journal/{periods[-1]}/opening.yaml"
    path = ctx.repo / rel
    if not path.exists() or not gitrepo.has_commits(ctx.repo, ref):
        return False
    return gitrepo.show(ctx.repo, ref, rel) == path.read_text(encoding="utf-8", errors="replace")


def _carried(ctx: Context, rel: str, committed: str) -> bool:
    """A late file of a closed year moved, unchanged, into the open year (`Store.carry_late`)."""
    year, name = rel.split("/")[-2:]
    for period in ctx.store.periods():
        for candidate in (name, f"late-{year}-{name}"):
            moved = ctx.store.journal_dir / str(period) / candidate
            if (
                str(period) != year
                and moved.is_file()
                and moved.read_text(encoding="utf-8", errors="replace") == committed
            ):
                return True
    return False


def check_append_only(ctx: Context, against: str) -> list[Problem]:
    """Entries committed at `against` (a git ref) must still be there, unchanged and in order."""
    ref = against
    if not ref or not gitrepo.is_repo(ctx.repo) or not gitrepo.has_commits(ctx.repo, ref):
        return []
    problems: list[Problem] = []
    for rel in gitrepo.changed_since(ctx.repo, ref, "ledger/journal"):
        if not rel.endswith(".yaml"):
            continue
        committed = gitrepo.show(ctx.repo, ref, rel) or ""
        path = ctx.repo / rel
        if not path.exists():
            if not _carried(ctx, rel, committed):
                problems.append(
                    Problem(rel, None, None, f"journal file committed at {ref} was deleted")
                )
            continue
        current = path.read_text(encoding="utf-8", errors="replace")
        if rel.endswith("opening.yaml"):
            if current != committed:  # a checkpoint is written once, when its year opens
                problems.append(
                    Problem(rel, None, None, f"year checkpoint committed at {ref} was edited")
                )
            continue
        if only_appended(committed, current):
            continue  # the committed text is untouched: no need to parse either side
        document = yamlio.read(path, ctx.repo)
        before = _entries(committed)
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


def only_appended(committed: str, current: str) -> bool:
    """True when `current` is `committed` plus whole new list items, one entry per line.

    ante writes the journal one `  - {...}` line per entry, so an untouched history is a
    textual prefix; anything else (an edit, an indented continuation that would add a key to
    the last committed entry) falls back to comparing the parsed entries.
    """
    if current == committed:
        return True
    if not committed.endswith("\n") or not current.startswith(committed):
        return False
    last = committed.rstrip("\n").rsplit("\n", 1)[-1]
    item = last[: len(last) - len(last.lstrip())] + "- "
    if not last.lstrip().startswith("- "):
        return False
    return all(line.startswith(item) for line in current[len(committed) :].splitlines())


def _entries(text: str) -> list[dict[str, object]]:
    try:
        data = strict_load(text) or {}
    except (yaml.YAMLError, ValueError):
        return []
    entries = data.get("entries") if isinstance(data, dict) else None
    return list(entries) if isinstance(entries, list) else []


def check_roster(ctx: Context, against: str) -> list[Problem]:
    """The people a rotation names are on the team, nobody holds two roles in a week, and every
    rotation has someone to escalate to."""
    try:
        rosters = rotations.load_rotations(ctx.repo)
        policy = ctx.store.policy()
    except DataError:
        return []  # reported by the files' own checks
    members = rotations.team_members(ctx.repo)
    problems: list[Problem] = []
    for roster in rosters:
        found = rotation.check_roster(roster.config, members, policy.external)
        if not ctx.store.members_path.exists():  # no team to check against: only the tier
            found = [(loc, message) for loc, message in found if loc == ("escalation",)]
        published = rotations.published(ctx.repo, roster.name)
        doubled = schedule.doubled(roster.config, published, ctx.now)
        if not found and not doubled:
            continue  # the file is read again only to say where a problem is
        document = yamlio.read(roster.path, ctx.repo)
        problems += [document.problem(list(loc), message) for loc, message in found]
        for index, week, held in doubled:
            cover = roster.config.overrides[index].cover
            problems.append(
                document.problem(
                    ["overrides", index],
                    f"{cover} would hold {' and '.join(held)} in the week of "
                    f"{week.start.astimezone(roster.config.zone):%Y-%m-%d}: one person, one role "
                    "a week; choose another cover",
                )
            )
    return problems


# Each check returns problems or raises DataError; later capabilities add theirs here.
CHECKS: list[Callable[[Context, str], list[Problem]]] = [  # (ctx, against)
    check_append_only,
    check_roster,  # who the rotations name, against the members file and the policy
    lambda ctx, _: check_cursor(ctx.repo),  # ledger/sync.yaml, the sync cursor
    lambda ctx, _: backlog.check_file(ctx.repo),  # ledger/metrics/backlog.yaml
    lambda ctx, _: check_workflows(ctx),  # the workflows' filters and crons agree with the data
    lambda ctx, _: intake_notes.check_files(ctx.repo),  # ledger/intake.yaml, ledger/sweeps.yaml
]


def check_rotation_files(ctx: Context, against: str, *, full: bool = False) -> list[Problem]:
    """rotations/*.yaml and their history. A closed year's page record committed at `against`
    and unchanged since was checked when it was committed (ante writes only the years a page
    was opened in, and a pull request is validated against its base): not read again, so ten
    years of emergencies cost what one does. `full` reads them all."""
    return rotations.check_files(ctx.repo, trusted_pages=() if full else _settled(ctx, against))


def _settled(ctx: Context, ref: str) -> set[int]:
    """The closed years whose page record is committed at `ref`, unchanged in the work tree."""
    if not ref or not gitrepo.is_repo(ctx.repo) or not gitrepo.has_commits(ctx.repo, ref):
        return set()
    folder = "ledger/pages"
    changed = set(gitrepo.changed_since(ctx.repo, ref, folder))
    years = set()
    for rel in gitrepo.list_files(ctx.repo, ref, folder):
        stem = Path(rel).stem
        if rel not in changed and rel.endswith(".yaml") and stem.isdigit():
            years.add(int(stem))
    return {year for year in years if year < ctx.now.year}


def check_workflows(ctx: Context) -> list[Problem]:
    from ante.files import workflows

    if not ctx.store.policy_path.exists():
        return []
    return workflows.check_files(ctx.repo, ctx.store.policy(), rotations.load_rotations(ctx.repo))


def check_all(ctx: Context, *, against: str, full: bool = False) -> None:
    """Every check; raises one DataError listing every problem found.

    `against`: the git ref whose committed journal entries must be unchanged ("": no check).
    `full`: re-read every closed year instead of trusting its seal.
    """
    problems: list[Problem] = []
    ledger: Callable[[Context, str], list[Problem]] = partial(check_ledger, full=full)
    history: Callable[[Context, str], list[Problem]] = partial(check_rotation_files, full=full)
    for check in [ledger, history, *CHECKS]:
        try:
            problems.extend(check(ctx, against))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)


def _count(repo: Path) -> int:
    return sum(1 for folder in ("ledger", "rotations") for _ in (repo / folder).rglob("*.yaml"))
