"""What a job's steps do: the actions the test bed knows, and `run:` in bash.

Only actions modelled here can run; any other `uses:` stops the test with UnknownAction, so a new
action in a workflow is modelled on purpose, never silently skipped.

- `actions/checkout`: a clone of the fake's git remote at the event's commit, as the real action
  does it (`git init`, fetch the one commit with depth 1, `checkout -B <branch>` tracking
  `origin/<branch>`); `persist-credentials` (default true) leaves the token for later pushes;
  `ref`, `path`, `repository`, `token`, `fetch-depth` as documented.
- `./.github/actions/setup-ante`: must exist in the workspace (checked out first, as GitHub
  requires); its composite steps (setup-python, `pip install --editable .`) are replaced by the
  ante under test, already installed in the test's virtualenv, put first on PATH.
- `run:`: `bash --noprofile --norc -eo pipefail {0}` (Actions' default shell) in the workspace,
  with the environment Actions sets; GITHUB_ENV, GITHUB_PATH, GITHUB_OUTPUT and
  GITHUB_STEP_SUMMARY are read back after the step.

Over 300 lines on purpose: each modelled action is short, and they share the job's workspace,
tokens and command files.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import forkserver, tokens

if TYPE_CHECKING:
    from .runner import JobRun

VENV_BIN = Path(sys.executable).parent
STEP_TIMEOUT = 300  # seconds of real time before a step counts as hung
ROOT = Path(__file__).resolve().parents[3]
ANTE_HOME = "ante-team/ante"  # the repository ante is released from (ante.resources.HOME)
SETUP_ACTION = ".github/actions/setup-ante"
# setup-ante's steps: setup-python, a cache of ante's environment, and its setup.sh key, install
# (on a cache miss) and activate; the test bed's model is the warm cache.
MODELLED_USES = ("actions/setup-python@", "actions/cache@")
SETUP_SCRIPT = re.compile(
    r'bash "\$GITHUB_ACTION_PATH/setup\.sh" (key|install|activate)( >> "\$GITHUB_OUTPUT")?'
)


class UnknownAction(AssertionError):
    """A workflow uses an action the test bed does not model."""


@dataclass
class Outcome:
    ok: bool
    log: str
    killed: bool = False
    outputs: dict[str, str] = field(default_factory=dict)


def run_action(job: JobRun, uses: str, inputs: dict[str, str]) -> Outcome:
    name = uses.split("@", maxsplit=1)[0]
    handler = ACTIONS.get(name)
    if handler is None:
        raise UnknownAction(
            f"{job.run.workflow.path} job {job.job.id}: `uses: {uses}` is not modelled by the "
            "test bed's runner; add it to tests/testbed/actions/steps.py"
        )
    return handler(job, inputs)


def _git(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def checkout(job: JobRun, inputs: dict[str, str]) -> Outcome:
    github = job.contexts["github"]
    repository = inputs.get("repository") or github["repository"]
    ref = inputs.get("ref") or ""
    token_value = inputs.get("token") or github["token"]
    persist = inputs.get("persist-credentials", "true").lower() == "true"
    depth = int(inputs.get("fetch-depth") or 1)
    target = (job.workspace / (inputs.get("path") or "")).resolve()
    if job.workspace.resolve() not in (target, *target.parents):
        return Outcome(False, f"Repository path '{target}' is not under '{job.workspace}'")
    runner = job.runner
    token = runner.tokens.get(token_value)
    if token is None or not tokens.can(token, runner.tokens.fake, repository, "contents", "read"):
        return Outcome(
            False,
            f"remote: Repository not found.\nfatal: repository '{repository}' not found",
        )
    if not ref and repository.lower() == github["repository"].lower():
        ref, sha = github["ref"], github["sha"]
    else:
        sha = ref if re.fullmatch(r"[0-9a-f]{40}", ref) else ""
        ref = "" if sha else (ref or "refs/heads/main")
    if ref and not ref.startswith("refs/"):
        ref = f"refs/heads/{ref}"
    env = job.base_env()
    url = str(runner.remotes.path(repository))
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    log = [f"Syncing repository: {repository}"]
    steps = [("init", "--quiet"), ("remote", "add", "origin", url)]
    deep = [] if depth == 0 else [f"--depth={depth}"]
    if ref.startswith("refs/heads/"):
        branch = ref.removeprefix("refs/heads/")
        spec = f"+{sha or ref}:refs/remotes/origin/{branch}"
        steps += [
            ("fetch", "--quiet", "--no-tags", *deep, "origin", spec),
            (
                "checkout",
                "--quiet",
                "--force",
                "-B",
                branch,
                f"refs/remotes/origin/{branch}",
            ),
        ]
    elif ref.startswith("refs/pull/"):
        spec = f"+{sha or ref}:refs/remotes/pull/{ref.split('/')[2]}/merge"
        steps += [
            ("fetch", "--quiet", "--no-tags", *deep, "origin", spec),
            (
                "checkout",
                "--quiet",
                "--force",
                f"refs/remotes/pull/{ref.split('/')[2]}/merge",
            ),
        ]
    else:
        steps += [
            ("fetch", "--quiet", "--no-tags", *deep, "origin", sha),
            ("checkout", "--quiet", "--force", sha),
        ]
    for args in steps:
        proc = _git(target, *args, env=env)
        log.append(f"[command]git {' '.join(args)}")
        if proc.returncode != 0:
            log.append(proc.stderr.strip())
            return Outcome(False, "\n".join(log))
    if persist:
        _git(
            target,
            "config",
            "remote.origin.receivepack",
            runner.remotes.credential(token),
            env=env,
        )
    log.append(f"HEAD is now at {_git(target, 'rev-parse', 'HEAD', env=env).stdout.strip()[:7]}")
    return Outcome(True, "\n".join(log))


def setup_ante(job: JobRun, inputs: dict[str, str]) -> Outcome:
    """`./.github/actions/setup-ante` (from the workspace, so checked out first)."""
    action = job.workspace / SETUP_ACTION / "action.yml"
    if not action.exists():
        return Outcome(
            False,
            "Can't find 'action.yml', 'action.yaml' or 'Dockerfile' under "
            f"'{action.parent}'. Did you forget to run actions/checkout before running your "
            "local action?",
        )
    return _ante_on_path(job, action)


def released_setup_ante(job: JobRun, inputs: dict[str, str]) -> Outcome:
    """`ante-team/ante/.github/actions/setup-ante@<commit>`: ante's own action at the commit a
    team's workflows pin; in the test bed that commit is the ante under test (this checkout)."""
    return _ante_on_path(job, ROOT / SETUP_ACTION / "action.yml")


