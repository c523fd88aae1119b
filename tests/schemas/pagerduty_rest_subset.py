"""Cut PagerDuty's REST description down to the operations ante calls, unchanged otherwise.

    git show <commit>:reference/REST/openapiv3.json > /tmp/rest.json  # PagerDuty/api-schema
    python tests/schemas/pagerduty_rest_subset.py /tmp/rest.json > \
        tests/schemas/pagerduty-rest-incidents.openapiv3.json

Keeps `GET /incidents` and every component it reaches (transitively), the security scheme, and
nothing else: 55 kB instead of 2.7 MB.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

OPERATIONS = {"/incidents": ["get"]}


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def subset(spec: dict[str, Any]) -> dict[str, Any]:
    paths = {p: {m: spec["paths"][p][m] for m in methods} for p, methods in OPERATIONS.items()}
    components: dict[str, dict[str, Any]] = {
        "securitySchemes": spec["components"]["securitySchemes"]
    }
    queue = list(refs(paths))
    while queue:
        _, _, kind, name, *_ = queue.pop().split("/")
        if name in components.get(kind, {}):
            continue
        node = spec["components"][kind][name]
        components.setdefault(kind, {})[name] = node
        queue.extend(refs(node))
    ordered = {k: dict(sorted(v.items())) for k, v in sorted(components.items())}
    keep = ("openapi", "info", "servers", "security")
    return {**{k: spec[k] for k in keep if k in spec}, "paths": paths, "components": ordered}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        json.dump(subset(json.load(source)), sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")
