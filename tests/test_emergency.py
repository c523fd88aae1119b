"""`ante emergency`: assignment, paging comment, page records and post-mortems, each once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ante.files import emergencies
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git
from testbed.payloads import event_env, issues_event

NOW = "2026-11-21T23:35:00Z"  # five minutes after the page: nothing is due to escalate yet
SATURDAY_NIGHT = "2026-11-21T23:30:00Z"  # out of working hours; alice is captain, bob first-mate


def with_managers(team: TeamRemote) -> None:
    path = team.workdir / "rotations" / "oncall.yaml"
    path.write_text(path.read_text().replace("escalation: [alice]", "escalation: [mgr1, mgr2]"))
    git(team.workdir, "commit", "-qam", "managers")


def event(tmp: Path, action: str, number: int, **extra: object) -> dict[str, str]:
    extra.setdefault("sender", "carol")  # a member: the policy lets members page
    payload = issues_event(
        action,
        number=number,
        title="Checkout is down",
        labels=["product-emergency"],
        label="product-emergency" if action == "labeled" else None,
        **extra,  # type: ignore[arg-type]  # issues_event's own keywords, passed through
    )
    payload["issue"]["created_at"] = SATURDAY_NIGHT
    return event_env(tmp, f"issues-{action}", payload)


def ante(team: TeamRemote, env: dict[str, str]):
    result = run_ante(
        ["--repo", str(team.workdir), "emergency", "--push"], env={"ANTE_NOW": NOW, **env}
    )
    assert result.code == 0, result.err
    return result


def test_a_page_is_assigned_announced_and_post_mortemed_once(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    with_managers(team)
    for login in ("alice", "bob", "carol", "mgr1", "mgr2"):
        github_fake.add_user(login)
    number = github_fake.add_issue("o/r", title="Checkout is down", labels=["product-emergency"])
    opened = event(tmp_path, "opened", number)
    for _ in range(2):  # GitHub may deliver twice; a re-run must not page twice
        ante(team, {**github_env, **opened})
    ante(team, {**github_env, **event(tmp_path, "labeled", number)})

    issue = github_fake.issue("o/r", number)
    assert issue.assignees == ["alice"]
    comments = github_fake.comments("o/r", number)
    assert len(comments) == 1
    text = comments[0].body
    assert "out-of-hours page" in text
    assert "@alice (assigned)" in text and "@bob: please back the captain up" in text
    assert "Escalation path: @alice → @bob → managers @mgr1, @mgr2" in text
    [page] = emergencies.load_pages(team.workdir)
    assert page.out_of_hours and page.captain == "alice" and page.first_mate == "bob"
    assert page.issue == f"https://github.com/o/r/issues/{number}"
    assert "out_of_hours: true" in team.show("ledger/pages/2026.yaml")

    github_fake.close_issue("o/r", number)
    closed = event(tmp_path, "closed", number, closed_at="2026-11-22T02:00:00Z")
    for _ in range(2):
        ante(team, {**github_env, **closed})
    postmortems = [i for i in github_fake.issues("o/r") if "postmortem" in i.labels]
    assert len(postmortems) == 1
    [pm] = postmortems
    assert pm.title == "Post-mortem: Checkout is down"
    assert pm.assignees == ["alice"]
    assert f"/issues/{number})" in (pm.body or "")
    links = [c for c in github_fake.comments("o/r", number) if "Post-mortem:" in c.body]
    assert len(links) == 1 and f"/issues/{pm.number}" in links[0].body
    [page] = emergencies.load_pages(team.workdir)
    assert (
        page.closed is not None
        and page.postmortem
        and page.postmortem.endswith(f"/issues/{pm.number}")
    )


def test_without_a_token_the_page_is_recorded_and_the_rest_is_said(
    team: TeamRemote, tmp_path: Path
) -> None:
    result = ante(team, event(tmp_path, "opened", 7))
    assert "would assign @alice to #7" in result.out
    assert len(emergencies.load_pages(team.workdir)) == 1


def test_other_issues_are_left_alone(team: TeamRemote, tmp_path: Path) -> None:
    payload = issues_event("opened", number=3, labels=["bug"])
    result = ante(team, event_env(tmp_path, "issues", payload))
    assert "carries no rotation's emergency label" in result.out
    assert emergencies.load_pages(team.workdir) == []


def test_the_sweep_pages_open_emergencies_whose_event_never_came_once(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    github_fake.add_repo("o/product")
    policy = team.workdir / "ledger" / "policy.yaml"
    text = policy.read_text()
    assert "\nrepositories: []\n" in text  # a key written twice is an error: replace it
    policy.write_text(text.replace("\nrepositories: []\n", "\nrepositories: [o/product]\n"))
    git(team.workdir, "commit", "-qam", "a product repository")
    github_fake.now = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    # opened by a member: the policy lets members page (paging.who: members)
    here = github_fake.add_issue(
        "o/r", title="Login is down", labels=["product-emergency"], user="carol"
    )
    there = github_fake.add_issue(
        "o/product", title="API 500s", labels=["product-emergency"], user="carol"
    )
    github_fake.add_issue("o/product", title="A plain bug", labels=["bug"])
    sweep = ["--repo", str(team.workdir), "emergency", "--sweep", "--push"]
    # GITHUB_TOKEN reaches only o/r: ante's App token reaches the product repository too
    app = github_fake.app_token(["o/r", "o/product"], {"issues": "write", "contents": "write"})
    env = {**github_env, "GITHUB_TOKEN": app.value, "ANTE_APP_CLIENT_ID": "Iv1.ante"}

    for _ in range(2):  # a second sweep finds every emergency paged and changes nothing
        result = run_ante(sweep, env={"ANTE_NOW": NOW, **env})
        assert result.code == 0, result.err

    pages = emergencies.load_pages(team.workdir)
    assert sorted(p.issue.rsplit("/", 3)[-3] for p in pages) == ["product", "r"]
    for repo, number in (("o/r", here), ("o/product", there)):
        assert len(github_fake.comments(repo, number)) == 1
        assert github_fake.issue(repo, number).assignees
    assert github_fake.count("GET", "/search") == 0
    assert "every open emergency has its page" in result.out


def test_the_sweep_opens_the_post_mortem_of_a_page_whose_close_was_missed(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    github_fake.now = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    number = github_fake.add_issue(  # opened by a member: members may page
        "o/r", title="Checkout is down", labels=["product-emergency"], user="carol"
    )
    sweep = ["--repo", str(team.workdir), "emergency", "--sweep", "--push"]
    assert run_ante(sweep, env={"ANTE_NOW": NOW, **github_env}).code == 0  # paged
    github_fake.close_issue("o/r", number)  # ... and its `closed` event never came

    for _ in range(2):
        result = run_ante(sweep, env={"ANTE_NOW": NOW, **github_env})
        assert result.code == 0, result.err

    postmortems = [i for i in github_fake.issues("o/r") if "postmortem" in i.labels]
    assert len(postmortems) == 1
    [page] = emergencies.load_pages(team.workdir)
    assert page.closed is not None
    assert page.postmortem and page.postmortem.endswith(f"/issues/{postmortems[0].number}")


AFTER_THE_CLOSE = "2026-11-22T02:05:00Z"


def assert_said_and_owned_once(team: TeamRemote, github_fake: FakeGitHub, number: int) -> None:
    """An emergency that closed before anyone was paged: recorded closed, nobody woken, the miss
    said once on the issue to whoever was on call (assigned), the post-mortem opened once."""
    [page] = emergencies.load_pages(team.workdir)
    assert page.closed is not None and page.woken == [] and page.paged_at is None
    [pm] = [i for i in github_fake.issues("o/r") if "postmortem" in i.labels]
    assert page.postmortem and page.postmortem.endswith(f"/issues/{pm.number}")
    assert pm.assignees == ["alice"]
    assert github_fake.issue("o/r", number).assignees == ["alice"]
    said = [c.body for c in github_fake.comments("o/r", number) if "before anyone" in c.body]
    assert len(said) == 1
    assert "closed before anyone was paged" in said[0]
    assert "never reached ante" in said[0]
    assert "@alice (assigned), on call when it was opened" in said[0]
    assert f"The post-mortem is opened for @alice: {page.postmortem}" in said[0]
    assert "paging the on-call" not in said[0]


def test_an_emergency_closed_before_anyone_was_paged_is_said_and_owned(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str], tmp_path: Path
) -> None:
    """Its `opened` event never came and it closed before a sweep ran: the close is the first
    ante hears of it. Nobody is woken for what is over; the miss is said and owned."""
    github_fake.add_user("alice")
    github_fake.now = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    number = github_fake.add_issue(
        "o/r", title="Checkout is down", labels=["product-emergency"], user="carol"
    )
    github_fake.now = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    github_fake.close_issue("o/r", number)
    closed = event(tmp_path, "closed", number, closed_at="2026-11-22T02:00:00Z")

    for _ in range(2):  # delivered twice: said once
        result = run_ante(
            ["--repo", str(team.workdir), "emergency", "--push"],
            env={"ANTE_NOW": AFTER_THE_CLOSE, **github_env, **closed},
        )
        assert result.code == 0, result.err

    assert_said_and_owned_once(team, github_fake, number)
    said = next(c.body for c in github_fake.comments("o/r", number) if "before anyone" in c.body)
    assert "(2026-11-21 23:30 UTC) never reached ante" in said


def test_the_scheduled_sweep_finds_an_emergency_whose_opening_and_close_never_came(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict[str, str]
) -> None:
    github_fake.add_user("alice")
    github_fake.now = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    number = github_fake.add_issue(
        "o/r", title="Checkout is down", labels=["product-emergency"], user="carol"
    )
    github_fake.now = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    github_fake.close_issue("o/r", number)  # neither event came
    sweep = ["--repo", str(team.workdir), "emergency", "--sweep", "--push"]

    for _ in range(2):
        result = run_ante(sweep, env={"ANTE_NOW": AFTER_THE_CLOSE, **github_env})
        assert result.code == 0, result.err

    assert "closed and never paged" not in result.out  # the second sweep found it recorded
    assert_said_and_owned_once(team, github_fake, number)
