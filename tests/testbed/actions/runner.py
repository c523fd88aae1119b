"""GitHub Actions for tests: this repository's workflows run as GitHub runs them, on a clock.

The runner receives events (`deliver`), decides which workflows they start (`triggers`), queues
the runs into their concurrency groups (`concurrency`), evaluates job and step `if:` with GitHub's
own evaluator (`workflows`), hands each job a GITHUB_TOKEN with its `permissions:` (`tokens`) and
executes its steps for real (`steps`) against the fake GitHub and its git remotes (`remote`).

Time is simulated: nothing waits. Every step takes a duration drawn from `Durations` with the
runner's seeded random generator, and a step's effects happen at the instant it ends, so runs
overlap and interleave the same way for the same seed. `advance` moves the clock (firing `schedule`
crons on the way, a little late as GitHub's are), `drain` runs until nothing is queued or running.

GitHub's rules kept here: events made with GITHUB_TOKEN start no runs (except workflow_dispatch
and repository_dispatch); a workflow-level concurrency group is entered when the run is queued,
before any job's `if:` is evaluated (so a run whose jobs are all skipped still takes its place);
a job-level group only by a job whose `if:` held; a pending run's checkout is the commit of its
event, however long it waited.

Over 300 lines on purpose: the event loop, runs, jobs and steps share one clock and one queue;
split apart, every piece would pass the heap and the random generator around.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from testbed.fakegithub import Token

from . import events, steps, triggers
from .concurrency import Groups
from .remote import Push, Remotes
from .tokens import ACTIONS_BOT, RESTRICTED_DEFAULT, TokenBook, job_permissions
from .workflows import Job, Workflow, bridge

ANY = "*"  # kill_next_push: any workflow
TOKEN_EXEMPT = {"workflow_dispatch", "repository_dispatch"}
WEB = "https://github.com"


@dataclass(frozen=True)
class Durations:
    """Ranges (seconds) the runner draws from; the same seed gives the same timeline."""

    pickup: tuple[float, float] = (3, 20)  # a queued job waits for a hosted runner
    checkout: tuple[float, float] = (2, 6)
    setup: tuple[float, float] = (15, 45)  # setup-python with its cache, pip install
    run: tuple[float, float] = (4, 20)
    schedule_delay: tuple[float, float] = (
        60,
        600,
    )  # cron runs start late, often by minutes

    def step(self, rng: random.Random, step: Any) -> float:
        uses = (step.uses or "").split("@")[0]
        span = {"actions/checkout": self.checkout}.get(uses)
        if span is None:
            span = self.setup if uses.startswith("./") else self.run
        return round(rng.uniform(*span), 1)


@dataclass
class Delivery:
    """One event as the runner received it, and what came of it."""

    id: int
    name: str
    payload: dict[str, Any]
    repo: str
    at: datetime
    actor: str
    fate: str  # "delivered", "dropped", or "ignored" (made with GITHUB_TOKEN)
    runs: list[Run] = field(default_factory=list)


@dataclass
class StepRecord:
    title: str
    conclusion: str
    log: str
    started_at: datetime
    finished_at: datetime


class JobRun:
    def __init__(self, run: Run, job: Job) -> None:
        self.run, self.job, self.runner = run, job, run.runner
        self.status = "waiting"  # waiting (needs), pending (group), queued, in_progress, completed
        self.conclusion: str | None = None
        self.steps: list[StepRecord] = []
        self.group: str | None = None
        self.token: Token | None = None
        self.started_at: datetime | None = None
        self.finished_at: datetime | None = None
        self.contexts: dict[str, Any] = {}
        self.env: dict[str, str] = {}  # from GITHUB_ENV
        self.path: list[str] = []  # from GITHUB_PATH and setup actions
        self.outputs: dict[str, dict[str, str]] = {}
        self.outcomes: dict[str, str] = {}
        self.failed = False
        self.name = f"{run.id}-{job.id}"
        self.home = self.runner.root / "jobs" / self.name
        self.workspace = self.home / "work" / run.repo.split("/")[1]
        self.temp = self.home / "temp"

    def __repr__(self) -> str:
        return f"<job {self.job.id} of {self.run!r}: {self.status} {self.conclusion or ''}>"

    def cancel(self, reason: str) -> None:
        self.runner._cancel_job(self, reason)

    def outputs_context(self) -> dict[str, Any]:
        return {
            step: {
                "outputs": outputs,
                "outcome": self.outcomes[step],
                "conclusion": self.outcomes[step],
            }
            for step, outputs in self.outputs.items()
            if not step.startswith("__")
        }

    @property
    def log(self) -> str:
        return "\n".join(f"## {s.title} ({s.conclusion})\n{s.log}" for s in self.steps)

    def base_env(self) -> dict[str, str]:
        """What every process of the job sees, before env: and GITHUB_ENV."""
        github = self.contexts["github"]
        env = {
            "PATH": ":".join([*self.path, *steps.runner_path()]),
            "HOME": str(self.home / "home"),
            "LANG": "C.UTF-8",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "RUNNER_NAME": "GitHub Actions 1",
            "RUNNER_ENVIRONMENT": "github-hosted",
            "RUNNER_TEMP": str(self.temp),
            "RUNNER_TOOL_CACHE": str(self.runner.root / "toolcache"),
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_ENV": "",
            "PYTHONPATH": str(Path(__file__).with_name("site")),
            "GIT_TERMINAL_PROMPT": "0",
            "TESTBED_JOB": self.name,
            "ANTE_NOW": self.runner.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        for key in (
            "event_name",
            "event_path",
            "repository",
            "repository_owner",
            "repository_id",
            "ref",
            "ref_name",
            "ref_type",
            "sha",
            "actor",
            "triggering_actor",
            "run_id",
            "run_number",
            "run_attempt",
            "workflow",
            "workflow_ref",
            "job",
            "server_url",
            "api_url",
            "graphql_url",
            "head_ref",
            "base_ref",
            "retention_days",
        ):
            env[f"GITHUB_{key.upper()}"] = str(github.get(key, ""))
        return env

    def command_files(self) -> dict[str, Path]:
        files = {}
        for name in (
            "GITHUB_ENV",
            "GITHUB_PATH",
            "GITHUB_OUTPUT",
            "GITHUB_STEP_SUMMARY",
        ):
            path = self.temp / "_runner_file_commands" / f"{name.lower()}_{len(self.steps)}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("", encoding="utf-8")
            files[name] = path
        return files

    def read_command_files(self, files: dict[str, Path]) -> None:
        self.env.update(steps.parse_env_file(files["GITHUB_ENV"].read_text(encoding="utf-8")))
        for line in files["GITHUB_PATH"].read_text(encoding="utf-8").splitlines():
            if line.strip():
                self.path.insert(0, line.strip())
        self.run.summary += files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")


class Run:
    def __init__(
        self,
        runner: Runner,
        number: int,
        workflow: Workflow,
        delivery: Delivery,
        sha: str,
        ref: str,
    ) -> None:
        self.runner, self.workflow, self.delivery = runner, workflow, delivery
        self.id, self.number = number, number
        self.repo, self.sha, self.ref = delivery.repo, sha, ref
        self.event = delivery.name
        self.status = "queued"  # queued, pending, in_progress, completed
        self.conclusion: str | None = None
        self.cancel_reason: str | None = None
        self.group: str | None = None
        self.created_at = runner.now
        self.started_at: datetime | None = None
        self.finished_at: datetime | None = None
        self.summary = ""
        self.jobs = {job.id: JobRun(self, job) for job in workflow.jobs}
        self.inputs: dict[str, Any] = {}

    def __repr__(self) -> str:
        state = f"{self.status} {self.conclusion or ''}".strip()
        return f"<run {self.id} {self.workflow.name} on {self.event}: {state}>"

    @property
    def name(self) -> str:
        return self.workflow.name

    def cancel(self, reason: str) -> None:
        self.runner._cancel_run(self, reason)

    @property
    def log(self) -> str:
        parts = [f"# {self.name} #{self.id} ({self.event}): {self.conclusion}"]
        if self.cancel_reason:
            parts.append(self.cancel_reason)
        parts += [f"### job {j.job.id}: {j.conclusion}\n{j.log}" for j in self.jobs.values()]
        return "\n".join(parts)


class Runner:
    """The Actions service of one test world (see the module docstring)."""

    def __init__(
        self,
        *,
        root: Path,
        remotes: Remotes,
        tokens: TokenBook,
        api_url: str,
        start: datetime,
        seed: int = 0,
        durations: Durations | None = None,
        secrets: dict[str, str] | None = None,
        variables: dict[str, str] | None = None,
        default_permissions: dict[str, str] | None = None,
        on_time: Callable[[datetime], None] | None = None,
    ) -> None:
        self.root, self.remotes, self.tokens, self.api_url = (
            root,
            remotes,
            tokens,
            api_url,
        )
        self.now = start.astimezone(UTC)
        self.rng = random.Random(seed)
        self.durations = durations or Durations()
        self.secrets = dict(secrets or {})
        self.vars = dict(variables or {})
        self.app: steps.App | None = None
        self.default_permissions = dict(default_permissions or RESTRICTED_DEFAULT)
        self.on_time = on_time
        self.deliveries: list[Delivery] = []
        self.runs: list[Run] = []
        self._groups: dict[str, Groups] = {}
        self._queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._ids = itertools.count(1)
        self._planned_until: dict[str, datetime] = {}
        self._workflows: dict[tuple[str, str], list[Workflow]] = {}
        self._kill_armed: str | None = None
        self._activity_seen = len(tokens.fake.activity_since(0))

    # -- reading back ---------------------------------------------------------------------------

    def runs_of(self, workflow: str, *, conclusion: str | None = None) -> list[Run]:
        return [
            r
            for r in self.runs
            if workflow in (r.name, r.workflow.path.rsplit("/", 1)[-1])
            and (conclusion is None or r.conclusion == conclusion)
        ]

    def active(self) -> list[Run]:
        return [r for r in self.runs if r.status != "completed"]

    def groups(self, repo: str) -> Groups:
        return self._groups.setdefault(repo.lower(), Groups())

    # -- the clock ------------------------------------------------------------------------------

    def _at(self, when: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self._queue, (when, next(self._seq), action))

    def _tick(self, when: datetime) -> None:
        self.now = max(self.now, when)
        if self.on_time is not None:
            self.on_time(self.now)

    def advance(self, by: timedelta | None = None, *, until: datetime | None = None) -> None:
        """Move the clock, running whatever is due and firing the crons on the way."""
        target = until if until is not None else self.now + (by or timedelta())
        self._plan_schedules(target)
        while self._queue and self._queue[0][0] <= target:
            when, _, action = heapq.heappop(self._queue)
            self._tick(when)
            action()
        self._tick(target)

    def drain(self, *, limit: timedelta = timedelta(days=2)) -> None:
        """Run until nothing is queued, pending or running (crons due by then fire too)."""
        deadline = self.now + limit
        while self._queue and self._queue[0][0] <= deadline:
            when, _, action = heapq.heappop(self._queue)
            self._tick(when)
            action()
        if self.active():
            raise AssertionError(f"runs still active after {limit}: {self.active()}")

    # -- events ---------------------------------------------------------------------------------

    def deliver(
        self,
        name: str,
        payload: dict[str, Any],
        *,
        repo: str,
        token: Token | None = None,
        drop: bool = False,
        starts_runs: bool = True,
    ) -> Delivery:
        """An event on `repo` happened now, made by a person or with `token` (`starts_runs`
        False: made with a GITHUB_TOKEN the fake saw)."""
        actor = token.identity if token else (payload.get("sender") or {}).get("login", "")
        delivery = Delivery(next(self._ids), name, payload, repo, self.now, actor, "delivered")
        self.deliveries.append(delivery)
        made_by_workflow = not starts_runs or (token is not None and not token.starts_runs)
        if made_by_workflow and name not in TOKEN_EXEMPT:
            delivery.fate = "ignored"
            return delivery
        if drop:
            delivery.fate = "dropped"
            return delivery
        sha, ref, files = self._commit_of(name, payload, repo)
        if sha is None:
            return delivery
        # GitHub creates the runs of one event in no documented order: the seed picks one.
        for workflow in self.rng.sample(
            self.workflows(repo, sha), k=len(self.workflows(repo, sha))
        ):
            if name == "workflow_dispatch" and payload.get("workflow") != workflow.path:
                continue  # a dispatch names its one workflow
            if triggers.starts(workflow.events, name, payload, files):
                self._queue_run(workflow, delivery, sha, ref)
        return delivery

    def _commit_of(
        self, name: str, payload: dict[str, Any], repo: str
    ) -> tuple[str | None, str, list[str]]:
        if name == "push":
            if payload["deleted"]:
                return None, payload["ref"], []
            return payload["after"], payload["ref"], events.changed_paths(payload)
        if name in ("pull_request", "pull_request_target"):
            number = payload["pull_request"]["number"]
            base = payload["pull_request"]["base"]
            if name == "pull_request":
                ref = f"refs/pull/{number}/merge"
                sha = self.remotes.head(repo, ref)
                if sha is None:  # closed pull requests run on their head
                    ref = f"refs/pull/{number}/head"
                    sha = self.remotes.head(repo, ref)
            else:
                ref = f"refs/heads/{base['ref']}"
                sha = self.remotes.head(repo, ref)
            head = self.remotes.head(repo, f"refs/pull/{number}/head")
            base_sha = self.remotes.head(repo, f"refs/heads/{base['ref']}")
            files = self.remotes.changed(repo, base_sha, head) if head and base_sha else []
            return sha, ref, files
        asked = payload.get("ref") if name == "workflow_dispatch" else None
        ref = str(asked or "refs/heads/main")
        return self.remotes.head(repo, ref), ref, []

    def workflows(self, repo: str, sha: str) -> list[Workflow]:
        """The workflows GitHub reads at `sha` (invalid ones stop the test)."""
        key = (repo.lower(), sha)
        if key not in self._workflows:
            found = []
            for path in self.remotes.files(repo, sha, ".github/workflows"):
                if path.endswith((".yml", ".yaml")):
                    text = self.remotes.show(repo, path, sha) or ""
                    found.append(bridge().parse(path, text))
            self._workflows[key] = found
        return self._workflows[key]

    def collect_pushes(self, *, drop: bool = False, actor: str | None = None) -> list[Delivery]:
        """Raise the `push` events of every push accepted since the last call (`actor`: whose
        they are when not the token's, e.g. who pressed the merge button)."""
        return [self._pushed(push, drop, actor) for push in self.remotes.pushes()]

    def collect_activity(self) -> list[Delivery]:
        """Raise the webhooks of what jobs did through the API since the last call: an App's or a
        personal token's comments, labels, closes... start workflow runs as a person's do, so a
        loop would show here; GITHUB_TOKEN's start none. (What people do, the world delivers as
        it happens.)"""
        fake = self.tokens.fake
        fresh = fake.activity_since(self._activity_seen)
        self._activity_seen += len(fresh)
        raised = []
        for activity in fresh:
            if activity.via == "web" or activity.event not in ("issues", "issue_comment"):
                continue
            hook = fake.webhook(activity)
            raised.append(
                self.deliver(
                    hook.event, hook.payload, repo=activity.repo, starts_runs=hook.starts_runs
                )
            )
        return raised

    def _pushed(self, push: Push, drop: bool, actor: str | None) -> Delivery:
        token = self.tokens.get(push.token)
        identity = actor or (token.identity if token else "unknown")
        bot = identity.endswith("[bot]")
        payload = events.push_payload(self.remotes, push, identity, bot=bot)
        if actor is not None:  # a person's doing (the merge button), not the token's
            return self.deliver("push", payload, repo=push.repo, drop=drop)
        return self.deliver("push", payload, repo=push.repo, token=token, drop=drop)

    # -- schedules ------------------------------------------------------------------------------

    def _plan_schedules(self, until: datetime) -> None:
        for repo in self._scheduled_repos():
            start = self._planned_until.get(repo, self.now)
            if until <= start:
                continue
            self._planned_until[repo] = until
            head = self.remotes.head(repo)
            if head is None:
                continue
            for workflow in self.workflows(repo, head):
                for entry in workflow.events.get("schedule") or []:
                    for when in triggers.cron_times(entry["cron"], start, until):
                        delay = timedelta(seconds=self.rng.uniform(*self.durations.schedule_delay))
                        self._at(
                            when + delay,
                            functools.partial(self._cron, repo, workflow.path, entry["cron"]),
                        )

    def _scheduled_repos(self) -> list[str]:
        return sorted(self._planned_until)

    def schedule(self, repo: str) -> None:
        """Fire `repo`'s crons from now on (its default branch's workflows)."""
        self._planned_until.setdefault(repo.lower(), self.now)

    def _cron(self, repo: str, path: str, cron: str) -> None:
        head = self.remotes.head(repo)
        if head is None:
            return
        for workflow in self.workflows(repo, head):
            schedules = workflow.events.get("schedule") or []
            if workflow.path == path and any(s["cron"] == cron for s in schedules):
                delivery = Delivery(
                    next(self._ids),
                    "schedule",
                    {"schedule": cron},
                    repo,
                    self.now,
                    "",
                    "delivered",
                )
                self.deliveries.append(delivery)
                self._queue_run(workflow, delivery, head, "refs/heads/main")

    # -- runs -----------------------------------------------------------------------------------

    def _github(self, run: Run) -> dict[str, Any]:
        repo = run.repo
        payload = run.delivery.payload
        ref = run.ref
        pull = payload.get("pull_request") if run.event.startswith("pull_request") else None
        return {
            "event": payload,
            "event_name": run.event,
            "event_path": str(self.root / "events" / f"{run.id}.json"),
            "repository": repo,
            "repository_owner": repo.split("/")[0],
            "repository_id": str(abs(hash(repo.lower())) % 10**9),
            "ref": ref,
            "ref_name": ref.split("/", 2)[-1] if not pull else f"{pull['number']}/merge",
            "ref_type": "tag" if ref.startswith("refs/tags/") else "branch",
            "sha": run.sha,
            "actor": run.delivery.actor or ACTIONS_BOT,
            "triggering_actor": run.delivery.actor or ACTIONS_BOT,
            "run_id": str(run.id),
            "run_number": str(run.number),
            "run_attempt": "1",
            "workflow": run.workflow.name,
            "workflow_ref": f"{repo}/{run.workflow.path}@{ref}",
            "server_url": WEB,
            "api_url": self.api_url,
            "graphql_url": f"{self.api_url}/graphql",
            "head_ref": pull["head"]["ref"] if pull else "",
            "base_ref": pull["base"]["ref"] if pull else "",
            "retention_days": "90",
            "secret_source": "Actions",
        }

    def _inputs(self, run: Run) -> dict[str, Any]:
        """The `inputs` context: workflow_dispatch inputs with their defaults and types."""
        if run.event != "workflow_dispatch":
            return {}
        given = run.delivery.payload.get("inputs") or {}
        declared = (run.workflow.events.get("workflow_dispatch") or {}).get("inputs") or {}
        inputs: dict[str, Any] = {}
        for name, spec in declared.items():
            value = given.get(name, spec.get("default", ""))
            if spec.get("required") and name not in given and "default" not in spec:
                raise AssertionError(f"{run.workflow.path}: input {name!r} is required")
            if spec.get("type") == "boolean":
                value = str(value).lower() == "true" if not isinstance(value, bool) else value
            inputs[name] = value
        return inputs

    def _queue_run(self, workflow: Workflow, delivery: Delivery, sha: str, ref: str) -> Run:
        run = Run(self, next(self._ids), workflow, delivery, sha, ref)
        self.runs.append(run)
        delivery.runs.append(run)
        run.inputs = self._inputs(run)
        event_file = self.root / "events" / f"{run.id}.json"
        event_file.parent.mkdir(parents=True, exist_ok=True)
        event_file.write_text(json.dumps(delivery.payload, indent=2), encoding="utf-8")
        contexts = {
            "github": self._github(run),
            "inputs": run.inputs,
            "vars": self.vars,
        }
        setting = self._concurrency(workflow.concurrency, contexts)
        if setting is None:
            self._start_run(run)
            return run
        name, cancel, queue = setting
        run.group = name
        run.status = "pending"
        if self.groups(run.repo).enter(name, run, cancel_in_progress=cancel, queue=queue):
            self._start_run(run)
        return run

    def _concurrency(self, spec: Any, contexts: dict[str, Any]) -> tuple[str, bool, str] | None:
        if spec is None:
            return None
        value = bridge().evaluate(spec, contexts)
        if isinstance(value, str):
            return (value, False, "single") if value else None
        group = steps.string_value(value.get("group"))
        cancel = value.get("cancel-in-progress", False)
        cancel = cancel if isinstance(cancel, bool) else str(cancel).lower() == "true"
        queue = value.get("queue") or "single"
        if queue == "max" and cancel:
            raise AssertionError("queue: max needs cancel-in-progress false or unset")
        return (group, cancel, queue) if group else None

    def _start_run(self, run: Run) -> None:
        if run.status == "completed":
            return
        run.status = "in_progress"
        run.started_at = self.now
        self._at(self.now, lambda: self._ready_jobs(run))

    def _ready_jobs(self, run: Run) -> None:
        for job in run.jobs.values():
            if job.status != "waiting" or run.status == "completed":
                continue
            needs = [run.jobs[n] for n in job.job.needs]
            if all(n.status == "completed" for n in needs):
                self._job_ready(job, needs)
        self._maybe_done(run)

    def _job_ready(self, job: JobRun, needs: list[JobRun]) -> None:
        run = job.run
        job.contexts = {
            "github": self._github(run),
            "inputs": run.inputs,
            "vars": self.vars,
            "needs": {
                n.job.id: {
                    "result": n.conclusion,
                    "outputs": n.outputs.get("__job__", {}),
                }
                for n in needs
            },
        }
        results = {n.conclusion for n in needs}
        status = (
            "cancelled"
            if "cancelled" in results
            else "failure"
            if "failure" in results
            else "skipped"
            if "skipped" in results
            else "success"
        )
        if not bridge().holds(job.job.if_, job.contexts, status=status):
            self._job_done(job, "skipped")
            return
        setting = self._concurrency(job.job.concurrency, job.contexts)
        if setting is None:
            self._queue_job(job)
            return
        name, cancel, queue = setting
        job.group = name
        job.status = "pending"
        if self.groups(run.repo).enter(name, job, cancel_in_progress=cancel, queue=queue):
            self._queue_job(job)

    def _queue_job(self, job: JobRun) -> None:
        if job.status == "completed":
            return
        job.status = "queued"
        self._at(
            self.now + timedelta(seconds=self._draw(self.durations.pickup)),
            lambda: self._start_job(job),
        )

    def _draw(self, span: tuple[float, float]) -> float:
        return round(self.rng.uniform(*span), 1)

    def _start_job(self, job: JobRun) -> None:
        if job.status == "completed":
            return
        run = job.run
        job.status = "in_progress"
        job.started_at = self.now
        permissions = job_permissions(
            run.workflow.permissions, job.job.permissions, self.default_permissions
        )
        job.token = self.tokens.workflow(run.repo, permissions)
        for folder in (job.workspace, job.temp, job.home / "home"):
            folder.mkdir(parents=True, exist_ok=True)
        github = job.contexts["github"] | {
            "token": job.token.value,
            "job": job.job.id,
            "workspace": str(job.workspace),
        }
        secrets = {"GITHUB_TOKEN": job.token.value, **self.secrets}
        job.contexts |= {
            "github": github,
            "secrets": secrets,
            "job": {"status": "success"},
            "runner": {
                "os": "Linux",
                "arch": "X64",
                "temp": str(job.temp),
                "name": "GitHub Actions 1",
            },
            "strategy": {},
            "matrix": {},
            "steps": {},
        }
        job.contexts["env"] = self._env(run.workflow.env, job.contexts)
        job.contexts["env"] |= self._env(job.job.env, job.contexts)
        self._next_step(job, 0)

    def _env(self, spec: Any, contexts: dict[str, Any]) -> dict[str, str]:
        if not spec:
            return {}
        value = bridge().evaluate(spec, contexts)
        return {k: steps.string_value(v) for k, v in value.items()}

    def _next_step(self, job: JobRun, index: int) -> None:
        if index >= len(job.job.steps):
            self._job_done(job, "failure" if job.failed else "success")
            return
        step = job.job.steps[index]
        started = self.now
        duration = timedelta(seconds=self.durations.step(self.rng, step))
        self._at(self.now + duration, lambda: self._run_step(job, index, started))

    def _run_step(self, job: JobRun, index: int, started: datetime) -> None:
        if job.status == "completed":
            return
        step = job.job.steps[index]
        contexts = job.contexts | {
            "env": job.contexts["env"] | job.env,
            "steps": job.outputs_context(),
            "job": {"status": "failure" if job.failed else "success"},
        }
        status = "failure" if job.failed else "success"
        if not bridge().holds(step.if_, contexts, status=status):
            job.outputs[step.id], job.outcomes[step.id] = {}, "skipped"
            job.steps.append(StepRecord(step.title, "skipped", "", started, self.now))
            self._next_step(job, index + 1)
            return
        if step.uses:
            inputs = bridge().evaluate(step.with_, contexts)
            outcome = steps.run_action(
                job, step.uses, {k: steps.string_value(v) for k, v in inputs.items()}
            )
        else:
            env = job.base_env() | contexts["env"] | self._env(step.env, contexts)
            source = steps.string_value(bridge().evaluate(step.run, contexts))
            if self._kill_armed in (ANY, job.run.workflow.name):
                self.remotes.kill_after_push(job.name)
            script = steps.Script(
                job,
                source,
                env,
                steps.string_value(bridge().evaluate(step.working_directory, contexts)) or None,
            )
            self._follow(job, index, started, script)
            return
        self._step_done(job, index, started, outcome)

    def _follow(self, job: JobRun, index: int, started: datetime, script: steps.Script) -> None:
        """Run the step's process until it ends, or until it sleeps: then the clock moves on
        (other jobs and events meanwhile) and the process is woken at the time it asked for."""
        if job.status == "completed":  # cancelled while its step slept
            script.kill()
            return
        event = script.wait()
        if isinstance(event, float):
            self.collect_pushes()  # what it did before sleeping is on GitHub already
            self.collect_activity()

            def wake() -> None:
                if job.status != "completed":
                    script.wake(self.now.strftime("%Y-%m-%dT%H:%M:%SZ"))
                self._follow(job, index, started, script)

            self._at(self.now + timedelta(seconds=event), wake)
            return
        if event.killed:
            self._kill_armed = None
        self._step_done(job, index, started, event)

    def _step_done(
        self, job: JobRun, index: int, started: datetime, outcome: steps.Outcome
    ) -> None:
        step = job.job.steps[index]
        conclusion = "success" if outcome.ok else "failure"
        job.outputs[step.id] = outcome.outputs
        job.outcomes[step.id] = conclusion
        job.steps.append(StepRecord(step.title, conclusion, outcome.log, started, self.now))
        self.collect_pushes()
        self.collect_activity()
        if outcome.killed:
            job.steps.append(
                StepRecord(
                    "Runner lost",
                    "failure",
                    "The hosted runner: GitHub Actions 1 lost communication with the server.",
                    self.now,
                    self.now,
                )
            )
            self._job_done(job, "failure")
            return
        if not outcome.ok and not step.continue_on_error:
            job.failed = True
        self._next_step(job, index + 1)

    def kill_next_push(self, workflow: str | None = None) -> None:
        """The next `run:` step (of a `workflow` run; of any, by default) that pushes dies right
        after its push lands."""
        self._kill_armed = workflow or ANY

    def _job_done(self, job: JobRun, conclusion: str) -> None:
        if job.status == "completed":
            return
        job.status, job.conclusion, job.finished_at = "completed", conclusion, self.now
        if job.group is not None:
            following = self.groups(job.run.repo).leave(job.group, job)
            if following is not None:
                self._queue_job(following)  # type: ignore[arg-type]
        shutil.rmtree(job.home / "work", ignore_errors=True)
        run = job.run
        if run.status != "completed":
            self._at(self.now, lambda: self._ready_jobs(run))

    def _maybe_done(self, run: Run) -> None:
        if run.status == "completed" or any(j.status != "completed" for j in run.jobs.values()):
            return
        results = {j.conclusion for j in run.jobs.values()}
        if run.cancel_reason:
            conclusion = "cancelled"
        elif "failure" in results:
            conclusion = "failure"
        elif results == {"skipped"}:
            conclusion = "skipped"
        else:
            conclusion = "success"
        self._finish_run(run, conclusion)

    def _finish_run(self, run: Run, conclusion: str) -> None:
        run.status, run.conclusion, run.finished_at = "completed", conclusion, self.now
        if run.group is not None:
            following = self.groups(run.repo).leave(run.group, run)
            if following is not None:
                self._start_run(following)  # type: ignore[arg-type]

    def _cancel_run(self, run: Run, reason: str) -> None:
        if run.status == "completed":
            return
        run.cancel_reason = reason
        if run.status in ("queued", "pending"):
            self._finish_run(run, "cancelled")
            return
        for job in run.jobs.values():
            if job.status != "completed":
                self._cancel_job(job, reason)
        self._maybe_done(run)

    def _cancel_job(self, job: JobRun, reason: str) -> None:
        if job.status == "completed":
            return
        job.steps.append(StepRecord("Cancelled", "cancelled", reason, self.now, self.now))
        self._job_done(job, "cancelled")
