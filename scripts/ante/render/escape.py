"""Text from outside (issue titles, display names, reasons) made safe for where it lands.

One helper per format, used by every template (the Jinja filter `md`, and `cell`) and by the
calendar: what an issue's author typed never becomes a live link, image, raw HTML, a
@team mention or a reference in ante's Markdown, and never breaks an iCalendar line. YAML that
ante writes is escaped by `files.yamlio.quoted`.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"  # zero-width space: breaks a mention or an autolink without showing
TITLE_LIMIT = 256  # GitHub's own limit on an issue title

# C0 and C1 controls, DEL, line/paragraph separators, bidi overrides, surrogates, non-characters.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# Every ASCII punctuation mark that means something to CommonMark or GFM tables.
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:\"'$=])")
# What GitHub links by itself in text: mentions, references, URLs and addresses.
_AUTOLINK = re.compile(r"(@|#(?=\d)|(?<=[A-Za-z])-(?=\d)|://|(?i:www)\.)")


def plain(text: object, limit: int = TITLE_LIMIT) -> str:
    """One line of text: controls dropped, whitespace runs collapsed, cut at `limit`."""
    line = _CONTROL.sub("", str(text).replace("\r\n", "\n"))
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def markdown(text: object, limit: int = TITLE_LIMIT) -> str:
    """`text` as inline Markdown that renders as exactly that text, and nothing live.

    Safe inside a paragraph, a list item, a table cell and a link's text.
    """
    line = _AUTOLINK.sub(lambda m: m.group(1) + ZWSP, plain(text, limit))
    return _MD_PUNCT.sub(r"\\\1", line.replace("&", "&amp;"))


def cell(text: object) -> str:
    """ante's own text (links it built, numbers) in a table cell: one line, pipes escaped."""
    return plain(text, limit=1000).replace("|", "\\|")


def ics(text: object, limit: int = 2000) -> str:
    """`text` for an iCalendar TEXT value: controls dropped, line breaks as LF.

    The icalendar library applies RFC 5545's escaping (backslash, `;`, `,`, newline as `\\n`)
    and folds long lines; this removes what no calendar can carry.
    """
    body = str(text).replace("\r\n", "\n").replace("\r", "\n")
    body = "\n".join(_CONTROL.sub("", line) for line in body.split("\n"))
    return body if len(body) <= limit else body[: limit - 1] + "…"
