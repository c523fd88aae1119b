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
