"""The award and sync workflows, and the README's forwarding recipe, say what they should."""

from __future__ import annotations

from pathlib import Path

import yaml
from ante.github import payloads
from testbed import forwarding
from testbed.awardkit import event_payload

ROOT = Path(__file__).resolve().parents[1]


def workflow(name: str) -> dict:
    data = yaml.safe_load((ROOT / ".github/workflows" / name).read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as a boolean
    return data


def test_the_issue_workflow_listens_to_issue_events_and_forwarded_ones() -> None:
    data = workflow("issue.yml")
    on = data["on"]
    assert set(on["issues"]["types"]) >= {"closed", "reopened", "labeled", "unlabeled"}
    assert "opened" not in on["issues"]["types"]  # labels on a new issue come as `labeled`
    assert on["repository_dispatch"]["types"] == ["ante-issue"]
    assert on["workflow_dispatch"]["inputs"]["issue"]["required"] is True
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "write", "issues": "write"}
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs == ['ante issue --event "$GITHUB_EVENT_PATH" --push']
    assert workflow("sync.yml")["on"]["schedule"]


def test_readme_forwarding_recipe_sends_what_ante_reads() -> None:
    full = event_payload("closed", labels=["overhead:large"], assignees=["alice", "bob"])
    dispatch = forwarding.forward(full)
    assert dispatch is not None and dispatch["event_type"] == "ante-issue"
    forwarded = dispatch["client_payload"]
    assert len(forwarded) <= 10  # repository_dispatch's limit on top-level keys
    assert payloads.from_event(forwarded) == payloads.from_event(full)
