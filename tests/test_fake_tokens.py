"""The fake's tokens: each reaches its repositories with its permissions, refused as GitHub does."""

from __future__ import annotations

import pytest
import requests
from ante.github.adapter import connect
from ante.github.types import GitHubError
from testbed.fakegithub import FakeGitHub
from testbed.fakegithub.tokens import permissions

NOT_INTEGRATION = "Resource not accessible by integration"


def call(fake: FakeGitHub, token: str, method: str, path: str, **json: object):
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, fake.url + path, headers=headers, json=json or None)


@pytest.fixture
def product(github_fake: FakeGitHub) -> FakeGitHub:
    """o/r (public, the team's) and o/product (private), one issue each."""
    github_fake.add_repo("o/product", private=True)
    github_fake.add_issue("o/r", title="team chore", labels=["overhead"])
    github_fake.add_issue("o/product", title="product chore", labels=["overhead"])
    github_fake.catch_up_search()
    return github_fake


def test_an_unknown_token_is_bad_credentials(github_fake: FakeGitHub) -> None:
    answer = call(github_fake, "ghp_never_minted", "GET", "/repos/o/r")

    assert answer.status_code == 401
    assert answer.json()["message"] == "Bad credentials"


def test_github_token_cannot_see_a_private_repository_of_the_same_owner(
    product: FakeGitHub,
) -> None:
    token = product.workflow_token("o/r", {"issues": "write"}).value

    for path in ("/repos/o/product", "/repos/o/product/issues/1", "/repos/o/product/issues"):
        answer = call(product, token, "GET", path)
        assert (answer.status_code, answer.json()["message"]) == (404, "Not Found"), path
    refused = call(product, token, "POST", "/repos/o/product/issues/1/comments", body="hi")
    assert refused.status_code == 404
    assert product.comments("o/product", 1) == []


def test_github_token_reads_but_cannot_write_another_public_repository(
    github_fake: FakeGitHub,
) -> None:
    github_fake.add_repo("o/public")
    github_fake.add_issue("o/public")
    token = github_fake.workflow_token("o/r", "write-all").value

    assert call(github_fake, token, "GET", "/repos/o/public/issues/1").status_code == 200
    answer = call(github_fake, token, "POST", "/repos/o/public/issues/1/comments", body="hi")
    assert (answer.status_code, answer.json()["message"]) == (403, NOT_INTEGRATION)
    assert github_fake.comments("o/public", 1) == []


def test_a_missing_permission_is_403_and_changes_nothing(product: FakeGitHub) -> None:
    reader = product.workflow_token("o/r", {"issues": "read", "contents": "write"}).value

    assert call(product, reader, "GET", "/repos/o/r/issues/1").status_code == 200
    commented = call(product, reader, "POST", "/repos/o/r/issues/1/comments", body="hi")
    labelled = call(product, reader, "POST", "/repos/o/r/issues/1/labels", labels=["chip"])
    closed = call(product, reader, "PATCH", "/repos/o/r/issues/1", state="closed")
    pulls = call(product, reader, "GET", "/repos/o/r/pulls")

    for answer in (commented, labelled, closed, pulls):
        assert answer.status_code == 403
        assert answer.json()["message"] == NOT_INTEGRATION
        assert answer.json()["documentation_url"].startswith("https://docs.github.com/")
    issue = product.issue("o/r", 1)
    assert (issue.state, issue.labels, issue.comments) == ("open", ["overhead"], [])


def test_pull_requests_permission_covers_the_issue_endpoints_of_a_pull(
    github_fake: FakeGitHub,
) -> None:
    pull = github_fake.add_pull("o/r", head="ante/tax")
    issue = github_fake.add_issue("o/r")
    token = github_fake.workflow_token("o/r", {"pull-requests": "write"}).value

    on_pull = call(github_fake, token, "POST", f"/repos/o/r/issues/{pull}/labels", labels=["tax"])
    on_issue = call(github_fake, token, "POST", f"/repos/o/r/issues/{issue}/labels", labels=["x"])

    assert (on_pull.status_code, on_issue.status_code) == (200, 403)


def test_an_app_token_reaches_the_private_repositories_it_was_granted(
    product: FakeGitHub,
) -> None:
    app = product.app_token(["o/r", "o/product"], {"issues": "write"}, identity="ante-app[bot]")

    answer = call(product, app.value, "POST", "/repos/o/product/issues/1/comments", body="ack")

    assert answer.status_code == 201
    assert answer.json()["user"]["login"] == "ante-app[bot]"
    (comment,) = product.comments("o/product", 1)
    assert comment.user == "ante-app[bot]"
    assert call(product, app.value, "GET", "/user").status_code == 403


