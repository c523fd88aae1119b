"""Real webhook payloads: GitHub's own examples, adjusted, and checked against GitHub's schemas.

Over 300 lines on purpose: every builder shares the same example loading and schema check.

Each builder deep-copies an example from ``@octokit/webhooks-examples``, renames its repository
and people, changes the fields a test cares about, and validates the result against the
``x-webhooks`` schema of the same OpenAPI description the fake GitHub uses. The examples are
older than the description, so the builders also add the few fields it has since made required
(``has_discussions`` on repositories, for instance); a payload that still does not validate
raises ``PayloadError``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from .fakegithub import spec

EXAMPLES_PATH = (
    Path(__file__).resolve().parents[1]
    / "node_modules/@octokit/webhooks-examples/api.github.com/index.json"
)
SPEC_URI = "urn:github-openapi"
WHEN = "2025-01-06T09:00:00Z"

Json = dict[str, Any]


class PayloadError(AssertionError):
    """A built payload does not match GitHub's webhook schema."""


@cache
def _examples() -> dict[str, list[Json]]:
    listing = json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))
    return {entry["name"]: entry["examples"] for entry in listing}


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(spec().document, default_specification=DRAFT4)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return registry


def webhook_errors(key: str, payload: Json) -> list[str]:
    """Why `payload` is not a valid `key` webhook (e.g. "issues-closed"); empty when it is."""
    return [
        f"/{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in _webhook_validator(key).iter_errors(payload)
    ]


@cache
def _webhook_validator(key: str) -> Any:
    """One validator per webhook: it keeps what it resolved of the description's references."""
    body = spec().document["x-webhooks"][key]["post"]["requestBody"]
    reference = body["content"]["application/json"]["schema"]["$ref"]
    return OAS30Validator(
        {"$ref": SPEC_URI + reference},
        registry=_registry(),
        format_checker=oas30_format_checker,
    )


def example(event: str, action: str | None = None, *, valid_as: str | None = None) -> Json:
    """A deep copy of GitHub's first example of `event` (with `action`, when given).

    With `valid_as` (a webhook key), the first example that, with repositories upgraded,
    validates as that webhook; several examples predate fields the schema now requires.
    """
    candidates = [c for c in _examples()[event] if action is None or c.get("action") == action]
    if not candidates:
        raise KeyError(f"no {event}.{action} example")
    if valid_as is not None:
        for candidate in candidates:
            upgraded = copy.deepcopy(candidate)
            _upgrade_repositories(upgraded)
            if not webhook_errors(valid_as, upgraded):
                return copy.deepcopy(candidate)
    return copy.deepcopy(candidates[0])


# -- people, labels, repositories ---------------------------------------------------------------


def _id(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:7], 16)


def user(login: str, template: Json | None = None, *, type: str | None = None) -> Json:
    """A webhook user object for `login`, shaped like a real one (an App's `name[bot]` login is
    of type Bot, as on GitHub)."""
    type = type or ("Bot" if login.endswith("[bot]") else "User")
    template = template or example("issues", "opened")["sender"]
    text = json.dumps(template).replace(f"/{template['login']}", f"/{login}")
    person: Json = json.loads(text)
    person.update(login=login, id=_id(login), node_id=f"U_{_id(login)}", type=type)
    return person


def webhook_label(name: str, repo: str = "o/r", *, color: str = "ededed") -> Json:
    return {
        "id": _id(f"{repo}:{name}"),
        "node_id": f"LA_{_id(name)}",
        "url": f"https://api.github.com/repos/{repo}/labels/{name}",
        "name": name,
        "color": color,
        "default": False,
        "description": None,
    }


