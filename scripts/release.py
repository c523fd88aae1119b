"""Release helpers for the release workflow: check the tag, stamp the commit, the notes.

python scripts/release.py check-tag v0.2.0   # the tag is `v` + ante.__version__
python scripts/release.py stamp <commit>     # scripts/ante/release.txt, in the build only
python scripts/release.py notes v0.2.0       # that version's CHANGELOG.md section
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def version() -> str:
    text = (ROOT / "scripts/ante/__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if not found:
        raise SystemExit("scripts/ante/__init__.py: no __version__")
    return found.group(1)


def check_tag(tag: str) -> None:
    if tag != f"v{version()}":
        raise SystemExit(f"tag {tag!r} is not v{version()} (scripts/ante/__init__.py)")
    if not notes(tag):
        raise SystemExit(f"CHANGELOG.md has no section for [{version()}]")


def stamp(commit: str) -> None:
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise SystemExit(f"{commit!r} is not a commit SHA")
    (ROOT / "scripts/ante/release.txt").write_text(commit + "\n", encoding="utf-8")


def notes(tag: str) -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    wanted = tag.removeprefix("v")
    section = re.search(
        rf"^## \[{re.escape(wanted)}\][^\n]*\n(.*?)(?=^## \[|^\[[^\]]+\]: |\Z)",
        text,
        re.MULTILINE | re.DOTALL,
    )
    return section.group(1).strip() + "\n" if section else ""


def main(argv: list[str]) -> int:
    match argv:
        case ["check-tag", tag]:
            check_tag(tag)
        case ["stamp", commit]:
            stamp(commit)
        case ["notes", tag]:
            sys.stdout.write(notes(tag))
        case _:
            sys.stderr.write(__doc__ or "")
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
