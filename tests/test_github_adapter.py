"""The GitHub adapter against the contract-checked fake: results, call budgets and faults."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ante.github.adapter import GitHubAdapter, Patience, connect
from ante.github.types import CredentialError, GitHubError, IssueGone, RateLimited, marker_tag
from testbed.fakegithub import FakeGitHub

R = "o/r"


def _adapter(env: dict[str, str], **options: int) -> GitHubAdapter:
    adapter = connect(
        env,
        seconds_between_requests=None,
        seconds_between_writes=None,
        sleep=lambda seconds: None,
        **options,
    )
    assert adapter is not None
    return adapter


@pytest.fixture
def gh(github_env: dict[str, str]) -> GitHubAdapter:
    return _adapter(github_env, timeout=10)  # a busy machine must not look like a lost answer


@pytest.fixture
def impatient(github_env: dict[str, str]) -> GitHubAdapter:
    """An adapter that gives up on an answer after 1 s (the faults below take 1.5 s)."""
    return _adapter(github_env, timeout=1)


def test_connect_needs_a_token_and_defaults_to_github_com() -> None:
    assert connect({}) is None
    assert connect({"GITHUB_TOKEN": "  "}) is None
    adapter = connect({"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "o/r"})
    assert adapter is not None
    assert adapter.api_url == "https://api.github.com"
    assert adapter.repository == "o/r"


def test_connect_honours_an_enterprise_api_url() -> None:
    adapter = connect({"GITHUB_TOKEN": "t", "GITHUB_API_URL": "https://ghe.example/api/v3/"})
    assert adapter is not None
    assert adapter.api_url == "https://ghe.example/api/v3"


def test_issue_is_one_call_and_carries_who_closed_it(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(
        R, title="Pager went off", labels=["on-call"], user="alice", assignees=["bob"]
    )
    github_fake.close_issue(R, number, by="carol", reason="not_planned")

    issue = gh.issue(R, number)

    assert (issue.number, issue.title, issue.author) == (number, "Pager went off", "alice")
    assert issue.labels == ("on-call",)
    assert issue.assignees == ("bob",)
    assert (issue.state, issue.state_reason, issue.closed_by) == ("closed", "not_planned", "carol")
    assert issue.closed_at is not None and issue.closed_at.tzinfo is not None
    assert not issue.is_pull
    assert issue.url == f"https://github.com/o/r/issues/{number}"
    assert github_fake.calls == [("GET", f"/repos/o/r/issues/{number}")]


def test_missing_issue_raises_a_github_error_with_the_status(gh: GitHubAdapter) -> None:
    with pytest.raises(GitHubError) as raised:
        gh.issue(R, 404)
    assert raised.value.status == 404


def test_timeline_shows_who_labeled_and_what_was_said(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R, labels=["chip:+1"], user="alice", label_actor="dana")
    github_fake.add_comment(R, number, "thanks!", user="bob")
    github_fake.unlabel_issue(R, number, "chip:+1", by="erin")
    github_fake.label_issue(R, number, "chip:+1", by="frank")
    github_fake.close_issue(R, number, by="alice")

    timeline = gh.timeline(R, number)

    kinds = [(e.kind, e.actor, e.label) for e in timeline.events]
    assert kinds == [
        ("labeled", "dana", "chip:+1"),
        ("commented", "bob", None),
        ("unlabeled", "erin", "chip:+1"),
        ("labeled", "frank", "chip:+1"),
        ("closed", "alice", None),
    ]
    assert [c.body for c in timeline.comments] == ["thanks!"]
    assert timeline.labeled_by("CHIP:+1") == "frank"
    assert timeline.labeled_by("other") is None
    times = [e.created_at for e in timeline.events if e.created_at is not None]
    assert len(times) == len(timeline.events)
    assert times == sorted(times) and len(set(times)) == len(times)
    assert github_fake.count() == 1


def test_long_timelines_are_read_a_hundred_at_a_time(
    github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    gh = _adapter(github_env, timeout=30)  # a page of 100 is slow to check on a busy machine
    number = github_fake.add_issue(R)
    for n in range(101):
        github_fake.add_comment(R, number, f"comment {n}", user="bob")

    assert len(gh.timeline(R, number).comments) == 101
    assert len(gh.comments(R, number)) == 101
    assert github_fake.count("GET", "/repos/o/r/issues/1/timeline") == 2
    assert github_fake.count("GET", "/repos/o/r/issues/1/comments") == 2


def test_permission_reads_the_fine_grained_role_once_per_run(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    github_fake.set_permission(R, "tess", "triage")

    assert gh.permission(R, "tess") == "triage"
    assert gh.permission(R, "TESS") == "triage"
    assert gh.permission(R, "o") == "admin"
    assert gh.permission(R, "stranger") == "read"
    assert github_fake.count(path_prefix="/repos/o/r/collaborators/") == 3


def test_user_is_fetched_once(github_fake: FakeGitHub, gh: GitHubAdapter) -> None:
    github_fake.add_user("alice", name="Alice Liddell")

    first, again = gh.user("alice"), gh.user("Alice")

    assert first == again
    assert (first.login, first.name, first.type) == ("alice", "Alice Liddell", "User")
    assert first.avatar_url.startswith("https://avatars.githubusercontent.com/")
    assert github_fake.count() == 1


def test_create_edit_and_close_an_issue(github_fake: FakeGitHub, gh: GitHubAdapter) -> None:
    created = gh.create_issue(R, "Week 3 handoff", "body", labels=["handoff"], assignees=["alice"])
    edited = gh.edit_issue(R, created.number, title="Week 3 handoff (done)", labels=["done"])
    closed = gh.close_issue(R, created.number, reason="completed")

    assert created.labels == ("handoff",) and created.assignees == ("alice",)
    assert edited.labels == ("done",) and edited.title == "Week 3 handoff (done)"
    assert created.updated_at < edited.updated_at < closed.updated_at
    assert (closed.state, closed.state_reason, closed.closed_by) == (
        "closed",
        "completed",
        "github-actions[bot]",
    )
    stored = github_fake.issue(R, created.number)
    assert [e.event for e in stored.events] == ["labeled", "unlabeled", "labeled", "closed"]
    assert github_fake.count() == 3


def test_add_and_remove_labels(github_fake: FakeGitHub, gh: GitHubAdapter) -> None:
    number = github_fake.add_issue(R, labels=["a"])

    assert gh.add_labels(R, number, ["b", "needs triage"]) == ("a", "b", "needs triage")
    gh.remove_label(R, number, "needs triage")
    gh.remove_label(R, number, "never-there")  # already gone is fine

    assert github_fake.issue(R, number).labels == ["a", "b"]
    labeled = [e for e in github_fake.issue(R, number).events if e.event == "labeled"]
    assert labeled[-1].actor == "github-actions[bot]"


# -- ante's one comment -------------------------------------------------------------------------


def test_upsert_comment_creates_then_edits_then_leaves_alone(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    github_fake.add_comment(R, number, "unrelated", user="bob")

    first = gh.upsert_comment(R, number, "award", "3 chips")
    assert github_fake.count("POST") == 1
    second = gh.upsert_comment(R, number, "award", "4 chips")
    assert github_fake.count("PATCH") == 1
    github_fake.calls.clear()
    third = gh.upsert_comment(R, number, "award", "4 chips")

    assert first.id == second.id == third.id
    assert third.body == f"{marker_tag('award')}\n4 chips"
    assert github_fake.calls == [("GET", f"/repos/o/r/issues/{number}/comments")]
    bodies = [c.body for c in github_fake.comments(R, number)]
    assert bodies == ["unrelated", "<!-- ante:award -->\n4 chips"]


def test_upsert_comment_reuses_a_timeline_already_read(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    gh.upsert_comment(R, number, "award", "old")
    gh.upsert_comment(R, number, "tax", "other marker")
    timeline = gh.timeline(R, number)
    github_fake.calls.clear()

    gh.upsert_comment(R, number, "award", "new", known_timeline=timeline)

    assert github_fake.calls == [("PATCH", github_fake.calls[0][1])]
    assert [c.body.split("\n")[1] for c in github_fake.comments(R, number)] == [
        "new",
        "other marker",
    ]


def test_a_502_after_the_comment_was_created_leaves_exactly_one(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("POST", r"/comments$", status=502, after_effect=True)

    comment = gh.upsert_comment(R, number, "award", "3 chips")

    assert [c.id for c in github_fake.comments(R, number)] == [comment.id]
    assert github_fake.count("POST") == 1  # never re-posted: the re-read found it
    assert github_fake.count("GET") == 2


def test_a_502_that_lost_the_comment_posts_it_again_once(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("POST", r"/comments$", status=502, after_effect=False)

    gh.upsert_comment(R, number, "award", "3 chips")

    assert len(github_fake.comments(R, number)) == 1
    assert github_fake.count("POST") == 2


def test_a_timeout_after_the_comment_was_created_leaves_exactly_one(
    github_fake: FakeGitHub, impatient: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("POST", r"/comments$", status=None, delay=1.5, after_effect=True)

    impatient.upsert_comment(R, number, "award", "3 chips")

    assert len(github_fake.comments(R, number)) == 1
    assert github_fake.count("POST") == 1


def test_a_comment_refused_for_a_client_error_is_not_retried(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("POST", r"/comments$", status=404, message="Not Found")

    with pytest.raises(GitHubError) as raised:
        gh.upsert_comment(R, number, "award", "3 chips")

    assert raised.value.status == 404
    assert github_fake.count("POST") == 1


# -- what the HTTP layer retries on its own ----------------------------------------------------


def test_secondary_rate_limit_on_a_write_waits_retry_after_and_succeeds(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("POST", r"/comments$", status=403, retry_after=7)

    gh.upsert_comment(R, number, "award", "3 chips")

    assert gh.patience.waited == [7]  # exactly what GitHub asked for
    assert github_fake.count("POST") == 2
    assert len(github_fake.comments(R, number)) == 1


def test_a_rate_limit_without_retry_after_waits_a_minute_then_doubles(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    message = "You have exceeded a secondary rate limit. Please wait a few minutes."
    github_fake.inject(
        "GET", r"/issues/\d+$", status=429, retry_after=None, message=message, times=2
    )

    assert gh.issue(R, number).number == number
    assert gh.patience.waited == [60, 120]


def test_a_wait_beyond_the_runs_patience_fails_cleanly_without_retrying(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("GET", r"/issues/\d+$", status=429, retry_after=3600)

    with pytest.raises(RateLimited, match="3600 s") as raised:
        gh.issue(R, number)

    assert "re-run" in str(raised.value)
    assert gh.patience.waited == []
    assert github_fake.count("GET", f"/repos/{R}/issues/{number}") == 1


def test_the_reset_header_sets_the_wait_when_nothing_is_left() -> None:
    patience = Patience(clock=lambda: 1_000.0)
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1090"}
    assert patience.wait_for(headers, 1) == 91
    assert patience.wait_for({"Retry-After": "30", **headers}, 1) == 30
    assert patience.wait_for({}, 3) == 240


def test_a_403_that_is_not_a_rate_limit_is_raised_at_once(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    message = "Resource not accessible by integration"
    github_fake.inject("POST", r"/comments$", status=403, retry_after=None, message=message)

    with pytest.raises(CredentialError, match="not accessible") as raised:
        gh.upsert_comment(R, number, "award", "3 chips")

    assert raised.value.status == 403
    assert "`Issues: write` on o/r" in str(raised.value)
    assert "GITHUB_TOKEN" in str(raised.value) and "permissions:" in str(raised.value)
    assert github_fake.count("POST") == 1
    assert github_fake.comments(R, number) == []


def test_a_deleted_issue_is_gone_not_a_crash(github_fake: FakeGitHub, gh: GitHubAdapter) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("GET", r"/issues/\d+$", status=410, message="This issue was deleted")

    with pytest.raises(IssueGone):
        gh.issue(R, number)


def test_an_issue_opened_with_a_key_is_opened_once_even_when_the_post_times_out(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    github_fake.inject("POST", r"/issues$", status=502, after_effect=True)
    body = "This week's handoff\n<!-- ante:handoff primary 2026-11-18 -->\n"

    made = gh.create_issue(R, "Handoff", body, labels=["on-call-handoff"])

    assert made.title == "Handoff"
    assert github_fake.count("POST", f"/repos/{R}/issues") == 1
    assert gh.find_keyed_issue(R, "<!-- ante:handoff primary", labels=["on-call-handoff"]) == made


def test_server_errors_are_retried_for_reads_only(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("GET", r"/issues/\d+$", status=502)
    github_fake.inject("PATCH", r"/issues/\d+$", status=502)

    assert gh.issue(R, number).number == number
    with pytest.raises(GitHubError) as raised:
        gh.edit_issue(R, number, title="renamed")

    assert raised.value.status == 502
    assert github_fake.count("GET") == 2
    assert github_fake.count("PATCH") == 1
    assert github_fake.issue(R, number).title == "An issue"


def test_a_read_timeout_is_retried(github_fake: FakeGitHub, impatient: GitHubAdapter) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("GET", r"/issues/\d+$", status=None, delay=1.5)

    assert impatient.issue(R, number).number == number
    assert github_fake.count("GET") == 2


def test_a_write_timeout_surfaces_as_a_github_error(
    github_fake: FakeGitHub, impatient: GitHubAdapter
) -> None:
    number = github_fake.add_issue(R)
    github_fake.inject("PATCH", r"/issues/\d+$", status=None, delay=1.5, after_effect=True)

    with pytest.raises(GitHubError) as raised:
        impatient.close_issue(R, number)

    assert raised.value.status is None
    assert "Timeout" in str(raised.value)
    assert github_fake.count("PATCH") == 1


# -- search -------------------------------------------------------------------------------------


def test_search_pages_through_250_issues_in_three_requests(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    for n in range(250):
        github_fake.add_issue(R, title=f"chip {n}", labels=["chip"])
    github_fake.add_issue(R, title="not a chip")
    github_fake.catch_up_search()

    result = gh.search_issues('repo:o/r is:issue label:"chip"')

    assert result.total_count == 250 and not result.incomplete
    assert len(result.items) == 250
    assert [i.title for i in result.items[:2]] == ["chip 0", "chip 1"]  # updated, oldest first
    assert all(i.closed_by is None for i in result.items)  # search never carries it
    assert github_fake.count("GET", "/search/issues") == 3


def test_counting_and_limiting_a_search_costs_one_request(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    for n in range(30):
        github_fake.add_issue(R, title=f"chip {n}", labels=["chip"])
    github_fake.catch_up_search()

    assert gh.count_issues("repo:o/r label:chip") == 30
    first = gh.search_issues("repo:o/r label:chip", per_page=10, limit=10)

    assert [i.title for i in first.items] == [f"chip {n}" for n in range(10)]
    assert first.total_count == 30
    assert github_fake.count("GET", "/search/issues") == 2


def test_search_by_closing_time_and_missing_label(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    early = datetime(2025, 1, 1, 12, tzinfo=UTC)
    late = datetime(2025, 1, 20, 12, tzinfo=UTC)
    old = github_fake.add_issue(R, state="closed", closed_at=early, created_at=early)
    new = github_fake.add_issue(R, state="closed", closed_at=late, created_at=early)
    github_fake.add_issue(R, state="closed", closed_at=late, created_at=early, labels=["skip"])
    github_fake.add_issue(R)
    github_fake.catch_up_search()

    found = gh.search_issues("repo:o/r is:closed closed:>=2025-01-10T00:00:00Z -label:skip")

    assert [i.number for i in found.items] == [new]
    assert old not in [i.number for i in found.items]
    assert found.items[0].repo == R


# -- pull requests ------------------------------------------------------------------------------


def test_pull_request_lifecycle(github_fake: FakeGitHub, gh: GitHubAdapter) -> None:
    assert gh.find_open_pull(R, "ante/rotation") is None

    pull = gh.create_pull(R, title="Rotation", head="ante/rotation", base="main", body="b")
    again = gh.create_pull(R, title="Rotation", head="ante/rotation", base="main")
    found = gh.find_open_pull(R, "ante/rotation")
    edited = gh.edit_pull(R, pull.number, title="Rotation, week 4", body="new body")
    gh.request_reviewers(R, pull.number, ["alice"])

    assert again == found == pull
    assert (edited.title, edited.body, edited.head, edited.base) == (
        "Rotation, week 4",
        "new body",
        "ante/rotation",
        "main",
    )
    reviewers = github_fake.pulls(R)[0].pull.requested_reviewers  # type: ignore[union-attr]  # a PR
    assert reviewers == ["alice"]
    assert len(github_fake.pulls(R)) == 1
    assert gh.issue(R, pull.number).is_pull

    github_fake.merge_pull(R, pull.number, by="alice")
    assert gh.find_open_pull(R, "ante/rotation") is None


def test_create_pull_after_a_502_returns_the_pull_that_was_made(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    github_fake.inject("POST", r"/pulls$", status=502, after_effect=True)

    pull = gh.create_pull(R, title="Rotation", head="ante/rotation", base="main")

    assert [p.number for p in github_fake.pulls(R)] == [pull.number]
    assert github_fake.count("POST") == 1


def test_a_transferred_issue_is_followed_and_keeps_its_old_address(
    github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    github_fake.add_repo("o/other")
    number = github_fake.add_issue(R, title="Rotate the keys")
    moved = github_fake.transfer_issue(R, number, "o/other")
    app = github_fake.app_token([R, "o/other"], {"issues": "read"})
    gh = _adapter({**github_env, "GITHUB_TOKEN": app.value}, timeout=5)

    issue = gh.issue(R, number)

    assert (issue.repo, issue.number, issue.title) == ("o/other", moved, "Rotate the keys")
    assert issue.moved_from == f"https://github.com/{R}/issues/{number}"


def test_a_deleted_issue_answers_gone(github_fake: FakeGitHub, gh: GitHubAdapter) -> None:
    number = github_fake.add_issue(R)
    github_fake.delete_issue(R, number)
    with pytest.raises(IssueGone):
        gh.issue(R, number)


# -- a renamed or transferred repository ------------------------------------------------------


@pytest.fixture
def renamed(github_fake: FakeGitHub, github_env: dict[str, str]) -> GitHubAdapter:
    """o/app, renamed o/app2 (GitHub: 301 to GET, 307 to writes, at the old name), with 130
    closed overhead issues and an open one; an adapter whose App was granted it before."""
    github_fake.add_repo("o/app")
    for n in range(130):
        github_fake.add_issue("o/app", title=f"chore {n}", labels=["overhead"], state="closed")
    github_fake.add_issue("o/app", title="open chore", labels=["overhead"])
    github_fake.add_issue("o/app", title="a bug", labels=["bug"], state="closed")
    github_fake.rename_repo("o/app", "o/app2")
    app = github_fake.app_token([R, "o/app"], "write-all")
    return _adapter({**github_env, "GITHUB_TOKEN": app.value}, timeout=10)


def test_a_renamed_repositorys_listing_keeps_its_query_and_old_addresses(
    github_fake: FakeGitHub, renamed: GitHubAdapter
) -> None:
    found = renamed.list_issues("o/app", state="closed", labels=["overhead"])

    # PyGithub alone would follow the 301 without the query: the open issues, page 1 for ever.
    assert len(found) == 130 and {i.state for i in found} == {"closed"}
    assert {i.repo for i in found} == {"o/app2"}
    assert found[0].moved_from == f"https://github.com/o/app/issues/{found[0].number}"
    assert renamed.name_now("o/app") == "o/app2"
    assert github_fake.count("GET", "/repos/o/app2/issues") == 2  # 2 pages of 100
    again = renamed.list_issues("o/app", state="open")
    assert [i.title for i in again] == ["open chore"]
    asked = [path for verb, path in github_fake.calls if path == "/repos/o/app"]
    assert len(asked) == 1  # the new name is asked once a run


def test_writes_to_a_renamed_repository_land_there(
    github_fake: FakeGitHub, renamed: GitHubAdapter
) -> None:
    comment = renamed.upsert_comment("o/app", 131, "queue", "number 1 in the queue")
    labels = renamed.add_labels("o/app", 131, ["needs-triage"])
    edited = renamed.edit_issue("o/app", 131, title="open chore (renamed)")
    made = renamed.create_issue("o/app", "A new one", "body")

    assert [c.body for c in github_fake.comments("o/app2", 131)] == [comment.body]
    assert labels == ("overhead", "needs-triage")
    assert (edited.repo, edited.title) == ("o/app2", "open chore (renamed)")
    assert edited.moved_from == "https://github.com/o/app/issues/131"
    assert github_fake.issue("o/app2", made.number).title == "A new one"
    assert github_fake.count("POST", "/repos/o/app/") == 0  # no write was sent to the old name


def test_the_runs_own_repository_is_never_asked_for_its_name(
    github_fake: FakeGitHub, gh: GitHubAdapter
) -> None:
    github_fake.add_issue(R, labels=["overhead"])
    gh.list_issues(R)
    gh.add_labels(R, 1, ["chip"])
    assert [path for _, path in github_fake.calls] == [
        f"/repos/{R}/issues",
        f"/repos/{R}/issues/1/labels",
    ]
