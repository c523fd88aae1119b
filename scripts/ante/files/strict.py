"""YAML read strictly, and within limits, before any of it reaches the team's data.

YAML 1.1 as PyYAML reads it has surprises that change the ledger silently: `delta: 010` is
eight (octal), a key written twice keeps only its last value, `2026-02-30` raises deep inside
the parser; `1:30` is ninety (base 60: here it is the text "1:30", so a time of day stays a
time and a number field refuses it). And some inputs cost far more than their size: an alias
bomb expands a few lines into billions of nodes, thousands of nested `[` exhaust the stack.
Here every such input is an error at its line and column, found by walking the parser's events
(no recursion, nothing built) before the document is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode

try:  # libyaml: an order of magnitude faster on big files
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - depends on the build of PyYAML
    from yaml import SafeLoader as _Base  # type: ignore[assignment]


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 16 * 1024 * 1024  # the largest data file ante reads
    max_depth: int = 32  # nested mappings and lists (ante's own files need 4)
    max_expansion: int = 100_000  # values that aliases add when expanded
    max_aliases: int = 1_000  # `*name` references in one file


LIMITS = Limits()


class StrictError(yaml.MarkedYAMLError):
    """A strictness or limit violation; `problem` is the whole message people see."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(problem=message, problem_mark=mark)

    def __str__(self) -> str:
        return str(self.problem)


def prescan(text: str, limits: Limits = LIMITS) -> None:
    """Raise StrictError where `text` nests too deep or its aliases expand too far."""
    depth = 0
    aliases = 0
    written = 0  # nodes as written; the stack counts them with aliases expanded
    sizes: dict[str, int] = {}  # an anchor's node count, with its own aliases expanded
    stack: list[list[Any]] = [[None, 0]]  # [anchor, nodes so far] per open collection
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.max_depth:
                raise StrictError(
                    f"nested more than {limits.max_depth} levels deep", event.start_mark
                )
            stack.append([event.anchor, 1])
            written += 1
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, count = stack.pop()
            if anchor is not None:
                sizes[anchor] = count
            stack[-1][1] += count
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > limits.max_aliases:
                raise StrictError(f"more than {limits.max_aliases} aliases", event.start_mark)
            stack[-1][1] += sizes.get(event.anchor or "", 1)
            written += 1
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            stack[-1][1] += 1
            written += 1
            continue
        else:
            continue
        if sum(row[1] for row in stack) - written > limits.max_expansion:
            raise StrictError(
                f"aliases expand to more than {limits.max_expansion} extra values (an alias bomb?)",
                event.start_mark,
            )


_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)")
_MAX_DIGITS = 18  # chips, rates, counts: anything longer is a mistake


class StrictLoader(_Base):
    """SafeLoader that refuses what YAML 1.1 would read in a surprising way."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.MarkedYAMLError:
            raise
        except (ValueError, OverflowError, TypeError, RecursionError) as exc:
            raise StrictError(f"cannot read this value: {exc}", node.start_mark) from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Any:
        if isinstance(node, MappingNode):
            seen: dict[tuple[str, str], int] = {}  # key -> the line it was first written on
            for key, _ in node.value:
                if not isinstance(key, ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                    continue
                first = seen.get((key.tag, key.value))
                if first is not None:
                    raise StrictError(
                        f"duplicate key {key.value!r} (first at line {first}); "
                        "YAML would keep only the last one",
                        key.start_mark,
                    )
                seen[(key.tag, key.value)] = key.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _int(loader: StrictLoader, node: ScalarNode) -> int | str:
    text = str(node.value)
    if ":" in text:  # base 60 in YAML 1.1; people mean a time of day (10:00), so it is text
        return text
    if not _DECIMAL.fullmatch(text):
        raise StrictError(
            f"{text!r} is not a plain decimal number (YAML would read it as octal, hex or with "
            "underscores dropped): write it in decimal, or quote it if it is text",
            node.start_mark,
        )
    if len(text.lstrip("+-")) > _MAX_DIGITS:
        raise StrictError(f"number with more than {_MAX_DIGITS} digits", node.start_mark)
    return int(text)


def _float(loader: StrictLoader, node: ScalarNode) -> float:
    text = str(node.value)
    if ":" in text:
        return text  # type: ignore[return-value]  # base 60: text, as for integers
    if not _FLOAT.fullmatch(text) or len(text) > 64:
        raise StrictError(
            f"{text!r} is not a plain decimal number: write it in decimal, or quote it",
            node.start_mark,
        )
    return float(loader.construct_yaml_float(node))


def _timestamp(loader: StrictLoader, node: ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError) as exc:
        raise StrictError(
            f"{node.value!r} is not a real date or time ({exc})", node.start_mark
        ) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(loader: StrictLoader, node: ScalarNode) -> str:
    value = loader.construct_scalar(node)
    if _SURROGATE.search(value):  # one regex scan, not a Python step per character
        raise StrictError("text with a lone surrogate: not valid Unicode", node.start_mark)
    return str(value)


StrictLoader.add_constructor("tag:yaml.org,2002:int", _int)
StrictLoader.add_constructor("tag:yaml.org,2002:float", _float)
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
StrictLoader.add_constructor("tag:yaml.org,2002:str", _text)


def strict_load(text: str) -> Any:
    """`text` read the strict way (prescan, then StrictLoader); raises yaml.YAMLError."""
    prescan(text)
    return yaml.load(text, Loader=StrictLoader)


__all__ = ["LIMITS", "ConstructorError", "Limits", "StrictError", "StrictLoader", "prescan"]
