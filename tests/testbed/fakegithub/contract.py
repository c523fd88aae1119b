"""The contract: GitHub's OpenAPI description, loaded once per process, and what breaks it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from openapi_core import Config, OpenAPI
from openapi_core.templating.datatypes import TemplateResult
from openapi_core.templating.paths.datatypes import Path as FoundPath
from openapi_core.templating.paths.datatypes import PathOperationServer
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.templating.paths.iterators import TemplatePathsIterator
from openapi_core.templating.paths.util import template_path_len

SPEC_PATH = (
    Path(__file__).resolve().parents[2]
    / "node_modules/@octokit/openapi/generated/api.github.com.json"
)

Json = dict[str, Any]


@dataclass(frozen=True)
class Spec:
    document: Json
    openapi: OpenAPI  # checks requests
    answers: OpenAPI  # checks responses: its own caches, so requests never wait for it
    load_seconds: float


@cache
def spec() -> Spec:
    """Load and prepare the 13 MB description once per process."""
    started = time.perf_counter()
    document = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    _allow_null_in_nullable_enums(document)
    prepared = dict(document, servers=[{"url": "/"}])
    # None skips validating the description itself, as openapi-core documents; its type hint
    # leaves None out.
    config = Config(spec_validator_cls=None, path_finder_cls=PathFinder)  # type: ignore[arg-type]
    openapi, answers = (OpenAPI.from_dict(prepared, config=config) for _ in range(2))
    return Spec(document, openapi, answers, time.perf_counter() - started)


class _PathsListedOnce(TemplatePathsIterator):
    """openapi-core's search for the description's path that a URL matches, over a list of the
    paths made once: openapi-core lists the 900 paths through lazy accessors for every request.
    The loop is openapi-core's own (`TemplatePathsIterator.__call__`)."""

    def __init__(self) -> None:
        super().__init__("paths")
        self._listed: dict[int, tuple[Any, list[tuple[str, Any]]]] = {}

    def __call__(self, name: str, spec: Any, base_url: str | None = None) -> Any:
        kept = self._listed.get(id(spec))
        if kept is None or kept[0] is not spec:
            kept = self._listed[id(spec)] = (spec, list((spec / self.paths_part).str_items()))
        templated = []
        for pattern, path in kept[1]:
            if name.endswith(pattern):  # a path without parameters: the most concrete
                yield FoundPath(path, TemplateResult(pattern, {}))
            elif found := self._get_path_parser(pattern).search(name):
                templated.append(FoundPath(path, TemplateResult(pattern, found.named)))
        yield from sorted(templated, key=template_path_len)


class PathFinder(APICallPathFinder):
    """openapi-core's path finder, with each (method, URL)'s answer kept: what it finds depends on
    nothing else, and a soak asks for the same few hundred URLs tens of thousands of times (the
    search was a third of the fake's time)."""

    paths_iterator = _PathsListedOnce()

    def __init__(self, spec: Any, base_url: str | None = None) -> None:
        super().__init__(spec, base_url)
        self._found: dict[tuple[str, str], PathOperationServer] = {}

    def find(self, method: str, name: str) -> PathOperationServer:
        found = self._found.get((method, name))
        if found is None:  # not found raises, and is not kept (a fake's 404 is rare)
            found = self._found[method, name] = super().find(method, name)
        return found


def _allow_null_in_nullable_enums(node: Any) -> None:
    """The one deliberate patch to the description.

    About 70 schemas say `nullable: true` but leave null out of their `enum` (an open issue's
    `state_reason` among them). OpenAPI 3.0.3 requires null to be listed, so a strict validator
    rejects what GitHub really sends; we list it.
    """
    if isinstance(node, dict):
        if node.get("nullable") is True and "enum" in node and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
        for value in node.values():
            _allow_null_in_nullable_enums(value)
    elif isinstance(node, list):
        for value in node:
            _allow_null_in_nullable_enums(value)


# A request's complaints depend on its method, URL, content type and body alone: the description
# has no header, cookie or security requirements. A soak sends each distinct request about six
# times (840 requests, 131 distinct in a seed's week), so each is checked once per process.
RequestKey = tuple[str, str, str, bytes]
_request_errors: dict[RequestKey, list[Exception]] = {}
REMEMBERED = 50_000  # requests whose complaints are kept, at most (then forgotten at once)


def request_errors(key: RequestKey, openapi_request: Any) -> list[Exception]:
    """What the description says is wrong with a request (`key`: method, URL, content type,
    body); call it under `check`'s lock."""
    errors = _request_errors.get(key)
    if errors is None:
        if len(_request_errors) >= REMEMBERED:
            _request_errors.clear()
        errors = _request_errors[key] = list(spec().openapi.iter_request_errors(openapi_request))
    return errors


# Two validators serve every fake; a lock each keeps their lazy caches single-threaded.
_locks = {"request": threading.Lock(), "response": threading.Lock()}


def check(kind: str, validate: Callable[[], list[Exception]]) -> tuple[list[Exception], float]:
    """Run one validation of a request or response under its lock; errors and seconds."""
    started = time.perf_counter()
    with _locks[kind]:
        errors = validate()
    return errors, time.perf_counter() - started


@dataclass(frozen=True)
class Violation:
    kind: str  # "request", "response" or "fake"
    method: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind} {self.method} {self.path}: {self.message}"


def describe(error: Exception) -> str:
    """One line per schema error, with its JSON path; never the whole offending document."""
    details: list[str] = []
    cause: BaseException | None = error
    while cause is not None:
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors:
            for schema_error in schema_errors:
                details.extend(_leaf_errors(schema_error))
            break
        cause = cause.__cause__
    return f"{type(error).__name__}: " + ("; ".join(details) or str(error)[:500])


def _leaf_errors(error: Any) -> list[str]:
    """The most specific reasons under a oneOf/anyOf failure, where the useful detail hides."""
    if error.context:
        best = min(error.context, key=lambda e: len(e.context or ()))
        return _leaf_errors(best) if best.context else [_where(best)]
    return [_where(error)]


def _where(error: Any) -> str:
    path = "/".join(str(p) for p in error.absolute_path)
    return f"at /{path}: {error.message[:200]}"