def _ante_on_path(job: JobRun, action: Path) -> Outcome:
    """The action's composite steps, modelled as a warm cache: ante's environment restored and put
    on PATH. Any step the model does not know stops the test (update the model on purpose)."""
    meta = yaml.safe_load(action.read_text(encoding="utf-8"))
    steps = meta.get("runs", {}).get("steps", [])
    described = [str(step.get("uses") or step.get("run") or "") for step in steps]
    unknown = [
        text
        for text in described
        if not text.startswith(MODELLED_USES) and not SETUP_SCRIPT.fullmatch(text.strip())
    ]
    if meta["runs"].get("using") != "composite" or unknown:
        raise UnknownAction(
            f"{action} has steps the test bed does not model: {unknown}; update "
            "tests/testbed/actions/steps.py"
        )
    job.path[:0] = [str(forkserver.server().bin), str(VENV_BIN)]
    return Outcome(True, f"ante under test: {VENV_BIN / 'ante'} (through the fork server)")


@dataclass(frozen=True)
class App:
    """A GitHub App installed on some repositories: what actions/create-github-app-token needs."""

    client_id: str
    private_key: str
    slug: str
    repositories: tuple[str, ...]  # owner/name, where it is installed
    permissions: dict[str, str]  # what the installation was granted


def create_app_token(job: JobRun, inputs: dict[str, str]) -> Outcome:
    """actions/create-github-app-token: an installation token for `repositories` (names in
    `owner`'s account, comma- or newline-separated; the current repository by default), with the
    `permission-*` inputs (all the installation's permissions by default)."""
    app = job.runner.app
    client = inputs.get("client-id") or inputs.get("app-id") or ""
    if app is None or client != app.client_id or inputs.get("private-key") != app.private_key:
        return Outcome(False, "Error: [@octokit/auth-app] client-id or private-key is wrong")
    github = job.contexts["github"]
    owner = inputs.get("owner") or github["repository_owner"]
    names = [n.strip() for n in re.split(r"[,\n]", inputs.get("repositories", "")) if n.strip()]
    wanted = [f"{owner}/{n}" for n in names] or [github["repository"]]
    missing = [r for r in wanted if r.lower() not in {a.lower() for a in app.repositories}]
    if missing:
        return Outcome(False, f"Error: the app is not installed on {', '.join(missing)}")
    asked = {
        key.removeprefix("permission-"): value
        for key, value in inputs.items()
        if key.startswith("permission-") and value
    }
    if any(
        app.permissions.get(scope) != "write" and level == "write" for scope, level in asked.items()
    ):
        return Outcome(
            False,
            "Error: the permissions requested are not granted to this installation",
        )
    token = job.runner.tokens.app(f"{app.slug}[bot]", wanted, asked or app.permissions)
    outputs = {"token": token.value, "installation-id": "1", "app-slug": app.slug}
    return Outcome(True, f"Created an installation token for {', '.join(wanted)}", outputs=outputs)


