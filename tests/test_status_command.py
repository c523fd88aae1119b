"""`ante status` end to end: a real team repo, every kind of data file, no token, no API."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from ante.clock import parse_instant
from ante.core import rotation
from ante.core.models import Entry
from ante.files.journal import Store
from test_status import dom, headings, section
from testbed.ante import NOW, run_ante
from testbed.gitbed import TeamRemote

URL = "https://github.com/acme/app/issues/{}"


def write(repo: Path, path: str, text: str) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def award(repo: Path, number: int, login: str, day: str, chips: int = 1) -> None:
    store = Store(repo)
    ledger = store.load()
    text = (
        f"{{id: 'award:acme/app#{number}', date: {day}, kind: award, member: {login}, "
        f"delta: {chips}, ref: '{URL.format(number)}'}}"
    )
    store.append(ledger, [Entry.model_validate(yaml.safe_load(text))])


def team_data(repo: Path) -> None:
    """Every file STATUS.md reads, as the tools that own them write them."""
    example = rotation.example(["alice", "bob", "carol"], parse_instant("2026-11-01").date())
    example = example.replace("escalation: [alice]", "escalation: [grace]")
    example = example.replace("timezone: UTC ", "timezone: Europe/Paris")
    for old in (repo / "rotations").glob("*.yaml"):  # init's example: replaced by this one
        old.unlink()
    write(repo, "rotations/product.yaml", example)
    weeks = "\n".join(
        f"- {{week: 2026-W{w:02d}, open: {60 - 2 * (w - 30)}, opened: 5, closed: 7}}"
        for w in range(30, 47)
    )
    write(repo, "ledger/metrics/backlog.yaml", f"weeks:\n{weeks}\n")
    write(
        repo,
        "ledger/journal/2026/tax-2026-W47.yaml",
        "week: 2026-W47\nrate: 1\nreason: The backlog is draining, so the tax stays at 1 chip.\n"
        "entries:\n"
        + "".join(
            f"- {{id: 'tax:2026-W47:{m}', date: 2026-11-18, kind: tax, member: {m}, "
            f"delta: -1, ref: tax/2026-W47}}\n"
            for m in ("bob", "carol")
        ),
    )
    write(
        repo,
        "ledger/pages/2026.yaml",
        "pages:\n"
        f"- {{issue: '{URL.format(50)}', number: 50, title: Checkout down, rotation: product, "
        f"opened: 2026-11-10T02:00:00Z, out_of_hours: true, captain: alice, "
        f"closed: 2026-11-10T05:00:00Z, postmortem: '{URL.format(51)}'}}\n"
        f"- {{issue: '{URL.format(52)}', number: 52, title: Slow search, rotation: product, "
        f"opened: 2026-11-17T14:00:00Z, out_of_hours: false, captain: alice}}\n",
    )
    write(
        repo,
        "ledger/queue.yaml",
        "taken: 2026-11-18T10:00:00Z\nissues:\n"
        f"- {{number: 7, title: Fix the export, url: '{URL.format(7)}', priority: P1, "
        "due: 2026-11-20}\n"
        f"- {{number: 9, title: Tidy the logs, url: '{URL.format(9)}'}}\n",
    )
    award(repo, 40, "alice", "2026-11-18", 2)


def test_status_renders_every_section_from_the_repo(team: TeamRemote, tmp_path: Path) -> None:
    repo = team.workdir
    team_data(repo)
    summary = tmp_path / "summary.md"
    env = {"ANTE_NOW": NOW, "GITHUB_STEP_SUMMARY": str(summary)}
    result = run_ante(["--repo", str(repo), "status"], env=env)
    assert result.code == 0, result.err
    assert result.out == "wrote STATUS.md and 3 statement page(s) in ledger/statements/\n"
    assert "### ante status" in summary.read_text() and "wrote STATUS.md" in summary.read_text()
    text = (repo / "STATUS.md").read_text()
    root = dom(text)
    assert headings(root) == [
        "On call now",
        "Chip balances",
        "This week's tax",
        "Overhead backlog",
        "Maintenance queue",
        "Schedule",
        "Pages this month",
        "Recent awards",
        "Post-mortems",
    ]
    on_call = section(root, "On call now")
    assert [img.attrs["alt"] for img in on_call[0].find_all("img")] and len(
        on_call[0].find_all("tbody")[0].find_all("tr")
    ) == 2
    assert "Escalation: @grace." in " ".join(n.text for n in on_call)
    assert "Until Wed 25 Nov 10:00 CET, then @alice (captain)" in dom(text).text
    balances = section(root, "Chip balances")[0].find_all("tbody")[0].find_all("tr")
    assert [r.find_all("img")[0].attrs["alt"] for r in balances] == ["@alice", "@bob", "@carol"]
    tax = section(root, "This week's tax")[0].text
    assert tax.startswith("2026-W47: 1 chip per member, 2 chips collected from 2 members.")
    assert "28 open** at the end of 2026-W46" in text
    queue = section(root, "Maintenance queue")[1].find_all("tbody")[0].find_all("tr")
    assert [[td.text for td in r.find_all("td")] for r in queue] == [
        ["#7", "Fix the export", "P1", "2026-11-20"],
        ["#9", "Tidy the logs", "", ""],
    ]
    schedule = section(root, "Schedule")[0].find_all("tbody")[0].find_all("tr")
    assert len(schedule) == 8
    assert "November 2026: **1 in hours, 1 out of hours**" in text
    assert "[acme/app#51](https://github.com/acme/app/issues/51) Checkout down" in text

    again = run_ante(["--repo", str(repo), "status"], env=env)
    assert again.out == "unchanged: STATUS.md\n"
    assert (repo / "STATUS.md").read_text() == text


def test_a_bare_ledger_leaves_the_other_sections_out(team: TeamRemote) -> None:
    shutil.rmtree(team.workdir / "rotations")
    result = run_ante(["--repo", str(team.workdir), "status", "--out", "-"])
    assert result.code == 0, result.err
    assert headings(dom(result.out)) == ["Chip balances"]
    assert "None" not in result.out and "\n\n\n" not in result.out


def test_a_new_team_sees_its_schedule_at_once(team: TeamRemote) -> None:
    result = run_ante(["--repo", str(team.workdir), "status", "--out", "-"])
    assert result.code == 0, result.err
    root = dom(result.out)
    assert headings(root) == ["Chip balances", "Schedule", "Pages this month"]
    rows = next(t for t in section(root, "Schedule") if t.tag == "table").find_all("tr")[1:]
    assert len(rows) == 8 and all(r.find_all("a") for r in rows)
    assert "0 in hours, 0 out of hours" in result.out


def test_refresh_writes_a_summary_too(team: TeamRemote, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = run_ante(
        ["--repo", str(team.workdir), "refresh"],
        env={"ANTE_NOW": NOW, "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.code == 0, result.err
    assert summary.read_text().startswith("### ante refresh")
    assert (team.workdir / "STATUS.md").exists()


def test_the_four_weeks_reach_back_into_last_year(tmp_path: Path) -> None:
    repo = tmp_path / "team"
    made = run_ante(
        ["init", str(repo), "--members", "alice,bob"], env={"ANTE_NOW": "2025-12-01T09:00:00Z"}
    )
    assert made.code == 0, made.err
    shutil.rmtree(repo / "rotations")
    award(repo, 1, "bob", "2025-12-30", 2)  # the period of 2025
    award(repo, 2, "bob", "2026-01-02")  # opens 2026 with a checkpoint
    assert (repo / "ledger" / "journal" / "2026" / "opening.yaml").exists()
    result = run_ante(
        ["--repo", str(repo), "status", "--out", "-"], env={"ANTE_NOW": "2026-01-05T12:00:00Z"}
    )
    assert result.code == 0, result.err
    rows = section(dom(result.out), "Chip balances")[0].find_all("tbody")[0].find_all("tr")
    bob = next(r for r in rows if r.find_all("img")[0].attrs["alt"] == "@bob")
    assert [td.text for td in bob.find_all("td")][2:] == ["5", "+3"]