def test_a_personal_token_is_refused_in_its_own_words(product: FakeGitHub) -> None:
    pat = product.personal_token("alice", ["o/product"], {"issues": "read"}).value

    assert call(product, pat, "GET", "/user").json()["login"] == "alice"
    assert call(product, pat, "GET", "/repos/o/product/issues/1").status_code == 200
    answer = call(product, pat, "POST", "/repos/o/product/issues/1/comments", body="hi")
    assert answer.status_code == 403
    assert answer.json()["message"] == "Resource not accessible by personal access token"


def test_search_shows_only_what_the_token_sees(product: FakeGitHub) -> None:
    workflow = product.workflow_token("o/r", "read-all").value
    app = product.app_token(["o/product"], "read-all").value

    def titles(token: str, q: str) -> list[str]:
        answer = call(product, token, "GET", f"/search/issues?q={q}")
        assert answer.status_code == 200, answer.text
        return sorted(item["title"] for item in answer.json()["items"])

    assert titles(workflow, "label:overhead") == ["team chore"]
    assert titles(app, "label:overhead") == ["product chore", "team chore"]
    refused = call(product, workflow, "GET", "/search/issues?q=repo:o/product label:overhead")
    assert refused.status_code == 422
    assert "cannot be searched" in refused.json()["message"]


def test_writes_record_who_made_them_and_whether_they_start_runs(product: FakeGitHub) -> None:
    workflow = product.workflow_token("o/r").value
    app = product.app_token(["o/product"]).value
    seen = len(product.activity)

    call(product, workflow, "POST", "/repos/o/r/issues/1/labels", labels=["chip"])
    call(product, app, "PATCH", "/repos/o/product/issues/1", state="closed")
    product.add_comment("o/r", 1, "thanks", user="bob")

    happened = [
        (a.event, a.action, a.repo, a.actor, a.via, a.starts_runs)
        for a in product.activity_since(seen)
    ]
    assert happened == [
        ("issues", "labeled", "o/r", "github-actions[bot]", "workflow", False),
        ("issues", "closed", "o/product", "ante-app[bot]", "app", True),
        ("issue_comment", "created", "o/r", "bob", "web", True),
    ]
    assert [a.label for a in product.writes_by("workflow")] == ["chip"]


def test_ante_with_github_token_cannot_touch_a_private_product_repository(
    product: FakeGitHub, github_env: dict[str, str]
) -> None:
    """What a workflow's GITHUB_TOKEN gives ante: its own repository, nothing private beyond."""
    adapter = connect(github_env)
    assert adapter is not None

    assert adapter.issue("o/r", 1).title == "team chore"
    with pytest.raises(GitHubError, match="404"):
        adapter.issue("o/product", 1)


def test_permissions_read_like_a_workflow() -> None:
    assert permissions({}) == permissions({"metadata": "read"})
    assert set(permissions({}).values()) == {"none", "read"}
    assert permissions({"pull_requests": "write"})["pull-requests"] == "write"
    assert set(permissions("read-all").values()) == {"read"}
    assert permissions(None)["issues"] == "write"
    with pytest.raises(ValueError, match="unknown permission"):
        permissions({"issue": "write"})


def test_each_write_becomes_the_webhook_github_would_deliver(product: FakeGitHub) -> None:
    workflow = product.workflow_token("o/r").value
    seen = len(product.activity)
    call(product, workflow, "POST", "/repos/o/r/issues/1/labels", labels=["chip:+1"])
    product.close_issue("o/r", 1, by="alice")
    product.add_comment("o/r", 1, "thanks", user="bob")

    labeled, closed, commented = (product.webhook(a) for a in product.activity_since(seen))

    assert (labeled.event, labeled.payload["action"], labeled.starts_runs) == (
        "issues",
        "labeled",
        False,
    )
    assert labeled.payload["label"]["name"] == "chip:+1"
    assert labeled.payload["sender"] == labeled.payload["sender"] | {
        "login": "github-actions[bot]",
        "type": "Bot",
    }
    assert (closed.event, closed.payload["action"], closed.starts_runs) == (
        "issues",
        "closed",
        True,
    )
    assert closed.payload["issue"]["state_reason"] == "completed"
    assert [n["name"] for n in closed.payload["issue"]["labels"]] == ["overhead", "chip:+1"]
    assert closed.payload["repository"]["full_name"] == "o/r"
    assert (commented.event, commented.payload["comment"]["body"]) == ("issue_comment", "thanks")
    assert commented.payload["sender"]["login"] == "bob"
