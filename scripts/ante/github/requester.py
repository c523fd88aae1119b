"""PyGithub's requester, without the rest of PyGithub: the adapter's transport.

The adapter sends every request through PyGithub's `Requester` with explicit JSON and never
uses PyGithub's object classes. Yet `import github.Requester` first runs `github/__init__.py`,
which imports all of PyGithub's ~170 classes (and PyJWT, PyNaCl): a third of `ante award`'s
start-up before its first request, for classes no run uses. So the package `github` is
registered here without running its `__init__`; its submodules (`Requester`, `Consts`,
`GithubException`, `GithubObject`) import as usual. The first name anyone asks of the package
itself (`from github import Github`, `github.UnknownObjectException`) runs the `__init__` then,
in place: from that moment `github` is the whole package, with the same classes, so a program
that also uses PyGithub directly (a test) sees no difference.

Also what `github/__init__` would have done and a job does not want: it sets the logger
`github` to INFO with a handler of its own, so PyGithub prints each redirect it follows on the
job's error stream; the adapter reports moves itself.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import TYPE_CHECKING, Any, cast


def _without_init(name: str) -> None:
    """Register package `name` with its `__init__` not yet run (it runs on first use)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not an installed package: the import below says so as usual
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def complete(attribute: str) -> Any:
        if attribute.startswith("__"):  # introspection (copy, pickle, inspect): not a use
            raise AttributeError(attribute)
        del package.__dict__["__getattr__"]
        loader.exec_module(package)
        return getattr(package, attribute)

    package.__dict__["__getattr__"] = complete  # PEP 562: asked only for names it lacks
    sys.modules[name] = package


_without_init("github")

from github.GithubException import GithubException  # noqa: E402
from github.Requester import Requester  # noqa: E402

if TYPE_CHECKING:
    from github.Auth import Auth


class _Token:
    """`github.Auth.Token`'s behaviour (that module imports every PyGithub class)."""

    token_type = "token"

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("empty token")
        self.token = token

    def authentication(self, headers: dict[str, str]) -> None:
        headers["Authorization"] = f"{self.token_type} {self.token}"

    def mask_authentication(self, headers: dict[str, str]) -> None:
        headers["Authorization"] = "token (oauth token removed)"


def token_auth(token: str) -> Auth:
    """The requester's authentication with one constant token, as `Auth.Token(token)`."""
    return cast("Auth", _Token(token))


__all__ = ["GithubException", "Requester", "token_auth"]
