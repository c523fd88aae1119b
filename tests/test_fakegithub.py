"""The fake GitHub itself: PyGithub talks to it, the contract check bites, faults behave."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from github import Auth, Github, GithubException
from testbed import payloads
from testbed.fakegithub import FIXTURE_TOKEN, FakeGitHub, date_matcher, parse_search, spec

R = "o/r"
AUTH = {"Authorization": f"token {FIXTURE_TOKEN}"}

pytest_plugins = ["pytester"]


@pytest.fixture
def client(github_fake: FakeGitHub) -> Github:
    """Plain PyGithub, no retries, pointed at the fake."""
    return Github(
        auth=Auth.Token(FIXTURE_TOKEN),
        base_url=github_fake.url,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )


def test_the_spec_is_loaded_once_per_session() -> None:
    assert spec() is spec()
    assert "/repos/{owner}/{repo}/issues/{issue_number}/timeline" in spec().document["paths"]


def test_pygithub_round_trip_is_contract_clean(github_fake: FakeGitHub, client: Github) -> None:
    number = github_fake.add_issue(R, title="hello", labels=["bug"], user="alice")
    github_fake.add_comment(R, number, "first!", user="bob")
    repo = client.get_repo(R)

    issue = repo.get_issue(number)
    issue.edit(state="closed", state_reason="not_planned", assignees=["bob"])
    comment = issue.create_comment("hi")
    comment.edit("hi again")
    issue.edit(labels=["chip", "bug"])
    issue.remove_from_labels("bug")

    assert [c.body for c in issue.get_comments()] == ["first!", "hi again"]
    assert [e.event for e in issue.get_timeline()] == [
        "labeled",
        "commented",
        "closed",
        "commented",
        "labeled",
        "unlabeled",
    ]
    stored = github_fake.issue(R, number)
    assert (stored.state, stored.state_reason, stored.closed_by) == (
        "closed",
        "not_planned",
        "github-actions[bot]",
    )
    assert stored.labels == ["chip"] and stored.assignees == ["bob"]
    closer = repo.get_issue(number).closed_by
    assert closer is not None and closer.login == "github-actions[bot]"
    with pytest.raises(GithubException) as refused:  # GITHUB_TOKEN has no user behind it
        _ = client.get_user().login
    assert refused.value.status == 403
    assert client.get_rate_limit().rate.limit == 5000
    assert github_fake.violations == []


def test_urls_in_bodies_point_at_the_fake(github_fake: FakeGitHub) -> None:
    number = github_fake.add_issue(R)

    body = requests.get(f"{github_fake.url}/repos/o/r/issues/{number}", headers=AUTH).json()

    assert body["url"] == f"{github_fake.url}/repos/o/r/issues/{number}"
    assert body["html_url"] == f"https://github.com/o/r/issues/{number}"
    assert requests.get(body["comments_url"], headers=AUTH).json() == []


def test_calls_are_counted_by_method_and_path(github_fake: FakeGitHub, client: Github) -> None:
    number = github_fake.add_issue(R)
    repo = client.get_repo(R)
    repo.get_issue(number).create_comment("x")

    assert github_fake.calls == [
        ("GET", "/repos/o/r"),
        ("GET", f"/repos/o/r/issues/{number}"),
        ("POST", f"/repos/o/r/issues/{number}/comments"),
    ]
    assert github_fake.count() == 3
    assert github_fake.count("get") == 2
    assert github_fake.count(path_prefix="/repos/o/r/issues/") == 2
    assert github_fake.count("POST", "/repos/o/r/issues/") == 1


# -- the contract check -------------------------------------------------------------------------


def test_pygithub_label_helpers_break_the_published_contract(
    github_fake: FakeGitHub, client: Github
) -> None:
    """PyGithub sends a bare array; the description only allows {"labels": [...]}."""
    number = github_fake.add_issue(R)
    issue = client.get_repo(R).get_issue(number)

    with pytest.raises(GithubException):
        issue.add_to_labels("chip")
    with pytest.raises(GithubException):
        issue.set_labels("chip")

    violations = github_fake.take_violations()
    assert [(v.kind, v.method) for v in violations] == [("request", "POST"), ("request", "PUT")]
    assert {v.path for v in violations} == {f"/repos/o/r/issues/{number}/labels"}
    assert github_fake.issue(R, number).labels == []


def test_unknown_paths_and_bad_bodies_are_violations(github_fake: FakeGitHub) -> None:
    unknown = requests.get(f"{github_fake.url}/repos/o/r/no-such-thing", headers=AUTH)
    untitled = requests.post(f"{github_fake.url}/repos/o/r/issues", json={}, headers=AUTH)
    wrong_state = requests.patch(
        f"{github_fake.url}/repos/o/r/issues/1", json={"state": "shut"}, headers=AUTH
    )

    assert (unknown.status_code, untitled.status_code, wrong_state.status_code) == (404, 422, 422)
    messages = [str(v) for v in github_fake.take_violations()]
    assert "PathNotFound" in messages[0]
    assert "'title' is a required property" in messages[1]
    assert "'shut' is not one of" in messages[2]
    assert github_fake.issues(R) == []


def test_a_request_checked_before_is_refused_again_and_a_changed_body_is_checked(
    github_fake: FakeGitHub,
) -> None:
    """The contract keeps each distinct request's complaints (method, URL, type and body)."""
    url = f"{github_fake.url}/repos/o/r/issues"
    answers = [
        requests.post(url, json=body, headers=AUTH).status_code
        for body in ({"title": "ok"}, {}, {}, {"title": "ok", "assignees": "alice"})
    ]

    assert answers == [201, 422, 422, 422]
    messages = [str(v) for v in github_fake.take_violations()]
    assert len(messages) == 3 and "'title' is a required property" in messages[1]
    assert "'alice' is not of type 'array'" in messages[2]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/repos/o/r/issues/7"),
        ("get", "/repos/o/r/issues/7/comments"),
        ("post", "/repos/o/r/issues/7/labels"),
        ("get", "/repos/o/r/issues/comments/12"),  # a concrete path beside a templated one
        ("get", "/search/issues"),
        ("patch", "/repos/o/r/git/refs/heads/main"),
        ("get", "/repos/o/r/no-such-thing"),  # PathNotFound
        ("put", "/repos/o/r/issues/7/comments"),  # OperationNotFound
    ],
)
def test_the_path_finder_finds_what_openapi_cores_own_finds(method: str, path: str) -> None:
    from openapi_core.templating.paths.finders import APICallPathFinder
    from testbed.fakegithub.contract import PathFinder

    description = spec().openapi.spec
    url = f"http://localhost{path}"
    answers: list[object] = []
    for finder in (APICallPathFinder(description), PathFinder(description)):
        for _ in range(2):  # the second answer is the kept one
            try:
                found = finder.find(method, url)
            except Exception as error:  # the same refusal is the answer
                answers.append(type(error).__name__)
            else:
                answers.append((found.path_result.resolved, found.path_result.variables))
    assert answers[1:] == answers[:1] * 3


