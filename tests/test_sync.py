"""`ante sync` against the fake GitHub: missed events are found and applied once, cheaply."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml
from ante.context import Context
from ante.core import awards
from ante.core.awards import Person, Provenance
from ante.core.models import Entry
from ante.github.types import marker_tag
from testbed.ante import run_ante
from testbed.builders import journal
from testbed.fakegithub import FakeGitHub
from testbed.fakegithub.tokens import WORKFLOW_BOT
from testbed.gitbed import TeamRemote, git

NOW = "2026-11-18T12:00:00Z"
TAG = marker_tag("issue")
ANNOUNCED = f"{TAG}\n<!-- ante-section:award -->\nchips\n<!-- /ante-section:award -->\n"
MEMBERS = ("alice", "bob", "carol")


def sync(repo: Path, env: dict[str, str], *extra: str):
    return run_ante(["--repo", str(repo), "sync", *extra], env={**env, "ANTE_NOW": NOW})


def searches(fake: FakeGitHub) -> int:
    return fake.count("GET", "/search/issues")


def seed(fake: FakeGitHub, count: int) -> list[int]:
    """`count` overhead issues closed as completed today, labelled by a maintainer."""
    fake.now = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
    for login in MEMBERS:
        fake.set_permission("o/r", login, "write")
    fake.set_permission("o/r", "maintainer", "triage")
    numbers = []
    for index in range(count):
        labels = ["overhead:large"] if index % 10 == 0 else ["overhead"]
        number = fake.add_issue(
            "o/r",
            title=f"Overhead {index}",
            labels=labels,
            label_actor="maintainer",
            assignees=[MEMBERS[index % 3]],
        )
        fake.close_issue("o/r", number, by=MEMBERS[index % 3])
        numbers.append(number)
    return numbers


def record_events_for(
    repo: Path, fake: FakeGitHub, numbers: list[int], *, commented: bool = True
) -> None:
    """What `ante award` runs for these issues' close events recorded (one journal write), and
    the comments they posted after their push (unless their runner was lost before that)."""
    ctx = Context(repo=repo, now=datetime(2026, 11, 18, 10, tzinfo=UTC), environ={})
    ledger = ctx.store.load()
    entries: list[Entry] = []
    for number in numbers:
        issue = fake.issue("o/r", number)
        facts = awards.IssueFacts(
            repo="o/r",
            number=number,
            url=f"https://github.com/o/r/issues/{number}",
            title=issue.title,
            state=issue.state,
            state_reason=issue.state_reason,
            labels=tuple(issue.labels),
            assignees=tuple(Person(a) for a in issue.assignees),
            created_at=issue.created_at,
            updated_at=issue.updated_at,
        )
        checked = Provenance({label: "maintainer" for label in issue.labels}, None, known=True)
        wanted = awards.shares(facts, ledger.policy, ledger.members, checked, ("maintainer",))
        entries += awards.reconcile(facts, ledger.policy, wanted, [], ctx.now.date()).entries
    ctx.store.append(ledger, entries)
    git(repo, "commit", "-qam", "events that did run")
    git(repo, "push", "-q", "origin", "main")
    for number in numbers if commented else ():
        fake.add_comment("o/r", number, ANNOUNCED, user=WORKFLOW_BOT)


def test_250_issues_30_percent_missed_all_awarded_from_3_list_pages(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    numbers = seed(github_fake, 250)
    missed = set(numbers[::10] + numbers[1::10] + numbers[2::10])  # 30% never had a run
    record_events_for(team.workdir, github_fake, [n for n in numbers if n not in missed])
    clone = team.clone("runner")
    before = list(github_fake.calls)

    result = sync(clone, github_env, "--push")
    assert result.code == 0, result.err
    calls = github_fake.calls[len(before) :]
    assert searches(github_fake) == 0  # search lags behind writes: never used to reconcile
    # 250 issues, 100 a page (a read that timed out on a busy machine is read again)
    assert 3 <= sum(path == "/repos/o/r/issues" for _, path in calls) <= 4
    assert sum("/permission" in path for _, path in calls) <= 4  # once per person, cached
    # who applied the label decides, so each issue to award shows its timeline once
    assert sum(path.endswith("/timeline") for _, path in calls) == len(missed)
    awarded = journal(team.show("ledger/journal/2026/entries.yaml"), "award", "revoke")
    refs = [e["ref"] for e in awarded]
    assert len(refs) == len(set(refs)) == 250  # 100% awarded, none twice
    assert sum(e["delta"] for e in awarded) == 250 + 25  # every tenth is overhead:large
    assert all(len(github_fake.comments("o/r", n)) == 1 for n in numbers)  # one each
    announced = [n for n in numbers if github_fake.comments("o/r", n)[0].body == ANNOUNCED]
    assert sorted(set(numbers) - set(announced)) == sorted(missed)  # sync said what it did
    cursor = yaml.safe_load(team.show("ledger/sync.yaml"))["cursor"]
    assert str(cursor).startswith("2026-11-18")

    head, calls_before = team.head(), len(github_fake.calls)
    again = sync(clone, github_env, "--push")
    assert again.code == 0, again.err
    assert team.head() == head  # nothing changed, nothing committed
    second = github_fake.calls[calls_before:]
    assert second and all(path == "/repos/o/r/issues" for _, path in second)
    assert run_ante(["--repo", str(team.clone("check")), "validate"]).code == 0


def test_reopened_and_relabelled_issues_are_reconciled(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    first, second, third = seed(github_fake, 3)
    assert sync(team.workdir, github_env).code == 0
    assert len(journal(team.workdir, "award", "revoke")) == 3
    github_fake.reopen_issue("o/r", first)
    github_fake.label_issue("o/r", second, "overhead:large", by="maintainer")
    github_fake.close_issue("o/r", third, reason="not_planned")  # already closed: no change
    result = sync(team.workdir, github_env, "--since", "2026-11-18T00:00:00Z")
    assert result.code == 0, result.err
    entries = journal(team.workdir, "award", "revoke")
    net: dict[str, int] = {}
    for entry in entries:
        net[entry["ref"]] = net.get(entry["ref"], 0) + entry["delta"]
    assert net[f"https://github.com/o/r/issues/{first}"] == 0
    assert net[f"https://github.com/o/r/issues/{second}"] == 2
    assert net[f"https://github.com/o/r/issues/{third}"] == 1
    body = github_fake.comments("o/r", first)[0].body
    assert "reopened" in body


def test_untrusted_earner_needs_the_timeline(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    github_fake.now = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
    own = github_fake.add_issue("o/r", labels=["overhead"], label_actor="bob", assignees=["bob"])
    github_fake.close_issue("o/r", own, by="bob")
    given = github_fake.add_issue("o/r", labels=["overhead"], label_actor="carol", assignees=[])
    github_fake.close_issue("o/r", given, by="alice")
    result = sync(team.workdir, github_env)
    assert result.code == 0, result.err
    entries = journal(team.workdir, "award", "revoke")
    assert [(e["member"], e["ref"].rsplit("/", 1)[1]) for e in entries] == [("alice", str(given))]
    assert github_fake.count("GET", f"/repos/o/r/issues/{own}/timeline") == 1
    assert "applied by @bob themselves" in github_fake.comments("o/r", own)[0].body


def test_without_token_or_repositories_sync_says_so(team: TeamRemote) -> None:
    result = sync(team.workdir, {})
    assert result.code == 0 and "nothing to sync" in result.out
    result = sync(team.workdir, {"GITHUB_REPOSITORY": "o/r"})
    assert result.code == 0 and "no GitHub token" in result.out
    assert not (team.workdir / "ledger/sync.yaml").exists()


def test_a_bad_cursor_is_reported_with_its_line(team: TeamRemote) -> None:
    (team.workdir / "ledger/sync.yaml").write_text("cursor: someday\n")
    result = run_ante(["--repo", str(team.workdir), "validate", "--against", ""])
    assert result.code == 1 and "ledger/sync.yaml:1" in result.err


def test_a_renamed_repository_is_followed_and_nothing_is_awarded_twice(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    """The policy still names a product repository by its old name; GitHub answers that name
    with 301 (reads) and 307 (writes). Sync reads it at its new name with its query intact,
    and its issues keep the journal address their chips were booked at."""
    app = github_fake.app_token(["o/r", "o/app"], "write-all")
    env = {**github_env, "GITHUB_TOKEN": app.value}
    policy = team.workdir / "ledger/policy.yaml"
    policy.write_text(policy.read_text().replace("repositories: []", "repositories: [o/app]"))
    git(team.workdir, "commit", "-qam", "the product repository")
    github_fake.add_repo("o/app")
    github_fake.now = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
    github_fake.set_permission("o/app", "maintainer", "triage")
    first = github_fake.add_issue(
        "o/app", labels=["overhead"], label_actor="maintainer", assignees=["alice"]
    )
    github_fake.close_issue("o/app", first, by="alice")
    assert sync(team.workdir, env).code == 0
    old = f"https://github.com/o/app/issues/{first}"
    assert [e["ref"] for e in journal(team.workdir, "award", "revoke")] == [old]

    github_fake.rename_repo("o/app", "o/app2")
    github_fake.add_comment("o/app2", first, "Thanks!", user="bob")  # listed again
    second = github_fake.add_issue(
        "o/app2", labels=["overhead"], label_actor="maintainer", assignees=["bob"]
    )
    github_fake.close_issue("o/app2", second, by="bob")
    result = sync(team.workdir, env, "--since", "2026-11-18T00:00:00Z")

    assert result.code == 0, result.err
    refs = [e["ref"] for e in journal(team.workdir, "award", "revoke")]
    assert refs == [old, f"https://github.com/o/app2/issues/{second}"]  # #first not twice
    comments = github_fake.comments("o/app2", second)
    assert len(comments) == 1 and "@bob" in comments[0].body  # written at the new name


def test_a_run_lost_after_its_push_is_announced_by_sync_once(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    """The award landed but its runner was lost before the comment: nothing happened on the
    issue since, so nothing else would ever say it. Sync posts the comment (journal untouched),
    keeps the intake section of a comment that has one, and leaves announced issues alone."""
    silent, acknowledged, announced = seed(github_fake, 3)
    intake = f"{TAG}\n<!-- ante-section:intake -->\nThanks\n<!-- /ante-section:intake -->\n"
    github_fake.add_comment("o/r", acknowledged, intake, user=WORKFLOW_BOT)  # before the close
    github_fake.reopen_issue("o/r", acknowledged)
    github_fake.close_issue("o/r", acknowledged, by="bob")
    record_events_for(team.workdir, github_fake, [silent, acknowledged], commented=False)
    record_events_for(team.workdir, github_fake, [announced])
    github_fake.label_issue("o/r", silent, "p2", by="bob")  # a person's label hides the loss
    head, before = team.head(), len(github_fake.calls)

    result = sync(team.workdir, github_env, "--push", "--since", "2026-11-18T00:00:00Z")

    assert result.code == 0, result.err
    assert len(journal(team.show("ledger/journal/2026/entries.yaml"), "award", "revoke")) == 3
    assert team.show("ledger/journal/2026/entries.yaml") == git(
        team.workdir, "show", f"{head}:ledger/journal/2026/entries.yaml"
    )
    said = github_fake.comments("o/r", silent)
    assert len(said) == 1 and "@alice" in said[0].body and "chip" in said[0].body
    both = github_fake.comments("o/r", acknowledged)
    assert len(both) == 1 and "Thanks" in both[0].body and "@bob" in both[0].body
    assert [c.body for c in github_fake.comments("o/r", announced)] == [ANNOUNCED]
    calls = github_fake.calls[before:]
    # one comment listing for each issue the journal changed since the cursor; the announced
    # one's comment came after the journal's write, so it is left as it is
    assert sum(path.endswith("/comments") for m, path in calls if m == "GET") == 3
    assert sum(m in ("POST", "PATCH") for m, _ in calls) == 2

    again, before = sync(team.workdir, github_env, "--push"), len(github_fake.calls)
    assert again.code == 0, again.err
    assert not [c for c in github_fake.calls[before:] if c[0] in ("POST", "PATCH")]


def test_sync_acknowledges_open_overhead_issues_whose_events_were_missed(
    team: TeamRemote, github_fake: FakeGitHub, github_env: dict
) -> None:
    """An overhead issue opened and labelled while every event was dropped: sync (every 8 h)
    tells it where it stands instead of leaving it to the Monday refresh; once only."""
    github_fake.now = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
    github_fake.set_permission("o/r", "maintainer", "triage")
    missed = github_fake.add_issue("o/r", labels=["overhead"], label_actor="maintainer")
    other = github_fake.add_issue("o/r", labels=["bug"], label_actor="maintainer")

    result = sync(team.workdir, github_env, "--push")

    assert result.code == 0, result.err
    assert f"acknowledged (their events were missed): o/r#{missed}" in result.out
    [said] = github_fake.comments("o/r", missed)
    assert "in the team's Overhead queue" in said.body and said.user == WORKFLOW_BOT
    assert github_fake.comments("o/r", other) == []
    notes = yaml.safe_load(team.show("ledger/intake.yaml"))
    assert f"https://github.com/o/r/issues/{missed}" in str(notes)

    before = len(github_fake.calls)
    again = sync(team.workdir, github_env, "--push", "--since", "2026-11-18T00:00:00Z")
    assert again.code == 0, again.err
    assert not [c for c in github_fake.calls[before:] if c[0] in ("POST", "PATCH")]
    assert len(github_fake.comments("o/r", missed)) == 1
