"""Issues that move: a repository renamed, an issue transferred. Chips are paid once and a page
is the same page, whatever address GitHub's events carry afterwards (issue #13, point 5).

GitHub keeps an issue's id (and node id) when its repository is renamed; a transferred issue
gets a new number, id and node id, keeps its comments, and its old address answers 301. The
fake models both (tests/testbed/fakegithub), and every event below is the webhook GitHub would
deliver for what just happened on it.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import yaml
from ante.files import emergencies
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.fakegithub.webhooks import delivery
from testbed.gitbed import TeamRemote, git

NOW = "2026-11-18T12:00:00Z"
ANTE = "ante-app[bot]"  # the App's identity: ante's own comments are its


def product_repositories(team: TeamRemote, fake: FakeGitHub, *repos: str) -> dict[str, str]:
    """The team's policy names `repos`; the App's token reaches them (and follows renames)."""
    policy = team.workdir / "ledger/policy.yaml"
    names = ", ".join(repos)
    policy.write_text(policy.read_text().replace("repositories: []", f"repositories: [{names}]"))
    git(team.workdir, "commit", "-qam", "the product repositories")
    for repo in repos:
        fake.add_repo(repo)
        fake.add_label(repo, "overhead")
        fake.set_permission(repo, "maintainer", "triage")
    app = fake.app_token(["o/r", *repos], "write-all", identity=ANTE)
    return {
        "GITHUB_TOKEN": app.value,
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_API_URL": fake.url,
        "ANTE_IDENTITY": ANTE,
    }


def rename_in_policy(team: TeamRemote, old: str, new: str) -> None:
    """What a team does after renaming a product repository: the policy names it anew."""
    policy = team.workdir / "ledger/policy.yaml"
    policy.write_text(policy.read_text().replace(old, new))
    git(team.workdir, "commit", "-qam", f"{old} is now {new}")


def delivered(fake: FakeGitHub, tmp: Path, repo: str, number: int, action: str) -> Path:
    """The webhook GitHub sent for the latest `action` on `repo#number`."""
    activity = next(
        a
        for a in reversed(fake.activity)
        if (a.repo, a.number, a.action) == (repo, number, action) and a.event == "issues"
    )
    path = tmp / f"{repo.replace('/', '-')}-{number}-{action}-{activity.seq}.json"
    path.write_text(json.dumps(delivery(fake, activity).payload), encoding="utf-8")
    return path


def award(team: TeamRemote, event: Path, env: dict[str, str]):
    result = run_ante(
        ["--repo", str(team.workdir), "award", "--event", str(event), "--push"],
        env={**env, "ANTE_NOW": NOW},
    )
    assert result.code == 0, result.err
    return result


def sync(team: TeamRemote, env: dict[str, str]):
    result = run_ante(
        ["--repo", str(team.workdir), "sync", "--since", "2026-11-01T00:00:00Z"],
        env={**env, "ANTE_NOW": NOW},
    )
    assert result.code == 0, result.err
    return result


def chip_entries(team: TeamRemote) -> list[dict]:
    data = yaml.safe_load((team.workdir / "ledger/journal/2026/entries.yaml").read_text())
    return [e for e in data["entries"] if e["kind"] in ("award", "revoke")]


def overhead_closed(fake: FakeGitHub, repo: str) -> int:
    fake.now = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
    number = fake.add_issue(
        repo,
        title="Rotate the signing keys",
        labels=["overhead"],
        label_actor="maintainer",
        assignees=["alice"],
    )
    fake.close_issue(repo, number, by="alice")
    return number


def test_a_close_under_a_renamed_repository_pays_nothing_twice(
    team: TeamRemote, github_fake: FakeGitHub, tmp_path: Path
) -> None:
    env = product_repositories(team, github_fake, "o/app")
    number = overhead_closed(github_fake, "o/app")
    award(team, delivered(github_fake, tmp_path, "o/app", number, "closed"), env)
    old = f"https://github.com/o/app/issues/{number}"
    [paid] = chip_entries(team)
    assert (paid["ref"], paid["delta"]) == (old, 1)
    assert paid["issue_id"] == github_fake.issue("o/app", number).id  # GitHub's id, recorded

    github_fake.rename_repo("o/app", "o/app2")
    rename_in_policy(team, "o/app", "o/app2")
    github_fake.reopen_issue("o/app2", number, by="alice")  # ante missed this one
    github_fake.close_issue("o/app2", number, by="alice")
    again = delivered(github_fake, tmp_path, "o/app2", number, "closed")
    assert f"/o/app2/issues/{number}" in again.read_text()  # the event names the new address

    for _ in range(2):  # and GitHub may deliver it twice
        result = award(team, again, env)
        assert "nothing to do: the journal already matches" in result.out
    sync(team, env)
    assert chip_entries(team) == [paid]

    github_fake.reopen_issue("o/app2", number, by="carol")
    award(team, delivered(github_fake, tmp_path, "o/app2", number, "reopened"), env)
    revoke = chip_entries(team)[-1]
    assert (revoke["kind"], revoke["ref"], revoke["member"]) == ("revoke", old, "alice")
    assert sum(e["delta"] for e in chip_entries(team)) == 0
    validated = run_ante(["--repo", str(team.workdir), "validate", "--against", ""])
    assert validated.code == 0, validated.err  # a journal with ids is as valid as one without


def test_a_transferred_issue_is_paid_once_where_its_chips_were_booked(
    team: TeamRemote, github_fake: FakeGitHub, tmp_path: Path
) -> None:
    env = product_repositories(team, github_fake, "o/app", "o/web")
    number = overhead_closed(github_fake, "o/app")
    award(team, delivered(github_fake, tmp_path, "o/app", number, "closed"), env)
    old = f"https://github.com/o/app/issues/{number}"
    [ours] = [c for c in github_fake.comments("o/app", number) if c.user == ANTE]
    assert f"<!-- ante:booked-at {old} -->" in ours.body

    github_fake.reopen_issue("o/app", number, by="alice")  # ante missed this one
    moved = github_fake.transfer_issue("o/app", number, "o/web", by="maintainer")
    assert github_fake.issue("o/web", moved).id != github_fake.issue("o/app", number).id
    github_fake.close_issue("o/web", moved, by="alice")
    award(team, delivered(github_fake, tmp_path, "o/web", moved, "closed"), env)
    sync(team, env)

    [paid] = chip_entries(team)  # the +1 of the first close, and nothing under o/web
    assert (paid["ref"], paid["delta"]) == (old, 1)
    [comment] = [c for c in github_fake.comments("o/web", moved) if c.user == ANTE]
    assert f"<!-- ante:booked-at {old} -->" in comment.body  # travelled, and still says so


def test_a_comment_from_before_ante_named_the_address_is_traced_through_the_redirect(
    team: TeamRemote, github_fake: FakeGitHub, tmp_path: Path
) -> None:
    """A team that upgraded: ante's comment on the issue predates the booked-at line and the
    journal entry has no id. GitHub's 301 from the old address still leads to the issue."""
    env = product_repositories(team, github_fake, "o/app", "o/web")
    number = overhead_closed(github_fake, "o/app")
    award(team, delivered(github_fake, tmp_path, "o/app", number, "closed"), env)
    journal = team.workdir / "ledger/journal/2026/entries.yaml"
    journal.write_text(re.sub(r", issue_id: \d+", "", journal.read_text()))
    git(team.workdir, "commit", "-qam", "as an older ante wrote it")
    git(team.workdir, "push", "-q", "origin", "HEAD")
    [ours] = [c for c in github_fake.comments("o/app", number) if c.user == ANTE]
    ours.body = re.sub(r"<!-- ante:booked-at \S+ -->\n", "", ours.body)
    validated = run_ante(["--repo", str(team.workdir), "validate", "--against", ""])
    assert validated.code == 0, validated.err  # entries with and without an id are both fine

    github_fake.reopen_issue("o/app", number, by="alice")  # missed
    moved = github_fake.transfer_issue("o/app", number, "o/web", by="maintainer")
    github_fake.close_issue("o/web", moved, by="alice")
    result = award(team, delivered(github_fake, tmp_path, "o/web", moved, "closed"), env)

    assert "nothing to do: the journal already matches" in result.out
    [paid] = chip_entries(team)
    assert paid["ref"] == f"https://github.com/o/app/issues/{number}"


