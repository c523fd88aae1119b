"""ante's ONE comment per issue, made of named sections that grow independently.

The comment is found by the adapter's hidden tag (`github.marker_tag(MARKER)`) and edited in
place. Each capability owns a section (the award's chips; later the intake acknowledgement):
setting one section keeps the others as they were, so no writer overwrites another's part.
"""

from __future__ import annotations

import re

MARKER = "issue"  # the adapter's tag for ante's one comment: <!-- ante:issue -->
ORDER = ("intake", "award")  # where each section sits in the comment, top to bottom
_SECTION = re.compile(
    r"<!-- ante-section:(?P<name>[\w-]+) -->\n(?P<text>.*?)<!-- /ante-section:(?P=name) -->\n?",
    re.S,
)


def sections(body: str | None) -> dict[str, str]:
    """The named sections of an ante comment's body (empty for anything else)."""
    return {m["name"]: m["text"] for m in _SECTION.finditer(body or "")}


def compose(existing: str | None, name: str, text: str) -> str:
    """The body with section `name` set to `text` (empty text drops it), the others kept."""
    parts = sections(existing)
    if text.strip():
        parts[name] = text.rstrip("\n") + "\n"
    else:
        parts.pop(name, None)
    names = [n for n in ORDER if n in parts] + sorted(n for n in parts if n not in ORDER)
    blocks = [f"<!-- ante-section:{n} -->\n{parts[n]}<!-- /ante-section:{n} -->\n" for n in names]
    return "\n".join(blocks)
