"""`ante demo`: the offline end-to-end story leaves a valid team repo and a STATUS.md to read."""

from __future__ import annotations

import json
from pathlib import Path

import cmarkgfm
from testbed.ante import run_ante
from testbed.gitbed import git


def test_demo_replays_a_quarter_offline(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = run_ante(["demo", "--out", str(out)], env={})  # no token, no clock pin
    assert result.code == 0, result.err
    team = out / "team"
    status = team / "STATUS.md"
    assert f"STATUS.md: {status}" in result.out
    assert run_ante(["--repo", str(team), "validate"], env={}).code == 0
    balances = json.loads(run_ante(["--repo", str(team), "balance", "--format", "json"]).out)
    assert set(balances) == {"alice", "bob", "carol", "dave", "erin", "frank"}
    html = cmarkgfm.github_flavored_markdown_to_html(status.read_text())
    for login, chips in balances.items():
        statement = f"ledger/statements/{login}.md"
        assert (
            f'>{login}</a></td>\n<td align="right"><a href="{statement}">{chips}</a></td>' in html
        )
        assert f"**Balance: {chips} chip" in (team / statement).read_text()
    # the quarter really happened, on real git: awards, taxes and handoffs reached origin
    history = git(out / "origin.git", "log", "--oneline", "main")
    assert "chip @" in history and "Merge weekly chip tax" in history
    assert len(list((team / "ledger" / "journal").rglob("tax-*.yaml"))) == 13
    assert git(team, "status", "--porcelain") == ""

    # Out-of-hours pages per month and person, against a hand count of the demo's data: it
    # pages three emergencies, each on a Saturday (out of hours: the working days are Monday to
    # Friday), when the captains on call were erin (Aug 29, 22:00), carol (Oct 3, 22:00) and
    # alice (Nov 7, 10:00); nobody acknowledged on GitHub, so nobody else was woken.
    hand_count = {"2026-08-31": ("erin", 1), "2026-10-15": ("carol", 1), "2026-11-18": ("alice", 1)}
    for day, (login, pages) in hand_count.items():
        shown = run_ante(["--repo", str(team), "--now", f"{day}T12:00:00Z", "status", "--out", "-"])
        woken = shown.out.split("| Woken out of hours this month | Pages |")[1].split("\n\n")[0]
        rows = [line for line in woken.splitlines() if line.startswith("| [@")]
        assert rows == [f"| [@{login}](https://github.com/{login}) | {pages} |"], (day, rows)
        assert "| `oncall` | 1 | fewer than 10 (on track) |" in shown.out
    september = run_ante(
        ["--repo", str(team), "--now", "2026-09-15T12:00:00Z", "status", "--out", "-"]
    )
    assert "| `oncall` | 0 | fewer than 10 (on track) |" in september.out
    assert "Woken out of hours this month" not in september.out


def test_demo_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = run_ante(["demo", "--out", str(tmp_path)])
    assert result.code == 1 and "not empty" in result.err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