# ---- emergencies ---------------------------------------------------------------------------

EMERGENCY_AT = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)  # a Saturday night: out of hours
LATER = "2026-11-21T23:50:00Z"


def emergency(team: TeamRemote, env: dict[str, str], *args: str):
    result = run_ante(
        ["--repo", str(team.workdir), "emergency", *args, "--push"], env={"ANTE_NOW": LATER, **env}
    )
    assert result.code == 0, result.err
    return result


def paged_emergency(fake: FakeGitHub, team: TeamRemote, env: dict[str, str], repo: str) -> int:
    fake.now = EMERGENCY_AT
    fake.add_label(repo, "product-emergency")
    number = fake.add_issue(
        repo, title="Checkout is down", labels=["product-emergency"], user="carol"
    )
    emergency(team, env, "--sweep")
    [page] = emergencies.load_pages(team.workdir)
    assert page.issue == f"https://github.com/{repo}/issues/{number}" and page.woken
    return number


def test_a_transferred_emergency_keeps_its_page_and_gets_its_post_mortem_there(
    team: TeamRemote, github_fake: FakeGitHub, tmp_path: Path
) -> None:
    env = product_repositories(team, github_fake, "o/app", "o/web")
    number = paged_emergency(github_fake, team, env, "o/app")
    github_fake.add_label("o/web", "product-emergency")
    woken = emergencies.load_pages(team.workdir)[0].woken
    moved = github_fake.transfer_issue("o/app", number, "o/web", by="alice")
    new = f"https://github.com/o/web/issues/{moved}"

    # the sweep finds it open at o/web: the same emergency, not a new one (and says so once)
    first, second = emergency(team, env, "--sweep"), emergency(team, env, "--sweep")
    assert "moved here" in first.out and "paging now" not in first.out
    assert "every open emergency has its page" in second.out
    [page] = emergencies.load_pages(team.workdir)
    assert page.issue == new and page.former == [f"https://github.com/o/app/issues/{number}"]
    assert page.woken == woken  # nobody woken twice

    github_fake.close_issue("o/web", moved, by="alice")
    closed = delivered(github_fake, tmp_path, "o/web", moved, "closed")
    emergency(team, {**env, "GITHUB_EVENT_PATH": str(closed)}, "--event", str(closed))
    [page] = emergencies.load_pages(team.workdir)
    postmortems = [i for i in github_fake.issues("o/web") if "postmortem" in i.labels]
    assert len(postmortems) == 1 and page.closed is not None
    assert page.postmortem and page.postmortem.endswith(f"/o/web/issues/{postmortems[0].number}")


