"""Where ante's own files are found, wherever it is installed: package data, via importlib.

- `templates/*.j2`: the built-in Markdown templates (a team's own `templates/` overrides them
  file by file);
- `team/`: the tool-owned files `ante init` and `ante upgrade` write into a team repository
  (workflows, issue forms, the Dependabot configuration), each under its `.github/` path;
- `release.txt` (only in released builds): the commit the release was built from, which team
  workflows pin the `setup-ante` action to.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ante import __version__

# The repository ante is released from; team workflows use its `setup-ante` action.
HOME = "ante-team/ante"
SETUP_ACTION = ".github/actions/setup-ante"
LOCAL_SETUP = f"./{SETUP_ACTION}"


def package_files() -> Traversable:
    return resources.files("ante")


def template_text(name: str) -> str:
    return (package_files() / "templates" / name).read_text(encoding="utf-8")


def team_files() -> Iterator[tuple[str, str]]:
    """(path in a team repository, text) of every tool-owned file, as shipped."""
    root = package_files() / "team"
    yield from _walk(root, ".github")


def _walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, str]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(("_", ".")):
            continue
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}/{entry.name}")
        elif entry.name.endswith((".yml", ".yaml")):
            yield f"{prefix}/{entry.name}", entry.read_text(encoding="utf-8")


@dataclass(frozen=True)
class ActionPin:
    """How team workflows refer to the setup action: `HOME/path@ref # vX.Y.Z`."""

    ref: str
    version: str = __version__
    repo: str = HOME

    def uses(self) -> str:
        line = f"{self.repo}/{SETUP_ACTION}@{self.ref}"
        return f"{line} # v{self.version}" if self.ref != f"v{self.version}" else line


def action_pin(environ: Mapping[str, str] | None = None) -> ActionPin:
    """The release this ante pins team workflows to.

    `ANTE_ACTION_REF` (`sha` or `owner/repo@sha`) overrides it, e.g. for a fork; a released
    build knows its commit (`release.txt`); a source checkout uses its git HEAD; otherwise the
    version's tag.
    """
    env = os.environ if environ is None else environ
    explicit = env.get("ANTE_ACTION_REF", "").strip()
    if explicit:
        repo, _, ref = explicit.rpartition("@")
        return ActionPin(ref=ref, repo=repo or HOME)
    stamp = package_files() / "release.txt"
    if stamp.is_file():
        commit = stamp.read_text(encoding="utf-8").strip()
        if commit:
            return ActionPin(ref=commit)
    checkout = source_checkout()
    if checkout is not None:
        proc = subprocess.run(
            ["git", "-C", str(checkout), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode == 0 and proc.stdout.strip():
            return ActionPin(ref=proc.stdout.strip())
    return ActionPin(ref=f"v{__version__}")


def source_checkout() -> Path | None:
    """ante's own repository when running from a source checkout (editable install), else None."""
    here = Path(__file__).resolve().parents[2]
    if (here / "pyproject.toml").is_file() and (here / SETUP_ACTION / "action.yml").is_file():
        return here
    return None


def pinned(text: str, pin: ActionPin) -> str:
    """A shipped workflow as a team runs it: the local setup action becomes the pinned release."""
    return text.replace(f"uses: {LOCAL_SETUP}", f"uses: {pin.uses()}")
