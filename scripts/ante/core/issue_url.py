"""Issue URLs, the references ante keeps (journal `ref`s, intake notes, pages): one pattern.

`https://github.com/owner/repo/issues/12` (or `/pull/12`, or another GitHub host) is the issue
`owner/repo#12`; anything else is not an issue reference. A person naming an issue by hand
(`ante award`'s manual dispatch) may also type `owner/repo#12`: `named_issue`.
"""

from __future__ import annotations

import re

ISSUE_URL = re.compile(
    r"^https://[^/\s]+/(?P<repo>[\w.-]+/[\w.-]+)/(?:issues|pull)/(?P<number>\d+)$"
)


NAMED_ISSUE = re.compile(
    r"^(?:https?://[^/]+/)?(?P<repo>[\w.-]+/[\w.-]+)(?:#|/issues/)(?P<number>\d+)$"
)


def issue_ref(url: str) -> tuple[str, int] | None:
    """`("owner/repo", 12)` for an issue or pull request URL, else None."""
    found = ISSUE_URL.match(url)
    return (found["repo"], int(found["number"])) if found else None


def named_issue(text: str) -> tuple[str, int] | None:
    """`("owner/repo", 12)` for `owner/repo#12` or an issue URL typed by a person, else None."""
    found = NAMED_ISSUE.match(text.strip())
    return (found["repo"], int(found["number"])) if found else None
