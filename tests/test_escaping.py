"""Text that crosses a boundary is escaped for where it lands (issue 14).

Hostile issue titles and names go through every Markdown ante writes and are rendered with
cmarkgfm, GitHub's own Markdown library: nothing live (link, image, raw HTML, mention,
reference) may come from the title. The calendar parses with `icalendar` whatever the
rotation's description says, and what ante writes in YAML it reads back.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from ante.files import yamlio
from ante.render import escape
from icalendar import Calendar
from testbed.ante import run_ante

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<b>bold</b><script>alert(1)</script>",
    "[click](https://evil.example/x)",
    "![pixel](https://evil.example/p.png)",
    "@org/everyone please look",
    "see #1 and GH-2 and o/r#3",
    "www.evil.example and https://evil.example and a@evil.example",
    "| broken | table |",
    "line one\nline two\r\n# heading",
    "\x00\x1b[31mred\x07\x85\u2028\u202eevil",
    "`code` **strong** _em_ ~~del~~ $x^2$ &lt;b&gt; &#64;org",
    "x" * 65_536,
]
EVIL = re.compile(r"evil|alert|onerror|script|pixel", re.IGNORECASE)


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    return parser


def live_parts(html: str) -> list[str]:
    """Elements in `html` that the hostile text could have made live."""
    page = parse(html)
    found = []
    for name, attrs in page.tags:
        href = attrs.get("href", "") + attrs.get("src", "")
        if name in ("script", "b", "iframe") or EVIL.search(href):
            found.append(f"<{name} {attrs}>"[:120])
    if re.search(r"<h\d>[^<]*heading", html):
        found.append("a heading from the title")
    text = "".join(page.text)
    if re.search(r"@org/everyone|(?<![\w/])#1\b|GH-2", text):
        found.append("a mention or reference survived")
    if re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u202e]", html):
        found.append("a control character survived")
    return found


@pytest.mark.parametrize("title", HOSTILE)
def test_markdown_helper_leaves_nothing_live(title: str) -> None:
    for context in ("{}", "- {}", "| a | {} |\n|---|---|\n| x | {} |", "[{}](https://ok.example)"):
        html = cmarkgfm.github_flavored_markdown_to_html(
            context.format(escape.markdown(title), escape.markdown(title))
        )
        assert live_parts(html) == [], (context, html[:500])
    assert len(escape.markdown(title)) < 1600


def test_the_text_still_reads_as_typed() -> None:
    html = cmarkgfm.github_flavored_markdown_to_html(escape.markdown("Fix *all* the [things]"))
    assert "".join(parse(html).text).strip() == "Fix *all* the [things]"


def _seed_hostile_titles(repo: Path, title: str) -> None:
    quoted = yamlio.scalar(title)
    (repo / "ledger" / "sweeps.yaml").write_text(
        "swept:\n"
        f"- {{date: 2026-11-23, issue: https://github.com/o/r/issues/2, title: {quoted}, "
        "by: ante, reason: stale}\n"
    )
    (repo / "ledger" / "queue.yaml").write_text(
        "taken: 2026-11-18T10:00:00Z\n"
        "issues:\n"
        f"- {{number: 7, title: {quoted}, url: https://github.com/o/r/issues/7, priority: p1}}\n"
    )
    (repo / "ledger" / "pages").mkdir(exist_ok=True)
    (repo / "ledger" / "pages" / "2026.yaml").write_text(
        "pages:\n"
        f"- {{issue: https://github.com/o/r/issues/5, number: 5, title: {quoted}, "
        "rotation: oncall, opened: 2026-11-21T22:00:00Z, out_of_hours: true}\n"
    )
    members = repo / "ledger" / "members.yaml"
    members.write_text(
        members.read_text().replace("  - login: bob\n", f"  - login: bob\n    name: {quoted}\n", 1)
    )


@pytest.mark.parametrize("title", HOSTILE[:7] + HOSTILE[8:])
def test_status_md_shows_hostile_titles_as_text(team, title: str) -> None:
    _seed_hostile_titles(team.workdir, title)
    assert run_ante(["--repo", str(team.workdir), "validate", "--against", ""]).code == 0
    result = run_ante(
        ["--repo", str(team.workdir), "status", "--out", "-"],
        env={"ANTE_NOW": "2026-11-25T09:00:00Z"},
    )
    assert result.code == 0, result.err
    html = cmarkgfm.github_flavored_markdown_to_html(result.out)
    found = live_parts(html)
    assert found == [], (found, html[:3000])


def test_postmortem_and_handoff_templates_escape_titles(tmp_path: Path) -> None:
    from ante.render import templates

    for title in HOSTILE:
        body = templates.render(
            tmp_path,
            "postmortem.md.j2",
            emergency="https://github.com/o/r/issues/5",
            number=5,
            title=title,
            opened="2026-11-21T22:00:00Z",
            closed="",
            out_of_hours=True,
            captain="alice",
            first_mate=None,
            rotation="oncall",
        )
        assert live_parts(cmarkgfm.github_flavored_markdown_to_html(body)) == []


MULTILINE = 'description: "Line one\\nLine two; with, commas\\\\ and <b>@org/team</b>\\r\\n\\u0007"'


def test_a_multi_line_description_gives_a_calendar_that_parses(team) -> None:
    rotation = team.workdir / "rotations" / "oncall.yaml"
    text = rotation.read_text()
    rotation.write_text(re.sub(r"(?m)^description:.*$", lambda _: MULTILINE, text))
    assert run_ante(["--repo", str(team.workdir), "validate"]).code == 0
    result = run_ante(["--repo", str(team.workdir), "rotation", "ics"])
    assert result.code == 0, result.err
    raw = (team.workdir / "rotations" / "oncall.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "folded at 75 octets"
    calendar = Calendar.from_ical(raw)
    # icalendar leaves an X- property as written: unescape it as RFC 5545 says
    described = re.sub(
        r"\\([\\;,nN])",
        lambda m: "\n" if m[1] in "nN" else m[1],
        str(calendar["X-WR-CALDESC"]),
    )
    assert described.startswith("Line one\nLine two; with, commas\\ and")
    assert "\x07" not in described and "\r" not in described
    assert len(list(calendar.walk("VEVENT"))) > 0


@pytest.mark.parametrize("reason", HOSTILE[:7] + HOSTILE[8:])
def test_pull_request_bodies_show_a_hostile_reason_as_text(tmp_path: Path, reason: str) -> None:
    """An adjustment's reason (typed into Run workflow) and the tax rate's reason (the policy)
    land in pull request bodies as text."""
    from types import SimpleNamespace

    from ante.render import templates

    entry = SimpleNamespace(member="bob", delta=-1, by="alice", reason=reason)
    adjustment = SimpleNamespace(entry=entry, before=3, after=2)
    plan = SimpleNamespace(week="2026-W48", rate=1, reason=reason, members=(), total=0)
    bodies = [
        templates.render(tmp_path, "adjust-pr.md.j2", adjustment=adjustment, path="x.yaml"),
        templates.render(
            tmp_path,
            "tax-pr.md.j2",
            plan=plan,
            debtors=[],
            history=[],
            policy=SimpleNamespace(mode="fixed"),
            path="ledger/tax/2026-W48.yaml",
        ),
    ]
    for body in bodies:
        html = cmarkgfm.github_flavored_markdown_to_html(body)
        assert live_parts(html) == [], (live_parts(html), html[:2000])
