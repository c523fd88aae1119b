"""`ante upgrade`: bring a team repository to this release: its data format and ante's own files.

Idempotent: it compares what is there with what this release writes, so a second run plans
nothing. The team's data (balances, journal, schedule, shifts, pages) is never rewritten by a
format-only step; a step that must rewrite data does it through the same writers ante uses.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ante import __version__, resources
from ante.files import formats, yamlio

# Files ante 0.1.0 copied into every team repository, by content: removed by the step to format
# 2 when the team left them as they were (an edited template stays, as the team's override).
COPIED_BY_0_1_0 = {
    "templates/STATUS.md.j2": "4eb0f81150aa5ee9047ccf62461bdfac51813d2a3fe3a3bd8f6b9cb97c1446f7",
    "templates/award-comment.md.j2": (
        "00995ea004ece90201d6c574e5f91357a520d5aab77bd965fb436b58bbee32e0"
    ),
    "templates/handoff.md.j2": "deb21b27c8b6e858b1368085b2ef698eaedc568564a668b25ed7f36aea6a45aa",
    "templates/intake-comment.md.j2": (
        "13ca053050b6d15acb2b27462fd34b27f37fc8f1ec8688ed3c31adf577d5f300"
    ),
    "templates/postmortem.md.j2": (
        "a5441773c75cba6266e23534b9c57baac661864194c5245796b7dc3a0eb5730b"
    ),
    "templates/tax-pr.md.j2": "2d9b1f83c3309feaa6ba0af459ae9f63006e02d5c5cf172192829e8079bd6c3a",
    ".github/zizmor.yml": "f9ffacb991dff4a4099cb8353fa752cf160fb315529bc5d12fe4716115d0bbca",
    ".github/actions/setup-ante/action.yml": (
        "2d9b5cd7c9479e9d639f1e49607f22a277ba164952944b821a289b4d8166213a"
    ),
}


_PIN = re.compile(
    rf"uses: (?P<repo>[\w.-]+/[\w.-]+)/{re.escape(resources.SETUP_ACTION)}@(?P<ref>[0-9a-f]{{40}})"
    r" # v(?P<version>\S+)"
)


@dataclass(frozen=True)
class Change:
    path: str
    before: str | None  # None: a new file
    after: str | None  # None: removed
    why: str


def plan(repo: Path, environ: Mapping[str, str]) -> list[Change]:
    """Every change this release makes to the repository, in order; empty when up to date."""
    own = resources.source_checkout() == repo.resolve()
    changes: list[Change] = []
    found = formats.read(repo) if formats.is_team_repo(repo) else formats.CURRENT
    if found > formats.CURRENT:
        formats.require_current(repo)  # raises: an older ante never downgrades data
    if found < 2 and not own:
        changes += _from_format_1(repo)
    if found != formats.CURRENT or not (repo / formats.FILE).is_file():
        changes.append(_change(repo, formats.FILE, formats.text(), "the data format"))
    pin = None if own else (_current_pin(repo) or resources.action_pin(environ))
    changes += _retired(repo)
    for rel, text in resources.team_files():
        after = text if pin is None else resources.pinned(text, pin)
        changes.append(_change(repo, rel, after, "ante's own file, as this release writes it"))
    return [c for c in changes if c.before != c.after]


# ante's workflows that later releases replaced: removed when they are still ante's (they run
# `ante`), so an upgraded team never runs both the old job and its replacement.
RETIRED = {
    ".github/workflows/award.yml": "replaced by issue.yml (one job per issue event)",
    ".github/workflows/emergency.yml": "replaced by issue.yml (one job per issue event)",
    ".github/workflows/intake.yml": "replaced by issue.yml and triage.yml (the Monday refresh)",
}


def _retired(repo: Path) -> list[Change]:
    changes = []
    for rel, why in RETIRED.items():
        path = repo / rel
        if path.is_file() and "run: ante " in _text(path):
            changes.append(Change(rel, _text(path), None, why))
    return changes


def _current_pin(repo: Path) -> resources.ActionPin | None:
    """The pin the repository's workflows already hold for this version (Dependabot's bump).

    A release-bump pull request moves every `uses: .../setup-ante@<sha> # vX.Y.Z` to the new
    release; that ante, however it was installed, keeps the pin it finds for its own version.
    """
    folder = repo / ".github" / "workflows"
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.yml")):
        found = _PIN.search(path.read_text(encoding="utf-8", errors="replace"))
        if found and found["version"] == __version__:
            return resources.ActionPin(ref=found["ref"], repo=found["repo"])
    return None


def _change(repo: Path, rel: str, after: str | None, why: str) -> Change:
    path = repo / rel
    before = path.read_text(encoding="utf-8") if path.is_file() else None
    return Change(rel, before, after, why)


def _from_format_1(repo: Path) -> list[Change]:
    """0.1.0 copied the whole tool into the team's repository: take the copy out again."""
    changes: list[Change] = []
    vendored = repo / "scripts" / "ante"
    if (vendored / "__init__.py").is_file():
        for path in sorted(p for p in vendored.rglob("*") if p.is_file()):
            rel = path.relative_to(repo).as_posix()
            changes.append(Change(rel, _text(path), None, "ante 0.1.0's copy of the tool"))
    project = repo / "pyproject.toml"
    if project.is_file() and _project_name(project) == "ante":
        changes.append(Change("pyproject.toml", _text(project), None, "ante 0.1.0's packaging"))
    for rel, digest in COPIED_BY_0_1_0.items():
        path = repo / rel
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            changes.append(Change(rel, _text(path), None, "ante 0.1.0's copy, unedited"))
    return changes


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def _project_name(path: Path) -> str | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    project = data.get("project")
    return project.get("name") if isinstance(project, dict) else None


def apply(repo: Path, changes: list[Change]) -> None:
    for change in changes:
        path = repo / change.path
        if change.after is None:
            path.unlink(missing_ok=True)
            _prune(path.parent, repo)
        else:
            yamlio.write_text(path, change.after)


def _prune(folder: Path, repo: Path) -> None:
    """Remove folders the removals left empty (never the repository itself)."""
    while folder != repo and folder.is_dir() and not any(folder.iterdir()):
        shutil.rmtree(folder)
        folder = folder.parent


def diff(changes: list[Change]) -> str:
    """A unified diff, with removed tool copies summarised one line per folder."""
    out: list[str] = []
    removed: dict[str, int] = {}
    for change in changes:
        if change.after is None and change.path.startswith("scripts/ante/"):
            removed["scripts/ante/"] = removed.get("scripts/ante/", 0) + 1
            continue
        before = [] if change.before is None else change.before.splitlines(keepends=True)
        after = [] if change.after is None else change.after.splitlines(keepends=True)
        old = "/dev/null" if change.before is None else f"a/{change.path}"
        new = "/dev/null" if change.after is None else f"b/{change.path}"
        out.append(f"# {change.path}: {change.why}\n")
        out.extend(difflib.unified_diff(before, after, old, new))
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n"
    for folder, count in removed.items():
        out.append(f"# {folder}: removed ({count} files, ante 0.1.0's copy of the tool)\n")
    return "".join(out)


def tool_paths() -> list[str]:
    return [rel for rel, _ in resources.team_files()]
