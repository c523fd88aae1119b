"""The format of a team repository's data: `ante.yaml` at its root says which one it is in.

Format 1 is what ante 0.1.0 wrote (no `ante.yaml`; the tool copied into the repository).
Format 2 (ante 0.2.0): the data alone, workflows that run a pinned release, `ante.yaml`.
A newer ante refuses an older format and names the command that migrates it (`ante upgrade`);
an older ante refuses a newer one.
"""

from __future__ import annotations

import re
from pathlib import Path

from ante import __version__
from ante.errors import AnteError, DataError, Problem

FILE = "ante.yaml"
CURRENT = 2
# The first release that wrote each format (what an older ante should be upgraded to).
INTRODUCED = {1: "0.1.0", 2: "0.2.0"}


# Read by every command before anything else, so without YAML or pydantic: one `format: N`
# line, comments and blank lines around it, nothing else.
_LINE = re.compile(r"^format:[ \t]*([1-9][0-9]{0,3})[ \t]*(?:#.*)?$")


def text(version: int = CURRENT) -> str:
    return (
        "# Written by ante: the format of this repository's data. `ante upgrade` moves it\n"
        "# forward (with the data) when a new release of ante needs it; do not edit by hand.\n"
        f"format: {version}\n"
    )


def is_team_repo(repo: Path) -> bool:
    return (repo / "ledger").is_dir() or (repo / FILE).is_file()


def read(repo: Path) -> int:
    """The repository's data format (1 when there is a ledger and no `ante.yaml`)."""
    path = repo / FILE
    if not path.is_file():
        return 1
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise DataError(Problem(FILE, None, None, f"not UTF-8 text: {exc.reason}")) from None
    found: int | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None or found is not None:
            raise DataError(
                Problem(FILE, number, 1, "expected one line `format: N` (N a whole number)")
            )
        found = int(match.group(1))
    if found is None:
        raise DataError(Problem(FILE, None, None, "missing `format: N`"))
    return found


def require_current(repo: Path) -> None:
    """Refuse data in another format, saying exactly what to do."""
    found = read(repo)
    if found == CURRENT:
        return
    if found < CURRENT:
        raise AnteError(
            f"{repo / FILE if found > 1 else repo}: the data is in format {found} "
            f"(ante {INTRODUCED.get(found, '?')}); this ante {__version__} reads format {CURRENT}. "
            f"Run `ante --repo {repo} upgrade`, review the diff and commit it; nothing was changed"
        )
    raise AnteError(
        f"{repo / FILE}: the data is in format {found}, newer than this ante {__version__} "
        f"reads (format {CURRENT}); use the ante release the repository's workflows pin "
        "(pip install --upgrade ante-overhead); nothing was changed"
    )
