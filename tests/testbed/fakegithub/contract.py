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
    config = Config(spec_validator_cls=None)  # type: ignore[arg-type]
    openapi, answers = (OpenAPI.from_dict(prepared, config=config) for _ in range(2))
    return Spec(document, openapi, answers, time.perf_counter() - started)


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
