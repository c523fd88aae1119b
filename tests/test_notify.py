"""Notification channels against local fake receivers: PagerDuty Events v2 (validated against
PagerDuty's published schema), a chat webhook and a Standard Webhooks receiver checking
signatures. One page per emergency however often events repeat, a resolve on close, retries
after receiver failures, and no secret in logs, job summaries or the repository."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ante.core.notify import Notice, NotifyPolicy
from ante.files import emergencies
from ante.notify.channels import channels
from ante.notify.deliver import deliver, report
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub
from testbed.gitbed import TeamRemote, git
from testbed.payloads import event_env, issues_event
from testbed.receivers import Receivers

OPENED = "2026-11-21T23:30:00Z"  # Saturday night: alice is captain, bob first-mate


def with_notify(team: TeamRemote, receivers: Receivers, **kw: float) -> None:
    policy = team.workdir / "ledger" / "policy.yaml"
    policy.write_text(policy.read_text() + "\n" + receivers.policy(**kw))  # type: ignore[arg-type]
    git(team.workdir, "commit", "-qam", "notify")
    git(team.workdir, "push", "-q", "origin", "main")


def event(tmp: Path, action: str, number: int, **extra: object) -> dict[str, str]:
    extra.setdefault("sender", "alice")  # a member: the policy lets members page
    payload = issues_event(
        action,
        number=number,
        title="Checkout <b>is</b> down",
        labels=["product-emergency"],
        label="product-emergency" if action == "labeled" else None,
        **extra,  # type: ignore[arg-type]
    )
    payload["issue"]["created_at"] = OPENED
    return event_env(tmp, f"issues-{action}-{number}", payload)


def ante(team: TeamRemote, env: dict[str, str], now: str, *args: str):
    result = run_ante(
        ["--repo", str(team.workdir), *(args or ("emergency", "--push"))],
        env={"ANTE_NOW": now, **env},
    )
    assert result.code == 0, result.err
    return result


def test_one_page_per_emergency_and_a_resolve_on_close(
    team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    tmp_path: Path,
) -> None:
    with_notify(team, receivers)
    number = github_fake.add_issue(
        "o/r", title="Checkout <b>is</b> down", labels=["product-emergency"]
    )
    env = {**github_env, **receivers.env()}
    for _ in range(3):  # delivered twice, re-run once
        ante(team, {**env, **event(tmp_path, "opened", number)}, "2026-11-21T23:31:00Z")
    ante(team, {**env, **event(tmp_path, "labeled", number)}, "2026-11-21T23:32:00Z")

    assert receivers.rejected == []
    assert receivers.incidents == 1
    [trigger] = receivers.events
    assert trigger["event_action"] == "trigger"
    assert trigger["dedup_key"] == f"ante/o/r/issues/{number}"
    assert trigger["payload"]["severity"] == "critical"
    assert trigger["client_url"].endswith(f"/issues/{number}")
    assert len(receivers.chat) == 1 and "Paging @alice" in receivers.chat[0]
    assert "&lt;b&gt;is&lt;/b&gt;" in receivers.chat[0]  # the title cannot format or mention
    [hook] = receivers.webhooks
    assert hook["type"] == "ante.page" and hook["data"]["people"] == ["alice"]

    github_fake.close_issue("o/r", number)
    closed = event(tmp_path, "closed", number, closed_at="2026-11-22T02:00:00Z")
    for _ in range(2):
        ante(team, {**env, **closed}, "2026-11-22T02:01:00Z")
    actions = [e["event_action"] for e in receivers.events]
    assert actions == ["trigger", "resolve"]
    assert receivers.alerts[trigger["dedup_key"]].status == "resolved"
    assert [h["type"] for h in receivers.webhooks] == ["ante.page", "ante.resolve"]
    assert len(receivers.chat) == 2 and receivers.chat[1].startswith("✅ Resolved")
    assert receivers.rejected == []


def test_receiver_failures_are_retried_reported_and_never_block_the_page(
    team: TeamRemote,
    github_fake: FakeGitHub,
    github_env: dict[str, str],
    receivers: Receivers,
    tmp_path: Path,
) -> None:
    with_notify(team, receivers, attempts=3)
    receivers.fail("/chat", 503, 500)  # two failures, then it answers
    receivers.fail("/pagerduty/v2/enqueue", 429)
    receivers.fail("/webhook", *[502] * 3)  # down for this whole run
    summary = tmp_path / "summary.md"
    env = {**github_env, **receivers.env(), "GITHUB_STEP_SUMMARY": str(summary)}
    number = github_fake.add_issue("o/r", title="Checkout is down", labels=["product-emergency"])
    result = ante(team, {**env, **event(tmp_path, "opened", number)}, "2026-11-21T23:31:00Z")

    # The page itself happened: recorded, pushed, assigned and commented.
    [page] = emergencies.load_pages(team.workdir)
    assert page.woken == ["alice"]
    assert "woken: [alice]" in team.show("ledger/pages/2026.yaml")
    assert github_fake.issue("o/r", number).assignees == ["alice"]
    assert receivers.requests["/chat"] == 3 and len(receivers.chat) == 1
    assert receivers.requests["/pagerduty/v2/enqueue"] == 2 and receivers.incidents == 1
    assert receivers.requests["/webhook"] == 3 and receivers.webhooks == []
    text = summary.read_text()
    assert "- chat: Product emergency" in text and "sent (after 3 attempts)" in text
    assert (
        "- webhook: Product emergency" in text and "**failed** after 3 attempt(s): HTTP 502" in text
    )
    assert "failed after 3" in result.out.replace("**", "")
    sent = team.show("ledger/notices/2026.yaml")
    assert f"chat:ante/o/r/issues/{number}/page" in sent
    assert "webhook:" not in sent

    # The hourly check tries the webhook again; nothing else is sent twice.
    ante(team, {**env}, "2026-11-21T23:40:00Z", "escalate", "--push")
    assert len(receivers.webhooks) == 1 and len(receivers.chat) == 1
    assert receivers.incidents == 1 and len(receivers.events) == 1

    for secret in receivers.secrets():
        assert secret not in summary.read_text()
        assert secret not in result.out + result.err
        assert secret not in git(team.workdir, "log", "-p", "--all")


def test_backoff_doubles_and_a_rejected_event_is_not_retried(receivers: Receivers) -> None:
    policy = NotifyPolicy.model_validate(
        {"pagerduty": {"routing_key": "PD_KEY", "url": receivers.url("/pagerduty/v2/enqueue")}}
    )
    found, missing, _ = channels(policy, {"PD_KEY": "not-the-routing-key"})
    assert missing == []
    notice = Notice(
        "page", "k/page", "Checkout down", "text", datetime(2026, 11, 21, tzinfo=UTC), dedup="k"
    )
    waits: list[float] = []
    receivers.fail("/pagerduty/v2/enqueue", 500, 503, 500)
    [result] = deliver([notice], found, attempts=5, backoff_seconds=1.5, sleep=waits.append)
    assert waits == [1.5, 3.0, 6.0]  # three server errors, then PagerDuty's 400 (wrong key)
    assert not result.ok and result.attempts == 4 and result.error == "HTTP 400"
    assert receivers.rejected == ["Invalid routing key"]
    assert receivers.requests["/pagerduty/v2/enqueue"] == 4


def test_an_unreachable_receiver_is_retried_and_its_url_never_shown() -> None:
    secret_url = "http://127.0.0.1:9/hooks/T000/B000/XXXXsecretXXXX"
    policy = NotifyPolicy.model_validate({"chat": {"webhook": "CHAT_URL"}})
    found, _, secrets = channels(policy, {"CHAT_URL": secret_url})
    notice = Notice("reminder", "r1", "Shift tomorrow", "text", datetime(2026, 1, 1, tzinfo=UTC))
    waits: list[float] = []
    [result] = deliver([notice], found, attempts=3, backoff_seconds=0.25, sleep=waits.append)
    assert not result.ok and result.attempts == 3 and waits == [0.25, 0.5]
    assert "could not connect" in (result.error or "")
    shown = report([result], ["PD_KEY"], secrets)
    assert "XXXXsecretXXXX" not in shown and "127.0.0.1:9" not in shown
    assert "the secret `PD_KEY` is not set" in shown


def test_a_pasted_secret_is_refused_without_being_repeated(team: TeamRemote) -> None:
    key = "e93facc04764012d7bfb002500d5d1a6"
    policy = team.workdir / "ledger" / "policy.yaml"
    policy.write_text(policy.read_text() + f"\nnotify:\n  pagerduty:\n    routing_key: {key}\n")
    result = run_ante(["--repo", str(team.workdir), "validate"])
    assert result.code == 1
    assert "ledger/policy.yaml:" in result.err and "name the secret" in result.err
    assert key not in result.out + result.err
