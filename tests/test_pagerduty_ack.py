"""PagerDuty's own acknowledgement, read back by the escalation: an emergency acknowledged (or
resolved) in PagerDuty is acknowledged on the issue, once, and escalates no further; PagerDuty
down, slow to answer or refusing the key never holds the next tier back, and the job summary
says so without the key. The fake PagerDuty REST API checks every request and answer against
PagerDuty's published description."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from ante.core.notify import Notice, NotifyPolicy, dedup_key
from ante.core.paging import Incident, handled_in_pagerduty
from ante.files import emergencies
from ante.notify.channels import channels
from ante.notify.deliver import deliver
from ante.notify.incidents import LookupFailed, find
from testbed import nights
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git
from testbed.nights import at
from testbed.pagerduty_api import API_KEY, PATH, UNREACHABLE, PagerDutyAPI
from testbed.payloads import event_env, issues_event
from testbed.receivers import Receivers

OPENED = "2026-11-21T23:30:00Z"  # a Saturday night: dave (nights) is paged, bob is first-mate
ISSUE = "https://github.com/o/r/issues/{}"


@pytest.fixture
def pagerduty(receivers: Receivers) -> Iterator[PagerDutyAPI]:
    api = PagerDutyAPI(receivers)
    yield api
    assert api.violations == []  # every request and answer as PagerDuty describes them


def night_team(
    team: TeamRemote, receivers: Receivers, fake: FakeGitHub, api: str, *, escalates: bool = False
) -> TeamRemote:
    for name, text in nights.files(
        (team.workdir / "rotations/oncall.yaml").read_text(),
        (team.workdir / "ledger/policy.yaml").read_text(),
        receivers.policy(api=api, escalates=escalates),
    ).items():
        (team.workdir / name).write_text(text)
    git(team.workdir, "add", "-A")
    git(team.workdir, "commit", "-qm", "nights rotation, managers, notify with PagerDuty's API")
    git(team.workdir, "push", "-q", "origin", "main")
    for login in nights.PEOPLE:
        fake.add_user(login)
    return team


def ante(team: TeamRemote, env: dict[str, str], now: str, *args: str):
    result = run_ante(["--repo", str(team.workdir), *args], env={"ANTE_NOW": now, **env})
    assert result.code == 0, result.err
    return result


def emergency(team: TeamRemote, fake: FakeGitHub, receivers: Receivers, env, tmp: Path) -> int:
    fake.now = receivers.now = at(OPENED)
    number = fake.add_issue("o/r", title="Checkout is down", labels=["product-emergency"])
    payload = issues_event(  # opened by a member: members may page
        "opened",
        number=number,
        title="Checkout is down",
        labels=["product-emergency"],
        sender="alice",
    )
    payload["issue"]["created_at"] = OPENED
    ante(
        team, {**env, **event_env(tmp, f"opened-{number}", payload)}, OPENED, "emergency", "--push"
    )
    return number


def page_of(team: TeamRemote, number: int) -> emergencies.Page:
    git(team.workdir, "pull", "-q", "--ff-only", "origin", "main")
    return next(p for p in emergencies.load_pages(team.workdir) if p.number == number)


def comments(fake: FakeGitHub, number: int, marker: str) -> list[str]:
    return [c.body for c in fake.comments("o/r", number) if f"ante:{marker}" in c.body]


def job_env(github_env: dict[str, str], receivers: Receivers, tmp: Path, key: str) -> dict:
    summary = tmp / "summary.md"
    summary.touch()
    return {
        **github_env,
        **receivers.env(),
        "PAGERDUTY_API_KEY": key,
        "GITHUB_STEP_SUMMARY": str(summary),
    }


def test_an_acknowledgement_in_pagerduty_stops_the_escalation_and_is_said_once(
    team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    pagerduty: PagerDutyAPI,
    tmp_path: Path,
) -> None:
    night_team(team, receivers, github_fake, pagerduty.url)
    env = job_env(github_env, receivers, tmp_path, API_KEY)
    number = emergency(team, github_fake, receivers, env, tmp_path)
    assert receivers.incidents == 1 and github_fake.issue("o/r", number).assignees == ["dave"]

    ante(team, env, "2026-11-21T23:34:00Z", "escalate", "--push")  # nobody answered yet
    assert page_of(team, number).acknowledged is None and len(pagerduty.queries) == 1
    assert pagerduty.queries[0]["incident_key"] == [dedup_key(ISSUE.format(number))]

    # Dave acknowledges on his phone, in PagerDuty's app, not on GitHub.
    receivers.now = at("2026-11-21T23:36:00Z")
    receivers.set_status(dedup_key(ISSUE.format(number)), "acknowledged", "Dave *Smith*")
    for now in ("2026-11-21T23:41:00Z", "2026-11-22T00:05:00Z"):  # past both delays
        ante(team, env, now, "escalate", "--push")

    page = page_of(team, number)
    assert page.acknowledged == at("2026-11-21T23:36:00Z")
    assert (page.acknowledged_by, page.acknowledged_via) == ("Dave *Smith*", "pagerduty")
    assert page.woken == ["dave"] and page.first_mate_at is None and page.managers_at is None
    assert github_fake.issue("o/r", number).assignees == ["dave"]
    said = comments(github_fake, number, "pagerduty-ack")
    assert len(said) == 1  # one comment, however many checks run
    assert "**Acknowledged in PagerDuty** by Dave \\*Smith\\*, 2026-11-21 23:36 UTC" in said[0]
    assert "[incident 1](https://ante-test.pagerduty.com/incidents/Q000001)" in said[0]
    log = comments(github_fake, number, "emergency")[0].split("Log:")[1]
    assert "23:36 UTC: acknowledged in PagerDuty by Dave \\*Smith\\*" in log
    assert len(pagerduty.queries) == 2  # once acknowledged, PagerDuty is not asked again
    # Nobody else was paged; the channel hears who answered, with PagerDuty's name escaped.
    assert [h["type"] for h in receivers.webhooks] == ["ante.page", "ante.acknowledge"]
    assert receivers.webhooks[1]["data"]["people"] == []  # a PagerDuty name is not a login
    assert receivers.chat[1].startswith("👀 Dave *Smith* (in PagerDuty) acknowledged Checkout")
    assert "acknowledged in PagerDuty by Dave *Smith*" in git(team.workdir, "log", "--format=%s")
    assert [e["event_action"] for e in receivers.events] == ["trigger"]  # PagerDuty knows


def test_an_incident_resolved_in_pagerduty_counts_as_the_answer(
    team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    pagerduty: PagerDutyAPI,
    tmp_path: Path,
) -> None:
    night_team(team, receivers, github_fake, pagerduty.url)
    env = job_env(github_env, receivers, tmp_path, API_KEY)
    number = emergency(team, github_fake, receivers, env, tmp_path)
    receivers.now = at("2026-11-21T23:38:00Z")
    receivers.set_status(dedup_key(ISSUE.format(number)), "resolved", "Dave Smith")
    ante(team, env, "2026-11-21T23:45:00Z", "escalate", "--push")
    page = page_of(team, number)
    assert page.acknowledged == at("2026-11-21T23:38:00Z") and page.woken == ["dave"]
    assert page.closed is None  # the issue stays open: its close asks for the post-mortem
    said = comments(github_fake, number, "pagerduty-ack")
    assert len(said) == 1 and "**Resolved in PagerDuty** by Dave Smith" in said[0]


@pytest.mark.parametrize(
    ("trouble", "reason"),
    [
        ("503", "HTTP 503: PagerDuty's error"),
        ("unreachable", "could not connect (ConnectionError)"),
        ("wrong key", "HTTP 401: the API key was refused"),
        ("no key", "the secret `PAGERDUTY_API_KEY` is not set for this job"),
    ],
)
def test_pagerduty_out_of_reach_never_holds_the_next_tier_back(
    team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    pagerduty: PagerDutyAPI,
    tmp_path: Path,
    trouble: str,
    reason: str,
) -> None:
    api = UNREACHABLE if trouble == "unreachable" else pagerduty.url
    night_team(team, receivers, github_fake, api)
    key = {"wrong key": "u+WrongRestKey_9zZ1aB", "no key": ""}.get(trouble, API_KEY)
    env = job_env(github_env, receivers, tmp_path, key)
    number = emergency(team, github_fake, receivers, env, tmp_path)
    # Dave did acknowledge in PagerDuty, but ante cannot find out: people are paged anyway.
    receivers.set_status(dedup_key(ISSUE.format(number)), "acknowledged", "Dave Smith")
    if trouble == "503":
        receivers.fail(PATH, *[503] * 5)

    results = [
        ante(team, env, now, "escalate", "--push")
        for now in ("2026-11-21T23:40:00Z", "2026-11-22T00:00:00Z")
    ]
    page = page_of(team, number)
    assert page.woken == ["dave", "bob", "mgr1", "mgr2"] and page.acknowledged is None
    assert page.first_mate_at == at("2026-11-21T23:40:00Z")
    assert page.managers_at == at("2026-11-22T00:00:00Z")
    assert github_fake.issue("o/r", number).assignees == ["dave", "bob", "mgr1", "mgr2"]
    assert comments(github_fake, number, "pagerduty-ack") == []

    summary = (tmp_path / "summary.md").read_text()
    assert summary.count("could not read PagerDuty's incident") == 2, summary
    assert f"23:40 UTC ({reason}" in summary and "escalated anyway (1 step(s) taken)" in summary
    shown = summary + "".join(r.out + r.err for r in results)
    shown += "".join(c.body for c in github_fake.comments("o/r", number))
    git(team.workdir, "pull", "-q", "origin", "main")
    shown += git(team.workdir, "log", "-p", "--all")
    for secret in (*receivers.secrets(), API_KEY, "u+WrongRestKey_9zZ1aB"):
        assert secret not in shown


def test_a_watcher_reports_a_failure_once_and_again_when_it_escalates(
    team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    pagerduty: PagerDutyAPI,
    tmp_path: Path,
) -> None:
    from ante.context import Context
    from ante.services import paging

    night_team(team, receivers, github_fake, pagerduty.url)
    env = job_env(github_env, receivers, tmp_path, API_KEY)
    number = emergency(team, github_fake, receivers, env, tmp_path)
    receivers.fail(PATH, *[502] * 100)  # PagerDuty's API is down all night
    clock = [at("2026-11-21T23:30:30Z")]

    def sleep(seconds: float) -> None:
        clock[0] += timedelta(seconds=seconds)

    ctx = Context(team.workdir, clock[0], env)
    page = paging.watch(
        ctx, ISSUE.format(number), push=True, clock=lambda: clock[0], sleep=sleep, poll=60
    )
    assert page is not None and page.woken == ["dave", "bob", "mgr1", "mgr2"]
    assert page.first_mate_at == at("2026-11-21T23:40:30Z")  # at the configured delays
    assert page.managers_at == at("2026-11-22T00:00:30Z")
    lines = [
        line
        for line in (tmp_path / "summary.md").read_text().splitlines()
        if "PagerDuty's incident" in line
    ]
    assert len(lines) == 3  # the first failure, then each escalation step taken without it
    assert "escalation goes on" in lines[0] and "escalated anyway" in lines[1]


def test_when_pagerduty_escalates_the_watcher_leaves_after_the_first_page(
    team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    pagerduty: PagerDutyAPI,
    tmp_path: Path,
) -> None:
    """PagerDuty's escalation policy has the emergency: a watcher that stayed would bill
    minutes for nothing. Its acknowledgement is still read back by the scheduled check."""
    from ante.context import Context
    from ante.services import paging

    night_team(team, receivers, github_fake, pagerduty.url, escalates=True)
    env = job_env(github_env, receivers, tmp_path, API_KEY)
    number = emergency(team, github_fake, receivers, env, tmp_path)
    naps: list[float] = []
    clock = [at("2026-11-21T23:30:30Z")]
    ctx = Context(team.workdir, clock[0], env)
    page = paging.watch(
        ctx, ISSUE.format(number), push=True, clock=lambda: clock[0], sleep=naps.append, poll=60
    )
    assert page is not None and naps == [] and page.woken == ["dave"]

    receivers.now = at("2026-11-21T23:50:00Z")
    receivers.set_status(dedup_key(ISSUE.format(number)), "acknowledged", "Bob Jones")
    ante(team, env, "2026-11-22T02:00:00Z", "escalate", "--push")  # the scheduled check
    page = page_of(team, number)
    assert page.acknowledged_by == "Bob Jones" and page.woken == ["dave"]
    assert len(comments(github_fake, number, "pagerduty-ack")) == 1


# ---- the adapter and the fake against PagerDuty's description ------------------------------


def test_the_lookup_reads_what_pagerduty_answers(
    receivers: Receivers, pagerduty: PagerDutyAPI
) -> None:
    receivers.now = at(OPENED)
    policy = NotifyPolicy.model_validate(
        {
            "pagerduty": {
                "routing_key": "PAGERDUTY_ROUTING_KEY",
                "url": receivers.url("/pagerduty/v2/enqueue"),
            }
        }
    )
    found, _, _ = channels(policy, receivers.env())
    key = dedup_key(ISSUE.format(7))
    page = Notice("page", "p", "Checkout is down", "text", at(OPENED), dedup=key)
    assert all(d.ok for d in deliver([page], found, attempts=1, backoff_seconds=0, sleep=print))

    (incident,) = find(pagerduty.url, API_KEY, key)
    assert incident.status == "triggered" and incident.created == at(OPENED)
    assert handled_in_pagerduty([incident], at(OPENED)) is None
    receivers.now = at("2026-11-21T23:33:00Z")
    receivers.set_status(key, "acknowledged", "Dave Smith")
    (incident,) = find(pagerduty.url, API_KEY, key)
    assert incident.acknowledgements == ((at("2026-11-21T23:33:00Z"), "Dave Smith"),)
    handled = handled_in_pagerduty([incident], at(OPENED))
    assert handled is not None and (handled.by, handled.status) == ("Dave Smith", "acknowledged")
    assert find(pagerduty.url, API_KEY, "ante/o/r/issues/8") == []

    with pytest.raises(LookupFailed, match="HTTP 401") as refused:
        find(pagerduty.url, "u+NotTheKey_000000000", key)
    assert "NotTheKey" not in str(refused.value)


def test_the_fake_holds_requests_to_pagerduty_s_description(
    receivers: Receivers, pagerduty: PagerDutyAPI
) -> None:
    """Without the versioning Accept header (required by PagerDuty's description), with a
    status PagerDuty does not know or without the key, the fake answers as PagerDuty would and
    records what broke the description."""
    url = pagerduty.url + "/incidents"
    auth = {"Authorization": f"Token token={API_KEY}", "Content-Type": "application/json"}
    no_accept: dict[str, str | None] = {**auth, "Accept": None}  # None: requests sends none
    assert requests.get(url, headers=no_accept, timeout=5).status_code == 400
    headers = {**auth, "Accept": "application/vnd.pagerduty+json;version=2"}
    bad = requests.get(url, params={"statuses[]": "snoozed"}, headers=headers, timeout=5)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == 2001
    unsigned = requests.get(url, headers={"Accept": headers["Accept"]}, timeout=5)
    assert unsigned.status_code == 401  # the description requires the api_key scheme
    assert len(pagerduty.violations) == 3
    assert "SecurityValidationError" in pagerduty.violations[2]
    pagerduty.violations.clear()
    assert requests.get(url, headers=headers, timeout=5).json()["incidents"] == []


def test_the_newest_incident_after_the_page_decides() -> None:
    """A reopened emergency is paged again: its earlier incident, resolved, says nothing."""
    old = Incident("resolved", at("2026-11-20T10:00:00Z"), resolved=at("2026-11-20T11:00:00Z"))
    new = Incident("triggered", at(OPENED))
    assert handled_in_pagerduty([old, new], at(OPENED)) is None
    assert handled_in_pagerduty([old], at(OPENED)) is None
    acked = Incident(
        "acknowledged",
        at(OPENED),
        acknowledgements=((at("2026-11-21T23:39:00Z"), "B"), (at("2026-11-21T23:35:00Z"), "A")),
    )
    handled = handled_in_pagerduty([old, acked], at(OPENED))
    assert handled is not None and (handled.at, handled.by) == (at("2026-11-21T23:35:00Z"), "A")
    other = Incident("snoozed", at(OPENED))  # a status PagerDuty may add: not an answer
    assert handled_in_pagerduty([other], at(OPENED)) is None


def test_a_pasted_api_key_is_refused_without_being_repeated(team: TeamRemote) -> None:
    key = "y_NbAkKc66ryYTWUXYEu"  # the shape of a REST API key
    policy = team.workdir / "ledger" / "policy.yaml"
    policy.write_text(
        policy.read_text()
        + "\nnotify:\n  pagerduty:\n    routing_key: PAGERDUTY_ROUTING_KEY\n"
        + f"    api_key: {key}\n"
    )
    for command in (["validate"], ["escalate"]):  # what validate refuses, every command does
        result = run_ante(["--repo", str(team.workdir), *command])
        assert result.code == 1, command
        assert "ledger/policy.yaml:" in result.err and "name the secret" in result.err
        assert key not in result.out + result.err
