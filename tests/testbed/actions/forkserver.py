"""`ante` for the test bed's jobs without paying Python's start-up for every call.

A job's `run:` step calls `ante` from PATH; in the test bed that is a small client (`shim`) which
hands its arguments, environment, working directory and standard streams to one long-lived
server process that has already imported ante. The server forks; the child becomes the command
(its own process, environment, directory and streams, a fresh copy of the pristine server) and
runs `ante.cli.main`, exactly what the `ante` console script runs. Its exit status goes back to the
client, which exits with it. When the git remote kills a pusher (a runner lost mid-push), the
child dies with its process group, and the client then kills its own step's process group, as
the lost runner would have taken the whole step down.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

SITE = Path(__file__).with_name("site")

SHIM = r"""#!{python} -S
# ante for test bed jobs: runs in the fork server (tests/testbed/actions/forkserver.py)
import json, os, signal, socket, sys
conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
conn.connect({path!r})
request = json.dumps({{"argv": sys.argv, "env": dict(os.environ), "cwd": os.getcwd()}}).encode()
socket.send_fds(conn, [len(request).to_bytes(8, "big") + request], [0, 1, 2])
answer = b""
while chunk := conn.recv(64):
    answer += chunk
if not answer:  # the command was killed with its process group: take the step down too
    os.killpg(os.getpgrp(), signal.SIGKILL)
sys.exit(int(answer))
"""


def _serve(path: str) -> None:
    import ante.cli
    import ante.github.adapter  # noqa: F401

    _preload_commands()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reap themselves
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    print("ready", flush=True)
    while True:
        conn, _ = server.accept()
        if os.fork() == 0:
            server.close()
            _child(conn)
        conn.close()


def _preload_commands() -> None:
    folder = Path(__import__("ante.commands").commands.__file__).parent
    for source in sorted(folder.glob("*.py")):
        if source.stem != "__init__":
            __import__(f"ante.commands.{source.stem}")


def _child(conn: socket.socket) -> None:
    code = 70
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setpgid(0, 0)
        head, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        size = int.from_bytes(head[:8], "big")
        body = head[8:]
        while len(body) < size:
            body += conn.recv(size - len(body))
        import json

        request = json.loads(body)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = request["argv"]
        from ante.cli import main

        try:
            code = main(sys.argv[1:])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        try:
            conn.sendall(str(code).encode())
        finally:
            os._exit(code if isinstance(code, int) else 1)


class Server:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="ante-fork-"))
        self.socket = str(self.dir / "s")
        env = dict(os.environ, PYTHONPATH=str(SITE))
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"from testbed.actions.forkserver import _serve; _serve({self.socket!r})",
            ],
            cwd=Path(__file__).resolve().parents[2],
            env=env | {"PYTHONPATH": f"{SITE}:{Path(__file__).resolve().parents[2]}"},
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the ante fork server did not start")
        self.bin = self.dir / "bin"
        self.bin.mkdir()
        shim = self.bin / "ante"
        shim.write_text(SHIM.format(python=sys.executable, path=self.socket))
        shim.chmod(0o755)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        for path in (self.bin / "ante", Path(self.socket)):
            path.unlink(missing_ok=True)


@cache
def server() -> Server:
    """The session's fork server (one per test process)."""
    instance = Server()
    atexit.register(instance.stop)
    return instance


def timed_call(*argv: str) -> float:
    """Seconds one `ante` call takes through the server (for benchmarks)."""
    started = time.perf_counter()
    subprocess.run([str(server().bin / "ante"), *argv], capture_output=True, check=False)
    return time.perf_counter() - started
