"""The files of a new team repository: its data, and ante's tool-owned files.

A team repository holds only its data (`ledger/`, `rotations/`, STATUS.md, optional
`templates/` overrides) and thin workflows that run a pinned release of ante. The tool-owned
files (workflows, issue forms, the Dependabot configuration) are package data, written by
`ante init` and rewritten by `ante upgrade`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from ante import resources
from ante.files import yamlio

MEMBERS_HEADER = """\
# Who plays the Overhead chip game. Join with a pull request adding yourself here;
# leaving: set `left:`. Away (holidays, illness, parental leave)? Declare it here, once: the
# weekly tax skips you and no on-call week is given to you. (A rotation's `unavailable:` is
# only for on-call: you are working but cannot be on call.)
#   leave:
#     - {from: 2026-12-21, to: 2027-01-04, note: holidays}
members:
"""

POLICY = """\
# The Overhead economy's rules. Changing a number here is a pull request the team reviews.

# Chips every new member starts with.
starting_grant: 2

# Issues carrying this label earn chips when closed as completed.
overhead_label: overhead

# Chips per label on a completed overhead issue; the largest matching label counts.
awards:
  overhead: 1
  overhead:large: 2

# Chips for closing an overhead issue as "not planned" (noise removal). 0 = off.
triage_award: 0

# Product repositories whose overhead issues also earn chips (found by `ante sync`).
repositories: []

# People the rotations name who do not play the chip game (e.g. managers of another team).
external: []

# The weekly tax (a pull request every Wednesday; merging it collects the chips).
tax:
  mode: adaptive      # adaptive: moves with the backlog; fixed: always `rate`
  rate: 1             # the fixed rate, and where adaptive starts
  min: 0
  max: 3
  max_debt: null      # chips a member may owe at most; null = no cap
  target_backlog: 5   # open overhead issues the team is content with
  margin: 0.1         # close 10% more than arrive
  horizon_weeks: 26   # reach the target within this many weeks of going over it
  history_weeks: 8    # weeks of backlog metrics the inflow is averaged over
  exempt_captain: true  # the Captain On-Call of the week pays nothing
  new_member_days: 7  # members who joined less than this many days ago pay nothing
  labels: [chip-tax]  # on the tax pull request
  reviewers: []       # logins asked to review it
  # Extra policies `ante simulate` compares with fixed-1 and adaptive, e.g.
  # compare:
  #   fixed-2: {mode: fixed, rate: 2}
  #   patient: {horizon_weeks: 52}
  compare: {}
"""

EMPTY_ROSTER = """\
# Nobody has joined yet. To join, add yourself in a pull request, e.g.
#   - login: your-github-login
#     joined: 2026-12-01
members: []
"""

TEAM_README = """\
# {name}: Overhead chips and on-call

This repository runs the team's Overhead chip economy and on-call rotations with
[ante](https://github.com/ante-team/ante). Read **[STATUS.md](STATUS.md)** for who is on call,
chip balances and the backlog.

- Earn chips: close an issue labelled `overhead` as completed.
- Pay the weekly tax: review the "Weekly chip tax" pull request.
- Volunteer for on-call: edit a file in `rotations/` in a pull request.
- Join: add yourself to `ledger/members.yaml` in a pull request.

The workflows in `.github/workflows/` run a pinned release of ante; Dependabot proposes each new
release as a pull request, and `ante upgrade` (its check says when) brings the data and the
workflows up to date in that same pull request.
"""


def members_yaml(logins: Sequence[str], joined: date) -> str:
    lines = [f"  - login: {yamlio.scalar(login)}\n    joined: {joined}\n" for login in logins]
    if not lines:
        return MEMBERS_HEADER.replace("members:\n", EMPTY_ROSTER)
    return MEMBERS_HEADER + "".join(lines)


def append_member(text: str, login: str, joined: date, name: str | None = None) -> str:
    """Add one member at the end of a person-edited members file, leaving the rest untouched."""
    entry = f"  - login: {yamlio.scalar(login)}\n"
    if name:
        entry += f"    name: {yamlio.scalar(name)}\n"
    entry += f"    joined: {joined}\n"
    body = text if text.endswith("\n") else text + "\n"
    if "members: []" in body:
        body = body.replace("members: []", "members:", 1)
    return body + entry


# Later capabilities add their example files (e.g. a rotation) here: (logins, today) -> files.
EXTRA_FILES: list[Callable[[Sequence[str], date], dict[str, str]]] = []


def _rotation_example(logins: Sequence[str], today: date) -> dict[str, str]:
    if not logins:
        return {}  # a rotation needs volunteers: `ante init` with members writes an example
    from ante.files.rotations import example_files  # the on-call rotation, published ahead

    return example_files(logins, today)


EXTRA_FILES.append(_rotation_example)


def team_files(logins: Sequence[str], today: date, name: str) -> dict[str, str]:
    """The team's own files as a new team repository starts them (never overwritten later)."""
    files = {
        "ledger/members.yaml": members_yaml(logins, today),
        "ledger/policy.yaml": POLICY,
        "README.md": TEAM_README.format(name=name),
        ".gitignore": ".venv/\n__pycache__/\n",
    }
    for extra in EXTRA_FILES:
        files.update(extra(logins, today))
    return files


def tool_files(pin: resources.ActionPin) -> dict[str, str]:
    """ante's own files in a team repository, as this release writes them (`ante upgrade`)."""
    return {path: resources.pinned(text, pin) for path, text in resources.team_files()}


def write_missing(target: Path, files: dict[str, str]) -> list[str]:
    """Write the files that do not exist yet; an existing file is the team's and stays."""
    written = []
    for rel, text in files.items():
        if not (target / rel).exists():
            yamlio.write_text(target / rel, text)
            written.append(rel)
    return written
