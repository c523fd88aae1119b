"""GitHub's own workflow parser and expression evaluator, reached from Python.

`@actions/workflow-parser` and `@actions/expressions` (pinned in tests/package.json) run in one
long-lived node process per test session (`bridge.mjs`), spoken to in JSON lines. A workflow is
parsed and converted exactly as GitHub does (schema errors included) and comes back as plain data;
expressions stay `{"$expr": ...}` until `evaluate` fills them in from the contexts of the moment.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

BRIDGE = Path(__file__).with_name("bridge.mjs")
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"

Json = dict[str, Any]


class WorkflowError(AssertionError):
    """A workflow GitHub would refuse, or an expression it could not evaluate."""


class Bridge:
    """The node process; one request at a time, answers in order."""

    def __init__(self) -> None:
        if not (NODE_MODULES / "@actions/workflow-parser").is_dir():
            raise WorkflowError("@actions/workflow-parser is not installed: run `make install`")
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (lives as long as node)
        self._proc = subprocess.Popen(
            ["node", str(BRIDGE)],
            cwd=BRIDGE.parent,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            bufsize=1,
        )
        self._lock = threading.Lock()
        self._ids = 0
        self._parsed: dict[str, Workflow] = {}

    def call(self, op: str, **fields: Any) -> Any:
        with self._lock:
            self._ids += 1
            request = json.dumps({"id": self._ids, "op": op, **fields})
            assert self._proc.stdin and self._proc.stdout
            try:
                self._proc.stdin.write(request + "\n")
                self._proc.stdin.flush()
                line = self._proc.stdout.readline()
            except BrokenPipeError:
                line = ""
            if not line:
                self._stderr.seek(0)
                raise WorkflowError(f"the workflow parser died:\n{self._stderr.read()[-2000:]}")
            answer = json.loads(line)
        if "error" in answer:
            raise WorkflowError(answer["error"].splitlines()[0])
        return answer["result"]

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._stderr.close()

    # -- the two things the runner asks ---------------------------------------------------------

    def parse(self, path: str, content: str) -> Workflow:
        """The workflow GitHub reads from `content` (cached); WorkflowError if it is invalid."""
        key = hashlib.sha1(f"{path}\0{content}".encode()).hexdigest()
        if key not in self._parsed:
            data = self.call("parse", name=path, content=content)
            if data["errors"]:
                raise WorkflowError(f"{path}: " + "; ".join(data["errors"]))
            self._parsed[key] = Workflow.from_json(path, data)
        return self._parsed[key]

    def evaluate(self, value: Any, contexts: Json, *, status: str = "success") -> Any:
        """`value` with every `{"$expr": ...}` in it evaluated against `contexts`."""
        if not _has_expression(value):
            return value
        return self.call("eval", value=value, context=contexts, status=status)

    def holds(self, condition: str, contexts: Json, *, status: str = "success") -> bool:
        """An `if:` condition (already wrapped in success() by the parser where GitHub does)."""
        return bool(
            self.call("eval", value=condition, context=contexts, status=status, truthy=True)
        )


def _has_expression(value: Any) -> bool:
    if isinstance(value, dict):
        return "$expr" in value or any(_has_expression(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_expression(v) for v in value)
    return False


@cache
def bridge() -> Bridge:
    """The session's bridge (one node process per test process)."""
    instance = Bridge()
    atexit.register(instance.close)
    return instance


# ---------------------------------------------------------------------------------------------
# The parsed workflow, as plain data.


@dataclass(frozen=True)
class Step:
    index: int
    id: str
    name: Any
    uses: str | None
    run: Any
    with_: Json
    env: Any
    if_: str
    shell: str | None
    working_directory: Any
    continue_on_error: Any

    @property
    def title(self) -> str:
        if isinstance(self.name, str):
            return self.name
        if self.uses:
            return f"Run {self.uses}"
        text = self.run["$expr"] if isinstance(self.run, dict) else str(self.run)
        return f"Run {text.splitlines()[0]}"


@dataclass(frozen=True)
class Job:
    id: str
    name: Any
    if_: str
    needs: tuple[str, ...]
    permissions: Any
    concurrency: Any
    env: Any
    steps: tuple[Step, ...]
    uses: str | None


@dataclass(frozen=True)
class Workflow:
    path: str
    name: str
    events: Json
    concurrency: Any
    env: Any
    permissions: Any
    jobs: tuple[Job, ...]
    raw: Json

    @classmethod
    def from_json(cls, path: str, data: Json) -> Workflow:
        raw = data["raw"]
        jobs = []
        for job in data["jobs"]:
            steps = tuple(
                Step(
                    index=i,
                    id=step["id"],
                    name=step.get("name"),
                    uses=step.get("uses"),
                    run=step.get("run"),
                    with_=step.get("with") or {},
                    env=step.get("env"),
                    if_=step["if"],
                    shell=step.get("shell"),
                    working_directory=step.get("working-directory"),
                    continue_on_error=step.get("continue-on-error", False),
                )
                for i, step in enumerate(job["steps"])
            )
            jobs.append(
                Job(
                    id=job["id"],
                    name=job.get("name"),
                    if_=job["if"],
                    needs=tuple(job["needs"]),
                    permissions=job.get("permissions"),
                    concurrency=job.get("concurrency"),
                    env=job.get("env"),
                    steps=steps,
                    uses=job.get("uses"),
                )
            )
        return cls(
            path=path,
            name=data.get("name") or path,
            events=data["events"],
            concurrency=raw.get("concurrency"),
            env=raw.get("env"),
            permissions=raw.get("permissions"),
            jobs=tuple(jobs),
            raw=raw,
        )

    def job(self, job_id: str) -> Job:
        return next(job for job in self.jobs if job.id == job_id)
