"""A team's GitHub for end-to-end tests: people act, GitHub records it, Actions runs the workflows.

`World` puts an `ante init` team repository on the fake GitHub and its git remote, with this
repository's workflows (or the ones a test gives), and a `Runner` on a simulated clock. People's
actions change the fake as GitHub would (at the runner's time) and deliver the matching webhook
event, built from GitHub's examples and validated against its schema; `drop=True` loses the
delivery (the change still happened). Their pushes carry a personal token, so they start
workflow runs; the workflows' own pushes and writes carry GITHUB_TOKEN, so they start none.

Over 300 lines on purpose: the one façade tests use (people's actions on the fake GitHub, its
git remote and the runner), many small methods that each deliver the event GitHub would send.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from testbed import forwarding, payloads
from testbed.ante import run_ante
from testbed.fakegithub import FakeGitHub, Token
from testbed.fakegithub.webhooks import issues_payload

from . import steps
from .remote import MERGE_IDENTITY, Remotes, git
from .runner import Delivery, Durations, Runner
from .tokens import TokenBook

INIT = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)  # `ante init` (as tests/gitbed.py): alice is
# captain and bob first-mate of the first week, which hands off on Wednesday 2026-11-25, 10:00
START = INIT
FULL_ACCESS = {
    "contents": "write",
    "issues": "write",
    "pull-requests": "write",
    "metadata": "read",
}


def stamp(when: datetime | None) -> str | None:
    return None if when is None else when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class World:
    def __init__(
        self,
        tmp: Path,
        fake: FakeGitHub,
        *,
        repo: str = "o/r",
        members: Sequence[str] = ("alice", "bob", "carol"),
        workflows: Mapping[str, str] | None = None,
        seed: int = 0,
        start: datetime = START,
        durations: Durations | None = None,
        secrets: Mapping[str, str] | None = None,
        schedules: bool = True,
    ) -> None:
        self.tmp, self.fake, self.repo = tmp, fake, repo
        self.members = list(members)
        fake.now = max(fake.now, start)
        try:
            fake.repo(repo)
        except KeyError:
            fake.add_repo(repo)
        for login in self.members:
            fake.set_permission(repo, login, "write")
        self.remotes = Remotes(tmp / "remotes")
        self.tokens = TokenBook(tmp / "remotes" / "tokens.json", fake)
        source = self._team_repo(workflows)
        self.remotes.create(repo, source)
        self.runner = Runner(
            root=tmp / "actions",
            remotes=self.remotes,
            tokens=self.tokens,
            api_url=fake.url,
            start=start,
            seed=seed,
            durations=durations,
            secrets=dict(secrets or {}),
            on_time=self._clock,
        )
        if schedules:
            self.runner.schedule(repo)
        self._people: dict[str, Token] = {}
        self._clones: dict[str, Path] = {}

    # -- set-up ---------------------------------------------------------------------------------

    def _team_repo(self, workflows: Mapping[str, str] | None) -> Path:
        workdir = self.tmp / "team"
        result = run_ante(
            ["init", str(workdir), "--members", ",".join(self.members)],
            env={"ANTE_NOW": stamp(INIT) or ""},
        )
        assert result.code == 0, result.err
        if workflows is not None:
            folder = workdir / ".github" / "workflows"
            shutil.rmtree(folder)
            folder.mkdir()
            for name, text in workflows.items():
                (folder / name).write_text(text, encoding="utf-8")
        git(workdir, "add", "-A")
        git(
            workdir,
            "-c",
            "user.name=ante",
            "-c",
            "user.email=ante@example.com",
            "commit",
            "--quiet",
            "--allow-empty",
            "-m",
            "The team's workflows",
        )
        return workdir

    def _clock(self, now: datetime) -> None:
        self.fake.now = max(self.fake.now, now)

    @property
    def now(self) -> datetime:
        return self.runner.now

    def person(self, login: str, repos: Iterable[str] | None = None) -> Token:
        """`login`'s personal access token (contents, issues, pull requests: write)."""
        if login not in self._people:
            granted = list(repos or [self.repo])
            self._people[login] = self.tokens.personal(login, granted, FULL_ACCESS)
        return self._people[login]

    def install_app(self, repos: Sequence[str]) -> steps.App:
        """The ante GitHub App, installed on `repos`, set up as the README says (variables
        ANTE_APP_CLIENT_ID and ANTE_REPOSITORIES, secret ANTE_APP_PRIVATE_KEY)."""
        app = steps.App(
            client_id="Iv23liAnte0000000000",
            private_key="-----BEGIN RSA PRIVATE KEY-----\ntest bed\n-----END RSA PRIVATE KEY-----",
            slug="ante-app",
            repositories=tuple(repos),
            permissions=dict(FULL_ACCESS),
        )
        self.runner.app = app
        self.runner.vars["ANTE_APP_CLIENT_ID"] = app.client_id
        self.runner.vars["ANTE_REPOSITORIES"] = ",".join(r.split("/")[1] for r in repos)
        self.runner.secrets["ANTE_APP_PRIVATE_KEY"] = app.private_key
        return app

    def add_product(self, repo: str, *, private: bool = True, by: str = "alice") -> None:
        """A product repository whose overhead issues earn chips: created on GitHub and listed
        under `repositories:` in the policy (the README's setup, step 2)."""
        self.fake.add_repo(repo, private=private)
        policy = self.show("ledger/policy.yaml") or ""
        listed = "repositories: []"
        assert listed in policy, "the policy already lists product repositories"
        self.push(
            {"ledger/policy.yaml": policy.replace(listed, f"repositories: [{repo}]")},
            by=by,
            message=f"Overhead issues also live in {repo}",
        )

    def secret_token(self, name: str, identity: str, repos: Sequence[str]) -> Token:
        """A personal token stored as the Actions secret `name`."""
        token = self.tokens.personal(identity, repos, FULL_ACCESS)
        self.runner.secrets[name] = token.value
        return token

    # -- issues ---------------------------------------------------------------------------------

    def issue_event(
        self,
        action: str,
        number: int,
        *,
        repo: str | None = None,
        sender: str,
        label: str | None = None,
    ) -> dict[str, Any]:
        """The `issues` payload GitHub sends now for `number`, as the fake holds it."""
        repo = repo or self.repo
        issue = self.fake.issue(repo, number)
        payload = issues_payload(repo, issue, action, sender, label, self.fake.now)
        return payloads.validated(f"issues-{action}", payload)

    def _issues(
        self,
        action: str,
        number: int,
        by: str,
        repo: str | None,
        drop: bool,
        label: str | None = None,
    ) -> Delivery:
        payload = self.issue_event(action, number, repo=repo, sender=by, label=label)
        return self.runner.deliver("issues", payload, repo=repo or self.repo, drop=drop)

    def open_issue(
        self,
        title: str,
        *,
        by: str = "alice",
        labels: Sequence[str] = (),
        assignees: Sequence[str] = (),
        body: str | None = None,
        repo: str | None = None,
        drop: bool = False,
    ) -> int:
        number = self.fake.add_issue(
            repo or self.repo,
            title=title,
            body=body,
            labels=list(labels),
            user=by,
            assignees=list(assignees),
        )
        self._issues("opened", number, by, repo, drop)
        for name in labels:  # GitHub sends `labeled` for each label an issue is opened with
            self._issues("labeled", number, by, repo, drop, label=name)
        return number

    def label(
        self,
        number: int,
        *names: str,
        by: str = "alice",
        repo: str | None = None,
        drop: bool = False,
    ) -> list[Delivery]:
        sent = []
        for name in names:
            self.fake.label_issue(repo or self.repo, number, name, by=by)
            sent.append(self._issues("labeled", number, by, repo, drop, label=name))
        return sent

    def unlabel(
        self,
        number: int,
        name: str,
        *,
        by: str = "alice",
        repo: str | None = None,
        drop: bool = False,
    ) -> Delivery:
        self.fake.unlabel_issue(repo or self.repo, number, name, by=by)
        return self._issues("unlabeled", number, by, repo, drop, label=name)

    def close(
        self,
        number: int,
        *,
        by: str = "alice",
        reason: str = "completed",
        repo: str | None = None,
        drop: bool = False,
    ) -> Delivery:
        self.fake.close_issue(repo or self.repo, number, by=by, reason=reason)
        return self._issues("closed", number, by, repo, drop)

    def reopen(
        self,
        number: int,
        *,
        by: str = "alice",
        repo: str | None = None,
        drop: bool = False,
    ) -> Delivery:
        self.fake.reopen_issue(repo or self.repo, number, by=by)
        return self._issues("reopened", number, by, repo, drop)

    # -- git and pull requests ------------------------------------------------------------------

    def clone(self, login: str) -> Path:
        """`login`'s working copy of the team repository, up to date with main."""
        path = self._clones.get(login)
        if path is None:
            path = self.tmp / "people" / login
            subprocess.run(
                [
                    "git",
                    "clone",
                    "--quiet",
                    str(self.remotes.path(self.repo)),
                    str(path),
                ],
                check=True,
                capture_output=True,
            )
            git(path, "config", "user.name", login)
            git(path, "config", "user.email", f"{login}@users.noreply.github.com")
            git(
                path,
                "config",
                "remote.origin.receivepack",
                self.remotes.credential(self.person(login)),
            )
            self._clones[login] = path
        git(path, "fetch", "--quiet", "origin")
        git(path, "checkout", "--quiet", "-B", "main", "origin/main")
        return path

    def push(
        self,
        files: Mapping[str, str | None],
        *,
        by: str = "alice",
        message: str = "Update",
        branch: str = "main",
    ) -> list[Delivery]:
        """`by` commits `files` (None deletes) on `branch` and pushes; the push events follow."""
        path = self.clone(by)
        if branch != "main":
            git(path, "checkout", "--quiet", "-B", branch)
        for name, text in files.items():
            target = path / name
            if text is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        git(path, "add", "-A")
        git(path, "commit", "--quiet", "-m", message)
        git(path, "push", "--quiet", "origin", f"HEAD:refs/heads/{branch}")
        return self.runner.collect_pushes()

    def tag(self, name: str, *, by: str = "alice") -> list[Delivery]:
        """`by` tags main and pushes the tag; the push event follows."""
        path = self.clone(by)
        git(path, "tag", name)
        git(path, "push", "--quiet", "origin", f"refs/tags/{name}")
        return self.runner.collect_pushes()

    def open_pull(
        self,
        branch: str,
        files: Mapping[str, str | None],
        *,
        by: str = "alice",
        title: str = "A change",
        drop: bool = False,
    ) -> int:
        self.push(files, by=by, message=title, branch=branch)
        number = self.fake.add_pull(self.repo, head=branch, title=title, user=by)
        self._pull_event("opened", number, by, drop)
        return number

    def _pull_refs(self, number: int, branch: str) -> None:
        bare = self.remotes.path(self.repo)
        head = git(bare, "rev-parse", f"refs/heads/{branch}").strip()
        base = git(bare, "rev-parse", "refs/heads/main").strip()
        git(bare, "update-ref", f"refs/pull/{number}/head", head)
        tree = subprocess.run(
            ["git", "-C", str(bare), "merge-tree", "--write-tree", base, head],
            capture_output=True,
            text=True,
            check=False,
        )
        if tree.returncode == 0:
            merge = git(
                bare,
                "commit-tree",
                tree.stdout.split()[0],
                "-p",
                base,
                "-p",
                head,
                "-m",
                f"Merge {head} into {base}",
            ).strip()
            git(bare, "update-ref", f"refs/pull/{number}/merge", merge)
        else:  # a conflicted pull request has no merge ref
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(bare),
                    "update-ref",
                    "-d",
                    f"refs/pull/{number}/merge",
                ],
                check=False,
            )

    def _pull_event(self, action: str, number: int, by: str, drop: bool) -> Delivery:
        issue = self.fake.issue(self.repo, number)
        assert issue.pull is not None
        if issue.state == "open":  # GitHub keeps refs/pull/N/{head,merge} up to date
            self._pull_refs(number, issue.pull.head)
        payload = payloads.pull_request_event(
            action,
            repo=self.repo,
            number=number,
            title=issue.title,
            head=issue.pull.head,
            base=issue.pull.base,
            merged=issue.pull.merged_at is not None,
            labels=issue.labels,
            author=issue.user,
            sender=by,
        )
        pull = payload["pull_request"]
        bare = self.remotes.path(self.repo)
        pull["head"]["sha"] = git(bare, "rev-parse", f"refs/pull/{number}/head").strip()
        pull["base"]["sha"] = git(bare, "rev-parse", f"refs/heads/{issue.pull.base}").strip()
        payload = payloads.validated(f"pull-request-{action}", payload)
        return self.runner.deliver("pull_request", payload, repo=self.repo, drop=drop)

    def merge_pull(self, number: int, *, by: str = "alice", drop: bool = False) -> None:
        """`by` merges the pull request (a merge commit, pushed as `by`)."""
        issue = self.fake.issue(self.repo, number)
        assert issue.pull is not None and issue.state == "open", f"#{number} is not open"
        self._pull_refs(number, issue.pull.head)
        path = self.clone(MERGE_IDENTITY)  # the merge button: GitHub pushes the merge commit
        git(path, "fetch", "--quiet", "origin", issue.pull.head)
        git(
            path,
            "merge",
            "--quiet",
            "--no-ff",
            "-m",
            f"Merge pull request #{number} from {self.repo.split('/')[0]}/{issue.pull.head}",
            "FETCH_HEAD",
        )
        git(path, "push", "--quiet", "origin", "HEAD:refs/heads/main")
        self.fake.merge_pull(self.repo, number, by=by)
        self._pull_event("closed", number, by, drop)
        self.runner.collect_pushes(drop=drop, actor=by)

    # -- dispatches -----------------------------------------------------------------------------

    def dispatch(
        self,
        workflow: str,
        inputs: Mapping[str, Any] | None = None,
        *,
        by: str = "alice",
    ) -> Delivery:
        """`by` runs `workflow` by hand (Run workflow), on main."""
        payload = payloads.workflow_dispatch_event(
            repo=self.repo,
            workflow=f".github/workflows/{workflow}",
            inputs=dict(inputs or {}),
            sender=by,
        )
        return self.runner.deliver("workflow_dispatch", payload, repo=self.repo)

    def forward(
        self,
        action: str,
        number: int,
        *,
        repo: str,
        by: str,
        label: str | None = None,
        drop: bool = False,
    ) -> Delivery | None:
        """A product repository's issue event, forwarded by the README's workflow (its `on:`,
        its `if:` and its jq program, as written there); None when that workflow sends nothing."""
        payload = self.issue_event(action, number, repo=repo, sender=by, label=label)
        body = forwarding.forward(payload)
        if body is None:
            return None
        return self.repository_dispatch(
            body["event_type"], body["client_payload"], by=by, drop=drop
        )

    def repository_dispatch(
        self,
        event_type: str,
        client_payload: dict[str, Any],
        *,
        by: str = "alice",
        drop: bool = False,
    ) -> Delivery:
        payload = payloads.repository_dispatch_event(
            event_type, repo=self.repo, client_payload=client_payload, sender=by
        )
        return self.runner.deliver("repository_dispatch", payload, repo=self.repo, drop=drop)

    # -- reading the results --------------------------------------------------------------------

    def show(self, path: str, ref: str = "main") -> str | None:
        return self.remotes.show(self.repo, path, ref)