ACTIONS = {
    "actions/create-github-app-token": create_app_token,
    "actions/checkout": checkout,
    f"./{SETUP_ACTION}": setup_ante,
    f"{ANTE_HOME}/{SETUP_ACTION}": released_setup_ante,
}


class Script:
    """A `run:` step's bash process. It runs in real time until it ends or an ante command in it
    sleeps: `wait` then answers the seconds asked for, and the runner `wake`s it when its
    simulated clock has moved on that far (other jobs run meanwhile)."""

    def __init__(self, job: JobRun, script: str, env: dict[str, str], workdir: str | None) -> None:
        self.job = job
        self.files = job.command_files()
        stem = job.temp / str(uuid.uuid4())
        path = stem.with_suffix(".sh")
        path.write_text(script, encoding="utf-8")
        # a socket's path is short (108 bytes): in the temporary folder, not the job's
        self.clock_path = os.path.join(tempfile.gettempdir(), f"ante-clock-{uuid.uuid4().hex}")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.clock_path)
        self.listener.listen(4)
        env = {**env, **{k: str(v) for k, v in self.files.items()}}
        env["ANTE_TESTBED_CLOCK"] = self.clock_path
        self.out = stem.with_suffix(".out").open("w+", encoding="utf-8")
        self.err = stem.with_suffix(".err").open("w+", encoding="utf-8")
        self.proc = subprocess.Popen(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)],
            cwd=job.workspace / (workdir or ""),
            env=env,
            stdout=self.out,
            stderr=self.err,
            text=True,
            start_new_session=True,  # the step's processes form one group (a lost runner kills it)
        )
        self.exited = os.pidfd_open(self.proc.pid)
        self.sleeper: socket.socket | None = None
        self.deadline = time.monotonic() + STEP_TIMEOUT

    def wait(self) -> float | Outcome:
        """Seconds the step's command sleeps for, or the step's outcome once it has ended."""
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.kill()
                return self._outcome(hung=True)
            watched: list[Any] = [self.exited, self.listener]
            ready, _, _ = select.select(watched, [], [], left)
            if self.listener in ready:
                conn, _ = self.listener.accept()
                asked = b""
                while chunk := conn.recv(64):
                    asked += chunk
                self.sleeper = conn
                return float(asked)
            if self.exited in ready:
                self.proc.wait()
                return self._outcome()

    def wake(self, now: str) -> None:
        assert self.sleeper is not None
        with self.sleeper:
            self.sleeper.sendall(now.encode())
        self.sleeper = None
        self.deadline = time.monotonic() + STEP_TIMEOUT

    def kill(self) -> None:
        """The job was cancelled (or hung): its step's process group goes down."""
        if self.sleeper is not None:
            self.sleeper.close()  # the sleeper reads no answer and exits
            self.sleeper = None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self._close()

    def _close(self) -> None:
        self.listener.close()
        os.close(self.exited)
        Path(self.clock_path).unlink(missing_ok=True)

    def _outcome(self, *, hung: bool = False) -> Outcome:
        self.out.seek(0)
        self.err.seek(0)
        log = self.out.read() + self.err.read()
        self.out.close()
        self.err.close()
        if hung:
            return Outcome(False, f"{log}\nstep hung for {STEP_TIMEOUT}s")
        self._close()
        code = self.proc.returncode
        killed = code == -9
        if not killed and code != 0:
            log += f"\nError: Process completed with exit code {code}."
        self.job.read_command_files(self.files)
        return Outcome(code == 0, log, killed=killed, outputs=_outputs(self.files["GITHUB_OUTPUT"]))


def _outputs(path: Path) -> dict[str, str]:
    return dict(parse_env_file(path.read_text(encoding="utf-8"))) if path.exists() else {}


def parse_env_file(text: str) -> list[tuple[str, str]]:
    """`NAME=value` lines and `NAME<<DELIMITER` blocks, as GITHUB_ENV/GITHUB_OUTPUT hold them."""
    pairs, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            i += 1
            while i < len(lines) and lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            pairs.append((name, "\n".join(body)))
        elif "=" in line:
            name, value = line.split("=", 1)
            pairs.append((name, value))
        i += 1
    return pairs


def string_value(value: Any) -> str:
    """An expression's result as Actions puts it in env: and with: (booleans lower-case)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def runner_path() -> list[str]:
    """The runner image's PATH: this machine's, without the test bed's own virtualenv."""
    return [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and Path(p) != VENV_BIN]