def _adapted(base: Json, repo: str, number: int | None = None) -> Json:
    """`base` moved to `repo` (and `number`), upgraded to what today's schema requires."""
    old = base["repository"]["full_name"]
    text = json.dumps(base).replace(f"/{old}/", f"/{repo}/").replace(f"/{old}", f"/{repo}")
    if number is not None:
        for key in ("issue", "pull_request"):
            if key in base:
                old_number = base[key]["number"]
                pattern = rf"/(issues|pulls|pull)/{old_number}(?=[\"/#.])"
                text = re.sub(pattern, rf"/\g<1>/{number}", text)
    payload: Json = json.loads(text)
    if number is not None and "issue" in payload:  # each issue its own id, as on GitHub
        payload["issue"].update(id=issue_id(repo, number), node_id=f"I_{issue_id(repo, number)}")
    owner, name = repo.split("/")
    repository = payload["repository"]
    repository.update(name=name, full_name=repo, id=_id(repo), node_id=f"R_{_id(repo)}")
    repository["owner"] = user(owner, repository["owner"])
    _upgrade_repositories(payload)
    return payload


def issue_id(repo: str, number: int) -> int:
    """A stable GitHub id for issue `number` of `repo` (examples all carry the same one)."""
    return int(hashlib.sha1(f"{repo.lower()}#{number}".encode()).hexdigest()[:8], 16) + 1


def _upgrade_repositories(node: Any) -> None:
    """Fill in repository fields GitHub's schema made required after the examples were taken."""
    if isinstance(node, dict):
        if "full_name" in node and "owner" in node:
            for key, value in {
                "has_discussions": False,
                "topics": [],
                "visibility": "public",
                "disabled": False,
            }.items():
                node.setdefault(key, value)
        for value in node.values():
            _upgrade_repositories(value)
    elif isinstance(node, list):
        for value in node:
            _upgrade_repositories(value)


def validated(key: str, payload: Json) -> Json:
    """`payload`, once it is known to be a valid `key` webhook; else PayloadError."""
    errors = webhook_errors(key, payload)
    if errors:
        raise PayloadError(f"{key} payload does not match GitHub's schema:\n" + "\n".join(errors))
    return payload


# -- events -------------------------------------------------------------------------------------


def issues_event(
    action: str,
    *,
    repo: str = "o/r",
    number: int = 1,
    title: str = "An issue",
    body: str | None = None,
    labels: Sequence[str] = (),
    label: str | None = None,
    state_reason: str | None = None,
    assignees: Sequence[str] = (),
    author: str = "octocat",
    sender: str = "octocat",
    closed_at: str = WHEN,
    state: str | None = None,
) -> Json:
    """An `issues` event; `label` is the one (un)labeled, `labels` what the issue then carries;
    `state` the issue's (by default closed for `closed`, else open: a label put on a closed
    issue says closed, as GitHub's does)."""
    state = state or ("closed" if action == "closed" else "open")
    key = f"issues-{action}"
    # GitHub publishes no issues.closed example; a reopened one is the same shape.
    like = "reopened" if action == "closed" else action
    payload = _adapted(example("issues", like, valid_as=f"issues-{like}"), repo, number)
    payload["action"] = action
    issue = payload["issue"]
    names = list(labels) + (
        [label] if label and action == "labeled" and label not in labels else []
    )
    people = [user(login, issue["user"]) for login in assignees]
    issue.update(
        number=number,
        title=title,
        body=body,
        user=user(author, issue["user"]),
        labels=[webhook_label(name, repo) for name in names],
        assignees=people,
        assignee=people[0] if people else None,
        state=state,
        state_reason=state_reason or {"closed": "completed", "reopened": "reopened"}.get(action),
        closed_at=closed_at if state == "closed" else None,
        milestone=None,
    )
    if action in ("labeled", "unlabeled"):
        payload["label"] = webhook_label(label or "bug", repo)
    if action in ("assigned", "unassigned"):
        payload["assignee"] = people[0] if people else user(sender)
    payload["sender"] = user(sender, payload["sender"])
    return validated(key, payload)


