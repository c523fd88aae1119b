"""The fake is as strict as GitHub: search lag, caps and limits; moved, gone and renamed things;
secondary rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from testbed.fakegithub import DEFAULT_LAG, FIXTURE_TOKEN, FakeGitHub

AUTH = {"Authorization": f"token {FIXTURE_TOKEN}"}


def get(fake: FakeGitHub, path: str, **params: str | int) -> requests.Response:
    return requests.get(fake.url + path, headers=AUTH, params=params, allow_redirects=False)


def found(fake: FakeGitHub, q: str) -> list[int]:
    answer = get(fake, "/search/issues", q=q, per_page=100)
    assert answer.status_code == 200, answer.text
    return sorted(item["number"] for item in answer.json()["items"])


# -- search ------------------------------------------------------------------------------------


def test_search_lags_a_minute_by_default_as_on_github(github_fake: FakeGitHub) -> None:
    assert github_fake.search_lag == DEFAULT_LAG == timedelta(minutes=1)
    number = github_fake.add_issue("o/r", labels=["overhead"])

    assert found(github_fake, "repo:o/r label:overhead") == []
    github_fake.advance(seconds=59)
    assert found(github_fake, "repo:o/r label:overhead") == []
    github_fake.catch_up_search()
    assert found(github_fake, "repo:o/r label:overhead") == [number]


@pytest.mark.search_lag(0, reason="checks the mark itself")
def test_a_test_may_set_the_lag_saying_why(github_fake: FakeGitHub) -> None:
    number = github_fake.add_issue("o/r", labels=["overhead"])

    assert github_fake.search_lag == timedelta(0)
    assert found(github_fake, "repo:o/r label:overhead") == [number]


def test_a_write_seeded_later_than_githubs_clock_moves_the_clock(github_fake: FakeGitHub) -> None:
    later = github_fake.now + timedelta(days=30)
    number = github_fake.add_issue("o/r", labels=["overhead"], created_at=later)

    assert github_fake.now == later
    comment = github_fake.add_comment("o/r", number, "after it")
    assert github_fake.comments_by_id[comment][1].created_at > later
    assert found(github_fake, "repo:o/r label:overhead") == []
    github_fake.clock_to(later + DEFAULT_LAG)
    assert found(github_fake, "repo:o/r label:overhead") == [number]


def test_a_write_is_searchable_only_after_the_lag(github_fake: FakeGitHub) -> None:
    github_fake.search_lag = timedelta(seconds=30)
    number = github_fake.add_issue("o/r", labels=["overhead"])
    github_fake.advance(minutes=1)
    assert found(github_fake, "repo:o/r label:overhead is:open") == [number]

    closed = requests.patch(
        f"{github_fake.url}/repos/o/r/issues/{number}", headers=AUTH, json={"state": "closed"}
    )
    assert closed.status_code == 200

    assert found(github_fake, "repo:o/r label:overhead is:open") == [number]  # the old version
    assert found(github_fake, "repo:o/r label:overhead is:closed") == []
    github_fake.advance(seconds=29)
    assert found(github_fake, "repo:o/r label:overhead is:closed") == []
    github_fake.advance(seconds=1)
    assert found(github_fake, "repo:o/r label:overhead is:closed") == [number]
    assert found(github_fake, "repo:o/r label:overhead is:open") == []
    assert github_fake.issue("o/r", number).state == "closed"  # reads see the write at once


def test_a_new_issue_is_not_found_until_indexed(github_fake: FakeGitHub) -> None:
    github_fake.search_lag = timedelta(minutes=2)
    created = requests.post(
        f"{github_fake.url}/repos/o/r/issues", headers=AUTH, json={"title": "Export is slow"}
    )
    number = created.json()["number"]

    assert found(github_fake, "repo:o/r slow") == []
    assert get(github_fake, f"/repos/o/r/issues/{number}").status_code == 200
    github_fake.advance(minutes=2)
    assert found(github_fake, "repo:o/r slow") == [number]


def test_search_returns_at_most_a_thousand_results(github_fake: FakeGitHub) -> None:
    for _ in range(1010):
        github_fake.add_issue("o/r", labels=["overhead"])
    github_fake.catch_up_search()

    last = get(github_fake, "/search/issues", q="label:overhead", per_page=100, page=10)
    beyond = get(github_fake, "/search/issues", q="label:overhead", per_page=100, page=11)

    assert last.status_code == 200
    assert last.json()["total_count"] == 1010
    assert len(last.json()["items"]) == 100
    assert 'rel="next"' not in last.headers.get("Link", "")
    assert beyond.status_code == 422
    assert beyond.json()["message"] == "Only the first 1000 search results are available"


def test_search_allows_thirty_requests_a_minute(github_fake: FakeGitHub) -> None:
    github_fake.add_issue("o/r")
    answers = [get(github_fake, "/search/issues", q="repo:o/r") for _ in range(31)]

    assert [a.status_code for a in answers[:30]] == [200] * 30
    first, thirtieth, refused = answers[0], answers[29], answers[30]
    assert first.headers["X-RateLimit-Limit"] == "30"
    assert first.headers["X-RateLimit-Resource"] == "search"
    assert first.headers["X-RateLimit-Remaining"] == "29"
    assert thirtieth.headers["X-RateLimit-Remaining"] == "0"
    assert refused.status_code == 403
    assert refused.json()["message"].startswith("API rate limit exceeded")
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert int(refused.headers["X-RateLimit-Reset"]) > 0
    limits = get(github_fake, "/rate_limit").json()["resources"]["search"]
    assert limits["remaining"] == 0
    assert get(github_fake, "/repos/o/r/issues").status_code == 200  # the core limit is apart

    github_fake.advance(minutes=1)
    assert get(github_fake, "/search/issues", q="repo:o/r").status_code == 200


def test_each_token_has_its_own_search_budget(github_fake: FakeGitHub) -> None:
    other = github_fake.app_token(["o/r"], "read-all").value
    for _ in range(30):
        get(github_fake, "/search/issues", q="repo:o/r")

    answer = requests.get(
        f"{github_fake.url}/search/issues",
        params={"q": "repo:o/r"},
        headers={"Authorization": f"token {other}"},
    )
    assert answer.status_code == 200


# -- moved, gone, renamed -----------------------------------------------------------------------


def test_a_transferred_issue_answers_301_with_its_new_address(github_fake: FakeGitHub) -> None:
    github_fake.add_repo("o/other")
    github_fake.add_label("o/other", "overhead")
    number = github_fake.add_issue("o/r", title="Wrong repository", labels=["overhead", "ui"])
    github_fake.add_comment("o/r", number, "Seen on staging too")
    before = get(github_fake, f"/repos/o/r/issues/{number}").json()

    moved_to = github_fake.transfer_issue("o/r", number, "o/other")
    answer = get(github_fake, f"/repos/o/r/issues/{number}")

    assert answer.status_code == 301
    assert answer.json()["message"] == "Moved Permanently"
    location = answer.headers["Location"]
    assert location == f"{github_fake.url}/repos/o/other/issues/{moved_to}"
    followed = requests.get(location, headers=AUTH)
    assert followed.json()["title"] == "Wrong repository"
    assert [label["name"] for label in followed.json()["labels"]] == ["overhead"]  # no `ui` there
    # GitHub gives the transferred issue a new id and node id; it keeps its creation time and
    # its comments (so ante's own comment travels with it)
    assert followed.json()["id"] != before["id"]
    assert followed.json()["node_id"] != before["node_id"]
    assert followed.json()["created_at"] == before["created_at"]
    comments = requests.get(f"{location}/comments", headers=AUTH).json()
    assert [c["body"] for c in comments] == ["Seen on staging too"]
    assert found(github_fake, "label:overhead") == []  # gone from o/r, not yet indexed in o/other
    github_fake.catch_up_search()
    assert found(github_fake, "label:overhead") == [moved_to]
    assert github_fake.activity[-1].action == "transferred"


def test_a_transferred_issue_is_not_found_by_a_token_that_cannot_see_its_new_home(
    github_fake: FakeGitHub,
) -> None:
    github_fake.add_repo("o/private", private=True)
    number = github_fake.add_issue("o/r")
    github_fake.transfer_issue("o/r", number, "o/private")

    assert get(github_fake, f"/repos/o/r/issues/{number}").status_code == 404


def test_a_renamed_repository_redirects_as_githubs_api_does(github_fake: FakeGitHub) -> None:
    github_fake.add_repo("o/app", private=True)
    number = github_fake.add_issue("o/app", labels=["overhead"], state="closed")
    app = {"Authorization": f"token {github_fake.app_token(['o/app'], 'write-all').value}"}
    repo = github_fake.rename_repo("o/app", "o/app2")

    listed = requests.get(
        f"{github_fake.url}/repos/o/app/issues?state=closed&per_page=5",
        headers=app,
        allow_redirects=False,
    )
    assert listed.status_code == 301
    location = listed.headers["Location"]
    assert location == f"{github_fake.url}/repositories/{repo.id}/issues?state=closed&per_page=5"
    assert listed.json()["url"] == location
    followed = requests.get(location, headers=app)
    assert [i["number"] for i in followed.json()] == [number]
    assert followed.json()[0]["repository_url"].endswith("/repos/o/app2")
    written = requests.post(
        f"{github_fake.url}/repos/o/app/issues/{number}/comments",
        headers=app,
        json={"body": "hi"},
        allow_redirects=False,
    )
    assert written.status_code == 307 and written.json()["message"] == "Temporary Redirect"
    assert github_fake.comments("o/app2", number) == []  # nothing done at the old name
    resent = requests.post(written.headers["Location"], headers=app, json={"body": "hi"})
    assert resent.status_code == 201
    assert get(github_fake, "/repos/o/app").status_code == 404  # o/r's token cannot see it
    fresh = github_fake.add_repo("o/app")  # a new repository under the old name ends the redirect
    answer = requests.get(f"{github_fake.url}/repos/o/app", headers=app, allow_redirects=False)
    assert answer.status_code == 200 and answer.json()["id"] == fresh.id != repo.id


def test_a_deleted_issue_is_gone(github_fake: FakeGitHub) -> None:
    number = github_fake.add_issue("o/r", labels=["overhead"])
    github_fake.delete_issue("o/r", number)

    for path in (f"/repos/o/r/issues/{number}", f"/repos/o/r/issues/{number}/comments"):
        answer = get(github_fake, path)
        assert answer.status_code == 410
        assert answer.json()["message"] == "This issue was deleted"
    assert found(github_fake, "label:overhead") == []


def test_a_renamed_label_stays_on_its_issues(github_fake: FakeGitHub) -> None:
    number = github_fake.add_issue("o/r", labels=["overhead", "bug"])
    github_fake.catch_up_search()

    renamed = requests.patch(
        f"{github_fake.url}/repos/o/r/labels/overhead", headers=AUTH, json={"new_name": "chores"}
    )

    assert renamed.status_code == 200
    assert renamed.json()["name"] == "chores"
    labels = [
        label["name"] for label in get(github_fake, f"/repos/o/r/issues/{number}").json()["labels"]
    ]
    assert labels == ["chores", "bug"]
    assert found(github_fake, "label:chores") == [number]
    assert found(github_fake, "label:overhead") == []
    assert get(github_fake, "/repos/o/r/labels/overhead").status_code == 404
    timeline = get(github_fake, f"/repos/o/r/issues/{number}/timeline").json()
    assert [e["label"]["name"] for e in timeline] == ["chores", "bug"]
    edited = github_fake.activity[-1]
    assert (edited.event, edited.action, edited.label, edited.changes) == (
        "label",
        "edited",
        "chores",
        {"name": "overhead"},
    )
    assert edited.actor == "github-actions[bot]" and not edited.starts_runs


# -- secondary rate limits ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [403, 429])
def test_a_secondary_rate_limit_says_when_to_retry_and_changes_nothing(
    github_fake: FakeGitHub, status: int
) -> None:
    number = github_fake.add_issue("o/r")
    github_fake.secondary_rate_limit("POST", r"/comments$", status=status, retry_after=7)
    url = f"{github_fake.url}/repos/o/r/issues/{number}/comments"

    limited = requests.post(url, headers=AUTH, json={"body": "hi"})
    later = requests.post(url, headers=AUTH, json={"body": "hi"})

    assert limited.status_code == status
    assert limited.headers["Retry-After"] == "7"
    assert "secondary rate limit" in limited.json()["message"]
    assert later.status_code == 201
    assert [c.body for c in github_fake.comments("o/r", number)] == ["hi"]