def test_a_response_that_breaks_the_schema_is_a_violation(github_fake: FakeGitHub) -> None:
    number = github_fake.add_issue(R)

    def drop_number(body: Any) -> Any:
        del body["number"]
        return body

    github_fake.tamper("GET", r"/issues/\d+$", drop_number)
    requests.get(f"{github_fake.url}/repos/o/r/issues/{number}", headers=AUTH)
    requests.get(f"{github_fake.url}/repos/o/r/issues/{number}", headers=AUTH)  # untampered

    [violation] = github_fake.take_violations()
    assert violation.kind == "response"
    assert "'number' is a required property" in violation.message


def test_operations_the_fake_lacks_are_reported(github_fake: FakeGitHub) -> None:
    response = requests.get(f"{github_fake.url}/repos/o/r/releases", headers=AUTH)

    assert response.status_code == 404
    [violation] = github_fake.take_violations()
    assert violation.kind == "fake" and "does not implement" in violation.message


def test_requests_without_a_token_are_refused(github_fake: FakeGitHub) -> None:
    assert requests.get(f"{github_fake.url}/repos/o/r").status_code == 401


def test_the_fixture_fails_a_test_that_broke_the_contract(pytester: pytest.Pytester) -> None:
    pytester.syspathinsert(str(Path(__file__).parent))
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(
        """
        import requests

        def test_bad(github_fake):
            auth = {"Authorization": "token ghs_fake_token"}
            requests.get(github_fake.url + "/nope", headers=auth)
        """
    )

    result = pytester.runpytest_inprocess("-p", "no:hypothesispytest", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*GitHub contract violations:*", "*PathNotFound*"])


# -- state: issues, lists, timeline, permission, pulls ------------------------------------------


def test_listing_issues_filters_sorts_and_paginates(
    github_fake: FakeGitHub, client: Github
) -> None:
    for n in range(5):
        github_fake.add_issue(R, title=f"chip {n}", labels=["chip"])
    github_fake.add_issue(R, title="closed chip", labels=["chip"], state="closed")
    github_fake.add_issue(R, title="other")

    params: dict[str, str | int] = {"labels": "chip", "per_page": 2, "sort": "created"}
    response = requests.get(
        f"{github_fake.url}/repos/o/r/issues",
        params={**params, "direction": "asc"},
        headers=AUTH,
    )
    everything = client.get_repo(R).get_issues(state="all", labels=["chip"])

    assert [i["title"] for i in response.json()] == ["chip 0", "chip 1"]
    assert 'rel="next"' in response.headers["Link"] and "page=3" in response.headers["Link"]
    assert len(list(everything)) == 6


def test_the_clock_makes_every_write_distinct(github_fake: FakeGitHub) -> None:
    github_fake.now = datetime(2030, 5, 1, tzinfo=UTC)
    number = github_fake.add_issue(R, labels=["a", "b"])
    github_fake.add_comment(R, number, "x")

    issue = github_fake.issue(R, number)
    times = [e.created_at for e in issue.events]
    assert len(set(times)) == 3 and times == sorted(times)
    assert issue.created_at == datetime(2030, 5, 1, 0, 0, 1, tzinfo=UTC)
    assert issue.updated_at == times[-1] == github_fake.now


def test_permission_reports_legacy_and_fine_grained_roles(github_fake: FakeGitHub) -> None:
    github_fake.set_permission(R, "tess", "triage")
    github_fake.set_permission(R, "mo", "maintain")

    def permission(login: str) -> tuple[str, str]:
        url = f"{github_fake.url}/repos/o/r/collaborators/{login}/permission"
        body = requests.get(url, headers=AUTH).json()
        return body["permission"], body["role_name"]

    assert permission("tess") == ("read", "triage")
    assert permission("mo") == ("write", "maintain")
    assert permission("nobody") == ("read", "read")


def test_pulls_share_numbers_with_issues_and_refuse_duplicates(
    github_fake: FakeGitHub, client: Github
) -> None:
    github_fake.add_issue(R)
    repo = client.get_repo(R)

    pull = repo.create_pull(base="main", head="ante/week-4", title="Week 4", body="b")
    with pytest.raises(GithubException) as duplicate:
        repo.create_pull(base="main", head="ante/week-4", title="again", body="")
    github_fake.label_issue(R, pull.number, "ante", by="alice")

    assert pull.number == 2
    assert duplicate.value.status == 422
    assert "already exists" in json.dumps(duplicate.value.data)
    assert [p.number for p in repo.get_pulls(head="o:ante/week-4")] == [2]
    assert repo.get_pulls(head="o:other").totalCount == 0
    assert repo.get_issue(2).pull_request is not None
    assert [label.name for label in repo.get_pull(2).labels] == ["ante"]

    github_fake.merge_pull(R, 2, by="alice")
    merged = repo.get_pull(2)
    assert (merged.state, merged.merged, merged.merged_by.login) == ("closed", True, "alice")
    assert list(repo.get_pulls()) == []


# -- search -------------------------------------------------------------------------------------


def test_search_qualifiers(github_fake: FakeGitHub) -> None:
    github_fake.now = datetime(2025, 2, 1, tzinfo=UTC)
    jan = datetime(2025, 1, 10, tzinfo=UTC)
    a = github_fake.add_issue(R, labels=["on call"], created_at=jan)
    b = github_fake.add_issue(R, labels=["chip"], state="closed", closed_at=jan, created_at=jan)
    c = github_fake.add_pull(R, head="x", labels=["chip"])
    github_fake.add_repo("other/repo")
    github_fake.add_issue("other/repo", labels=["chip"])
    github_fake.catch_up_search()

    def numbers(query: str) -> list[int]:
        response = requests.get(
            f"{github_fake.url}/search/issues",
            params={"q": query, "sort": "created", "order": "asc"},
            headers=AUTH,
        )
        return [item["number"] for item in response.json()["items"]]

    assert numbers('repo:o/r label:"on call"') == [a]
    assert numbers("repo:o/r label:chip is:issue") == [b]
    assert numbers("repo:o/r label:chip is:pr is:open") == [c]
    assert numbers("repo:o/r -label:chip") == [a]
    assert numbers("repo:o/r state:closed closed:2025-01-10") == [b]
    assert numbers("repo:o/r created:2025-01-01..2025-01-31") == [a, b]
    assert numbers("repo:o/r created:>2025-01-10") == [c]
    assert numbers("label:chip") == [b, c, 1]
    # like GitHub, several repo: qualifiers mean "in any of these repositories"
    assert numbers("repo:o/r repo:other/repo label:chip is:issue") == [b, 1]
    assert numbers("repo:other/repo label:chip") == [1]


def test_unsupported_search_qualifiers_are_reported(github_fake: FakeGitHub) -> None:
    url = f"{github_fake.url}/search/issues"
    response = requests.get(url, params={"q": "repo:o/r team:x"}, headers=AUTH)

    assert response.status_code == 422
    [violation] = github_fake.take_violations()
    assert "team:x" in violation.message


def test_date_matcher_and_parser_edges() -> None:
    instant = datetime(2025, 1, 10, 12, tzinfo=UTC)
    assert date_matcher(">=2025-01-10")(instant)
    assert not date_matcher(">2025-01-10")(instant)  # a date means the whole day
    assert date_matcher("<2025-01-10T12:00:01Z")(instant)
    assert date_matcher("*..2025-01-10")(instant)
    assert not date_matcher(">=2025-01-01")(None)
    with pytest.raises(ValueError, match="not supported"):
        parse_search("is:locked")


# -- faults -------------------------------------------------------------------------------------


def test_faults_are_consumed_in_order_and_counted(github_fake: FakeGitHub) -> None:
    number = github_fake.add_issue(R)
    url = f"{github_fake.url}/repos/o/r/issues/{number}"
    github_fake.inject("GET", r"/issues/\d+$", status=502, times=2)
    github_fake.inject("GET", r"/issues/\d+$", status=403, retry_after=7)

    statuses = [requests.get(url, headers=AUTH) for _ in range(4)]

    assert [r.status_code for r in statuses] == [502, 502, 403, 200]
    assert statuses[2].headers["Retry-After"] == "7"
    assert "secondary rate limit" in statuses[2].json()["message"]
    assert github_fake.faults == []


def test_after_effect_decides_whether_the_write_happened(github_fake: FakeGitHub) -> None:
    number = github_fake.add_issue(R)
    url = f"{github_fake.url}/repos/o/r/issues/{number}/comments"
    github_fake.inject("POST", r"/comments$", status=502, after_effect=True)
    github_fake.inject("POST", r"/comments$", status=502, after_effect=False)

    first = requests.post(url, json={"body": "landed"}, headers=AUTH)
    second = requests.post(url, json={"body": "lost"}, headers=AUTH)

    assert (first.status_code, second.status_code) == (502, 502)
    assert [c.body for c in github_fake.comments(R, number)] == ["landed"]


def test_a_delay_alone_answers_normally_but_late(github_fake: FakeGitHub) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("GET", r"/issues/\d+$", status=None, delay=0.3)
    url = f"{github_fake.url}/repos/o/r/issues/{number}"

    with pytest.raises(requests.Timeout):
        requests.get(url, headers=AUTH, timeout=0.1)
    assert requests.get(url, headers=AUTH, timeout=2).status_code == 200


# -- webhook payloads ---------------------------------------------------------------------------


def test_issue_payloads_are_real_and_valid() -> None:
    closed = payloads.issues_event(
        "closed", repo="team/overhead", number=7, labels=["chip:+1"], sender="alice"
    )
    labeled = payloads.issues_event("labeled", label="chip:+1", sender="dana")

    assert closed["issue"]["state"] == "closed" and closed["issue"]["state_reason"] == "completed"
    assert closed["issue"]["html_url"] == "https://github.com/team/overhead/issues/7"
    assert closed["repository"]["full_name"] == "team/overhead"
    assert closed["sender"]["login"] == "alice"
    assert labeled["label"]["name"] == "chip:+1"
    assert [lbl["name"] for lbl in labeled["issue"]["labels"]] == ["chip:+1"]


def test_other_payloads_are_valid() -> None:
    merged = payloads.pull_request_event("closed", merged=True, head="ante/week-4")
    push = payloads.push_event(modified=["ledger/2025.yaml"])
    dispatch = payloads.workflow_dispatch_event(inputs={"week": "4"})
    custom = payloads.repository_dispatch_event("ante-award", client_payload={"chips": 3})
    comment = payloads.issue_comment_event(body="/award @bob 3")

    assert merged["pull_request"]["merged"] is True
    assert merged["pull_request"]["head"]["ref"] == "ante/week-4"
    assert push["head_commit"]["modified"] == ["ledger/2025.yaml"]
    assert dispatch["inputs"] == {"week": "4"}
    assert custom["action"] == "ante-award" and custom["client_payload"] == {"chips": 3}
    assert comment["comment"]["body"] == "/award @bob 3"


def test_payload_validation_catches_a_broken_payload() -> None:
    closed = payloads.issues_event("closed")
    closed["issue"]["state"] = "shut"
    del closed["issue"]["user"]

    errors = payloads.webhook_errors("issues-closed", closed)

    assert any(e.startswith("/issue/state: 'shut' is not one of") for e in errors)
    assert "/issue: 'user' is a required property" in errors
    with pytest.raises(payloads.PayloadError, match="'shut' is not one of"):
        payloads.validated("issues-closed", closed)


def test_event_env_writes_what_actions_would(tmp_path: Path) -> None:
    env = payloads.event_env(tmp_path, "issues", payloads.issues_event("opened"))

    assert env["GITHUB_EVENT_NAME"] == "issues"
    assert json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text())["action"] == "opened"
