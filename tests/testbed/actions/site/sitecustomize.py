"""Loaded by every Python process of a test bed job (PYTHONPATH): ante talks to the fake GitHub
without PyGithub's politeness pauses (0.25 s per request, 1 s per write in real time), as the
`github_fake` fixture does in-process. Nothing else changes: timeouts and retries stay ante's."""

from __future__ import annotations

import functools
import importlib.abc
import sys


class _Unthrottle(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        if name != "ante.github.adapter":
            return None
        sys.meta_path.remove(self)
        try:
            import importlib.util

            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original = loader.exec_module

        def exec_module(module):  # type: ignore[no-untyped-def]
            original(module)
            module.connect = functools.partial(
                module.connect, seconds_between_requests=None, seconds_between_writes=None
            )

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


sys.meta_path.insert(0, _Unthrottle())


# The job's clock is the runner's. `time.sleep` in an ante command asks the runner (the Unix
# socket in ANTE_TESTBED_CLOCK) to wake it when the simulated clock has moved on by that much;
# meanwhile the runner carries on with other jobs and events. The answer is the new time, which
# becomes ANTE_NOW (ante reads the clock from there in the test bed). Without the variable (the
# fork server itself, any other process) sleeping is real.
def _install_clock() -> None:
    import os
    import socket
    import time

    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        path = os.environ.get("ANTE_TESTBED_CLOCK")
        if not path or seconds <= 0:
            real_sleep(max(seconds, 0))
            return
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(path)
            conn.sendall(repr(float(seconds)).encode())
            conn.shutdown(socket.SHUT_WR)
            answer = b""
            while chunk := conn.recv(64):
                answer += chunk
        if not answer:  # the runner cancelled the step while it slept
            os._exit(143)
        os.environ["ANTE_NOW"] = answer.decode()

    time.sleep = sleep  # type: ignore[assignment]  # floats are all ante passes


_install_clock()
