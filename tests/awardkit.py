"""Builders for award tests: `issues` event payloads made from @octokit/webhooks-examples."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

EXAMPLES = (
    Path(__file__).parent / "node_modules/@octokit/webhooks-examples/api.github.com/index.json"
)


@cache
def _examples() -> dict[str, dict[str, Any]]:
    data = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    found: dict[str, dict[str, Any]] = {}
    for group in data:
        if group["name"] == "issues":
            for example in group["examples"]:
                found.setdefault(example["action"], example)
    return found


def _user(template: dict[str, Any], login: str) -> dict[str, Any]:
    user = copy.deepcopy(template)
    for key, value in list(user.items()):
        if isinstance(value, str):
            user[key] = value.replace(template["login"], login)
    user["login"] = login
    user["type"] = "Bot" if login.endswith("[bot]") else "User"
    return user


def event_payload(
    action: str,
    *,
    number: int = 1,
    repo: str = "Codertocat/Hello-World",
    labels: list[str] | None = None,
    assignees: list[str] | None = None,
    state: str | None = None,
    state_reason: str | None = None,
    updated_at: str = "2026-11-17T10:00:00Z",
    sender: str = "Codertocat",
    label: str | None = None,
) -> dict[str, Any]:
    """An `issues` payload shaped like GitHub's example for `action`, with this issue's state."""
    examples = _examples()
    payload = copy.deepcopy(examples.get(action) or examples["labeled"])
    payload["action"] = action
    issue = payload["issue"]
    someone = issue["user"]
    old_repo = payload["repository"]["full_name"]
    for key, value in list(issue.items()):
        if isinstance(value, str):
            issue[key] = value.replace(f"{old_repo}/issues/1", f"{repo}/issues/{number}")
            issue[key] = issue[key].replace(old_repo, repo)
    issue["number"] = number
    label_template = (
        issue.get("labels")
        or [
            {
                "name": "x",
                "id": 1,
                "node_id": "x",
                "url": "x",
                "color": "ededed",
                "default": False,
                "description": None,
            }
        ]
    )[0]
    names = ["overhead"] if labels is None else labels
    issue["labels"] = [
        {
            **label_template,
            "name": name,
            "id": 1000 + i,
            "url": f"https://api.github.com/repos/{repo}/labels/{name}",
        }
        for i, name in enumerate(names)
    ]
    people = ["alice"] if assignees is None else assignees
    issue["assignees"] = [_user(someone, login) for login in people]
    issue["assignee"] = issue["assignees"][0] if people else None
    if state is None:
        state = "closed" if action == "closed" else "open"
    if state_reason is None:
        state_reason = {"closed": "completed", "reopened": "reopened"}.get(action)
        if state == "closed" and state_reason is None:
            state_reason = "completed"
    issue["state"], issue["state_reason"] = state, state_reason
    issue["created_at"] = "2026-11-10T09:00:00Z"
    issue["updated_at"] = updated_at
    issue["closed_at"] = updated_at if state == "closed" else None
    payload["repository"]["full_name"] = repo
    payload["repository"]["name"] = repo.split("/")[1]
    payload["sender"] = _user(someone, sender)
    if label is not None or action in ("labeled", "unlabeled"):
        payload["label"] = {**label_template, "name": label or names[0]}
    else:
        payload.pop("label", None)
    return payload


def write_event(folder: Path, payload: dict[str, Any], *, name: str = "event.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path
