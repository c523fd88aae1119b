"""Post-mortem follow-through, as pure decisions over the post-mortem's checklist.

An action is a checklist item in the post-mortem issue (`- [ ] Add a runbook for … @bob due
2026-12-15`). ante opens an issue for each unchecked one, writes its number back into the item
(`→ #123`), checks the box when that issue is completed, and strikes the item through when it is
closed as not planned (dropped). Writing `~~…~~` or `(dropped)` drops an item by hand. The
post-mortem may close only when every action is done or dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

ITEM = re.compile(r"^(?P<lead>\s*[-*+] \[)(?P<mark>[ xX])(?P<rest>\] (?P<text>.*\S)\s*)$")
LINK = re.compile(r"\s*→\s*#(\d+)\s*$")
OWNER = re.compile(r"(?<![\w/`])@([A-Za-z0-9][A-Za-z0-9-]{0,38})\b")
DUE = re.compile(r"\(?\bdue:?\s*(\d{4}-\d{2}-\d{2})\)?", re.IGNORECASE)
DEFAULT_DAYS = 14


@dataclass(frozen=True)
class Action:
    line: int  # index of the line in the body
    text: str  # as written, without ante's link
    done: bool
    dropped: bool
    issue: int | None  # the follow-up issue ante opened
    owner: str | None
    due: date | None

    @property
    def open(self) -> bool:
        return not self.done and not self.dropped

    @property
    def title(self) -> str:
        """The action without its owner, due date and strike-through: the issue's title."""
        bare = DUE.sub("", OWNER.sub("", self.text)).replace("~~", "")
        return re.sub(r"\s+", " ", bare).strip(" -:,;") or self.text


def actions(body: str) -> list[Action]:
    """The checklist items of a post-mortem (empty ones, like the template's, are skipped)."""
    found: list[Action] = []
    in_code = False
    for index, line in enumerate(body.splitlines()):
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else ITEM.match(line)
        if not match:
            continue
        text = match["text"]
        link = LINK.search(text)
        issue = int(link[1]) if link else None
        text = LINK.sub("", text).strip()
        if not text:
            continue
        owner = OWNER.search(text)
        due = DUE.search(text)
        dropped = (text.startswith("~~") and "~~" in text[2:]) or "(dropped)" in text.lower()
        found.append(
            Action(
                index,
                text,
                match["mark"] in "xX",
                dropped,
                issue,
                owner[1] if owner else None,
                date.fromisoformat(due[1]) if due else None,
            )
        )
    return found


def due_date(action: Action, opened: date) -> date:
    return action.due or opened + timedelta(days=DEFAULT_DAYS)


def linked(body: str, action: Action, number: int) -> str:
    """The body with `→ #number` written after the action."""
    lines = body.splitlines()
    lines[action.line] = lines[action.line].rstrip() + f" → #{number}"
    return "\n".join(lines) + ("\n" if body.endswith("\n") else "")


def settled(body: str, action: Action, state: str) -> str:
    """The body with the action checked (`completed`) or struck through (`not_planned`)."""
    lines = body.splitlines()
    match = ITEM.match(lines[action.line])
    if match is None:
        return body
    rest = match["rest"]
    if state == "not_planned" and not action.dropped:
        link = LINK.search(match["text"])
        text = LINK.sub("", match["text"]).strip()
        rest = f"] ~~{text}~~ (dropped)" + (f" → #{link[1]}" if link else "")
    lines[action.line] = f"{match['lead']}x{rest}"
    return "\n".join(lines) + ("\n" if body.endswith("\n") else "")


def overdue(items: list[Action], today: date, opened: date) -> list[Action]:
    return [a for a in items if a.open and due_date(a, opened) < today]
