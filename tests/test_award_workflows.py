"""The award and sync workflows, and the README's forwarding recipe, say what they should."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from ante.github import payloads
from testbed.awardkit import event_payload

ROOT = Path(__file__).resolve().parents[1]


def workflow(name: str) -> dict:
    data = yaml.safe_load((ROOT / ".github/workflows" / name).read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as a boolean
    return data


@pytest.mark.parametrize("name", ["award.yml", "sync.yml"])
def test_ledger_writers_share_the_group_and_ask_only_for_what_they_use(name: str) -> None:
    data = workflow(name)
    assert data["concurrency"] == {"group": "ante-ledger", "cancel-in-progress": False}
    assert data["permissions"] == {}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "write", "issues": "write"}
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert len(runs) == 1 and runs[0].startswith("ante ") and "--push" in runs[0]
    assert "${{" not in runs[0]
    assert "workflow_dispatch" in data["on"]


def test_award_listens_to_issue_events_and_forwarded_ones() -> None:
    on = workflow("award.yml")["on"]
    assert set(on["issues"]["types"]) >= {"closed", "reopened", "labeled", "unlabeled"}
    assert on["repository_dispatch"]["types"] == ["ante-issue"]
    assert on["workflow_dispatch"]["inputs"]["issue"]["required"] is True
    assert workflow("sync.yml")["on"]["schedule"]


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_readme_forwarding_recipe_sends_what_ante_reads() -> None:
    readme = (ROOT / "README.md").read_text()
    program = re.search(r"jq '(\{event_type.*?)' \\", readme, re.S)
    assert program, "the forwarding recipe's jq program is missing from the README"
    full = event_payload("closed", labels=["overhead:large"], assignees=["alice", "bob"])
    sent = subprocess.run(
        ["jq", program.group(1)], input=json.dumps(full), capture_output=True, text=True, check=True
    )
    dispatch = json.loads(sent.stdout)
    assert dispatch["event_type"] == "ante-issue"
    forwarded = dispatch["client_payload"]
    assert len(forwarded) <= 10  # repository_dispatch's limit on top-level keys
    assert payloads.from_event(forwarded) == payloads.from_event(full)