def test_a_missed_close_after_a_transfer_still_gets_its_post_mortem(
    team: TeamRemote, github_fake: FakeGitHub
) -> None:
    """The sweep used to skip a page whose issue answered 301: its post-mortem was never
    opened. The page follows the issue, and the post-mortem opens where the issue lives."""
    env = product_repositories(team, github_fake, "o/app", "o/web")
    number = paged_emergency(github_fake, team, env, "o/app")
    moved = github_fake.transfer_issue("o/app", number, "o/web", by="alice")
    github_fake.close_issue("o/web", moved, by="alice")  # ... and no event reached ante

    for _ in range(2):
        emergency(team, env, "--sweep")

    postmortems = [i for i in github_fake.issues("o/web") if "postmortem" in i.labels]
    assert len(postmortems) == 1
    assert [i for i in github_fake.issues("o/app") if "postmortem" in i.labels] == []
    [page] = emergencies.load_pages(team.workdir)
    assert page.issue == f"https://github.com/o/web/issues/{moved}"
    assert page.closed is not None and page.postmortem is not None


def test_an_emergency_in_a_renamed_repository_is_not_paged_again(
    team: TeamRemote, github_fake: FakeGitHub, tmp_path: Path
) -> None:
    env = product_repositories(team, github_fake, "o/app")
    number = paged_emergency(github_fake, team, env, "o/app")
    [before] = emergencies.load_pages(team.workdir)
    assert before.issue_id == github_fake.issue("o/app", number).id
    github_fake.rename_repo("o/app", "o/app2")
    rename_in_policy(team, "o/app", "o/app2")

    github_fake.label_issue("o/app2", number, "checkout", by="carol")
    labeled = delivered(github_fake, tmp_path, "o/app2", number, "labeled")
    emergency(team, {**env, "GITHUB_EVENT_PATH": str(labeled)}, "--event", str(labeled))
    emergency(team, env, "--sweep")

    [page] = emergencies.load_pages(team.workdir)
    assert page.issue == f"https://github.com/o/app2/issues/{number}"
    assert page.woken == before.woken and page.paged_at == before.paged_at
    comments = [c for c in github_fake.comments("o/app2", number) if c.user == ANTE]
    assert len(comments) == 1  # the one paging comment, edited in place