def issue_comment_event(
    action: str = "created",
    *,
    repo: str = "o/r",
    number: int = 1,
    body: str = "Thanks!",
    commenter: str = "octocat",
    labels: Sequence[str] = (),
    sender: str | None = None,
) -> Json:
    key = f"issue-comment-{action}"
    payload = _adapted(example("issue_comment", action, valid_as=key), repo, number)
    payload["issue"].update(number=number, labels=[webhook_label(n, repo) for n in labels])
    payload["comment"].update(body=body, user=user(commenter, payload["comment"]["user"]))
    payload["sender"] = user(sender or commenter, payload["sender"])
    return validated(key, payload)


def pull_request_event(
    action: str,
    *,
    repo: str = "o/r",
    number: int = 2,
    title: str = "A change",
    head: str = "feature",
    base: str = "main",
    merged: bool = False,
    labels: Sequence[str] = (),
    author: str = "octocat",
    sender: str = "octocat",
) -> Json:
    key = f"pull-request-{action.replace('_', '-')}"
    payload = _adapted(example("pull_request", action, valid_as=key), repo, number)
    pull = payload["pull_request"]
    pull.update(
        number=number,
        title=title,
        user=user(author, pull["user"]),
        labels=[webhook_label(n, repo) for n in labels],
    )
    owner = repo.partition("/")[0]
    pull["head"].update(ref=head, label=f"{owner}:{head}")
    pull["base"].update(ref=base, label=f"{owner}:{base}")
    if action == "closed":
        pull.update(
            state="closed",
            closed_at=WHEN,
            merged=merged,
            merged_at=WHEN if merged else None,
            merged_by=user(sender, pull["user"]) if merged else None,
            merge_commit_sha=("d" * 40) if merged else None,
        )
    payload.update(number=number, sender=user(sender, payload["sender"]))
    return validated(key, payload)


def push_event(
    *,
    repo: str = "o/r",
    ref: str = "refs/heads/main",
    sender: str = "octocat",
    modified: Sequence[str] = (),
    added: Sequence[str] = (),
    removed: Sequence[str] = (),
    message: str = "Update the ledger",
) -> Json:
    """A push of one commit touching the given paths."""
    payload = _adapted(example("push", valid_as="push"), repo)
    commit = copy.deepcopy(payload["head_commit"])
    commit.update(
        id="c" * 40,
        message=message,
        added=list(added),
        modified=list(modified),
        removed=list(removed),
        url=f"https://github.com/{repo}/commit/{'c' * 40}",
    )
    payload.update(
        ref=ref,
        before="b" * 40,
        after="c" * 40,
        created=False,
        deleted=False,
        commits=[commit],
        head_commit=commit,
        sender=user(sender, payload["sender"]),
    )
    payload["pusher"] = {"name": sender, "email": f"{sender}@users.noreply.github.com"}
    return validated("push", payload)


def workflow_dispatch_event(
    *,
    repo: str = "o/r",
    ref: str = "refs/heads/main",
    workflow: str = ".github/workflows/ante.yml",
    inputs: dict[str, Any] | None = None,
    sender: str = "octocat",
) -> Json:
    payload = _adapted(example("workflow_dispatch", valid_as="workflow-dispatch"), repo)
    payload.update(ref=ref, workflow=workflow, inputs=inputs or {})
    payload["sender"] = user(sender, payload["sender"])
    return validated("workflow-dispatch", payload)


def repository_dispatch_event(
    action: str,
    *,
    repo: str = "o/r",
    client_payload: dict[str, Any] | None = None,
    branch: str = "main",
    sender: str = "octocat",
) -> Json:
    """`action` is the dispatch's event_type; the spec describes this event only by its sample."""
    payload = _adapted(example("repository_dispatch"), repo)
    payload.update(action=action, branch=branch, client_payload=client_payload or {})
    payload["sender"] = user(sender, payload["sender"])
    return validated("repository-dispatch-sample.collected", payload)


def event_env(directory: Path, name: str, payload: Json) -> dict[str, str]:
    """Write `payload` where Actions would and return GITHUB_EVENT_NAME/GITHUB_EVENT_PATH."""
    path = directory / f"{name}.event.json"
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return {"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path)}
