"""`ante validate` fails when the workflows' filters or the handoff cron disagree with the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ante.files import workflows
from testbed.ante import run_ante

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """This repository's own data and workflows, copied."""
    target = tmp_path / "team"
    for part in ("ledger", "rotations", ".github"):
        shutil.copytree(ROOT / part, target / part)
    shutil.copy(ROOT / "ante.yaml", target / "ante.yaml")
    return target


def validate(repo: Path):
    return run_ante(["--repo", str(repo), "validate"])


def test_the_shipped_workflows_agree_with_the_shipped_data(repo: Path) -> None:
    result = validate(repo)
    assert result.code == 0, result.err


def test_a_renamed_overhead_label_fails_naming_the_filter_line(repo: Path) -> None:
    policy = repo / "ledger" / "policy.yaml"
    policy.write_text(
        policy.read_text().replace("overhead_label: overhead", "overhead_label: chore")
    )
    result = validate(repo)
    assert result.code == 1
    line = next(
        n
        for n, text in enumerate((repo / ".github/workflows/issue.yml").read_text().splitlines(), 1)
        if text.strip().startswith("if:")
    )
    assert f".github/workflows/issue.yml:{line}" in result.err
    assert "`chore`" in result.err and "labelled or unlabelled or closed or reopened" in result.err


def test_a_new_emergency_label_must_be_let_through(repo: Path) -> None:
    rotation = repo / "rotations" / "oncall.yaml"
    text = rotation.read_text()
    assert "emergency_label: product-emergency" in text
    rotation.write_text(text.replace("emergency_label: product-emergency", "emergency_label: sev1"))
    result = validate(repo)
    assert result.code == 1 and "`sev1`" in result.err


def test_a_handoff_cron_before_the_handoff_time_in_summer_or_winter_fails(repo: Path) -> None:
    path = repo / ".github/workflows/handoff.yml"
    path.write_text(path.read_text().replace('cron: "5 10 * * 3"', 'cron: "5 9 * * 3"'))
    result = validate(repo)  # 09:05 UTC is 09:05 in London in winter: before 10:00
    assert result.code == 1 and "handoff" in result.err and "cron is UTC" in result.err
    path.write_text(path.read_text().replace('cron: "5 9 * * 3"', 'cron: "5 10 * * 4"'))
    assert validate(repo).code == 1  # a day late


def test_what_the_filter_lets_through() -> None:
    condition = (
        "startsWith(github.event.label.name, 'overhead') || github.event.label.name == 'sev1' "
        "|| contains(join(github.event.issue.labels.*.name, ' '), 'overhead')"
    )
    assert workflows.uncovered(condition, "Overhead:large") == []
    assert workflows.uncovered(condition, "sev1") == ["closed or reopened"]
    assert workflows.uncovered(condition, "chore") == [
        "labelled or unlabelled",
        "closed or reopened",
    ]
