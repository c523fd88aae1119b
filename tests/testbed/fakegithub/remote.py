"""The fake's git side: a bare remote that records who pushed what and can protect `main`.

A pre-receive hook in the bare repository plays GitHub's part. It reads the pusher from the
pushing process's environment (`FAKEGITHUB_PUSHER`, what a token's identity is to git) or a
push option (`git push -o pusher=<login>`), logs every ref update, and, once `protect()` was
called, refuses updates of the protected branches with GitHub's own messages:

    remote: error: GH006: Protected branch update failed for refs/heads/main.   (protection)
    remote: error: GH013: Repository rule violations found for refs/heads/main. (ruleset)

unless the pusher is on the bypass list. Git then reports "[remote rejected] ... (pre-receive
hook declined)", as it does against GitHub ("protected branch hook declined").
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PUSHER_ENV = "FAKEGITHUB_PUSHER"
CONFIG = "fakegithub-protection"
LOG = "fakegithub-pushes.tsv"

_HOOK = r"""#!/usr/bin/env bash
# Installed by tests/testbed/fakegithub/remote.py: GitHub's side of a push.
pusher="${FAKEGITHUB_PUSHER:-}"
for ((i = 0; i < ${GIT_PUSH_OPTION_COUNT:-0}; i++)); do
  option="GIT_PUSH_OPTION_$i"
  case "${!option}" in pusher=*) pusher="${!option#pusher=}" ;; esac
done
pusher="${pusher:-unknown}"
rule="" repo="" branches=() bypass=()
if [ -f fakegithub-protection ]; then
  while read -r key value; do
    case "$key" in
      rule) rule="$value" ;;
      repo) repo="$value" ;;
      branch) branches+=("refs/heads/$value") ;;
      bypass) bypass+=("$value") ;;
    esac
  done < fakegithub-protection
fi
allowed=0
for login in "${bypass[@]}"; do [ "$login" = "$pusher" ] && allowed=1; done
updates=() refused=""
while read -r old new ref; do
  updates+=("$old $new $ref")
  for protected in "${branches[@]}"; do
    if [ "$ref" = "$protected" ] && [ "$allowed" = 0 ] && [ -z "$refused" ]; then
      refused="$ref"
    fi
  done
done
verdict=accepted
[ -n "$refused" ] && verdict=refused
for update in "${updates[@]}"; do
  read -r old new ref <<< "$update"
  printf '%s\t%s\t%s\t%s\t%s\n' "$pusher" "$ref" "$old" "$new" "$verdict" >> fakegithub-pushes.tsv
done
[ -z "$refused" ] && exit 0
if [ "$rule" = ruleset ]; then
  encoded="${refused//\//%2F}"
  echo "error: GH013: Repository rule violations found for $refused." >&2
  echo "Review all repository rules at https://github.com/$repo/rules?ref=$encoded" >&2
  echo "" >&2
  echo "- Changes must be made through a pull request." >&2
  echo "" >&2
else
  echo "error: GH006: Protected branch update failed for $refused." >&2
  echo "error: Changes must be made through a pull request." >&2
fi
exit 1
"""


@dataclass(frozen=True)
class Push:
    pusher: str
    ref: str
    old: str
    new: str
    accepted: bool


def install(origin: Path) -> None:
    """Make `origin` (a bare repository) record its pushes; nothing is protected yet."""
    hook = origin / "hooks" / "pre-receive"
    hook.write_text(_HOOK, encoding="utf-8")
    hook.chmod(0o755)
    subprocess.run(
        ["git", "-C", str(origin), "config", "receive.advertisePushOptions", "true"], check=True
    )


def protect(
    origin: Path,
    *,
    rule: str = "branch",
    branches: Iterable[str] = ("main",),
    bypass: Iterable[str] = (),
    repo: str = "o/r",
) -> None:
    """Refuse pushes to `branches` by anyone not in `bypass` (logins, e.g. "ante-app[bot]").

    `rule` is "branch" (branch protection, GH006) or "ruleset" (a ruleset, GH013).
    """
    if rule not in ("branch", "ruleset"):
        raise ValueError("rule must be 'branch' or 'ruleset'")
    if not (origin / "hooks" / "pre-receive").exists():
        install(origin)
    lines = [f"rule {rule}", f"repo {repo}"]
    lines += [f"branch {name}" for name in branches]
    lines += [f"bypass {login}" for login in bypass]
    (origin / CONFIG).write_text("\n".join(lines) + "\n", encoding="utf-8")


def unprotect(origin: Path) -> None:
    (origin / CONFIG).unlink(missing_ok=True)


def pushes(origin: Path) -> list[Push]:
    """Every ref update offered to `origin` since `install`, oldest first."""
    log = origin / LOG
    if not log.exists():
        return []
    rows = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    return [Push(p, ref, old, new, verdict == "accepted") for p, ref, old, new, verdict in rows]
