"""Jinja2 rendering of the team's Markdown (STATUS.md, PR and issue bodies).

A team may edit any template in its own `templates/`; ante's built-in copy
(package data, wherever ante is installed) is the fallback, file by file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from ante.render import escape


def environment(repo: Path) -> jinja2.Environment:
    team = jinja2.FileSystemLoader(str(repo / "templates"))
    loader = jinja2.ChoiceLoader([team, jinja2.PackageLoader("ante", "templates")])
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["signed"] = lambda n: f"+{n}" if n > 0 else str(n)
    env.filters["plural"] = lambda n, word: f"{n} {word}{'' if abs(n) == 1 else 's'}"
    # Text from outside (titles, names, labels): inline Markdown with nothing live in it.
    env.filters["md"] = escape.markdown
    env.filters["cell"] = escape.cell  # ante's own text in a table cell
    return env


def render(repo: Path, name: str, **context: Any) -> str:
    text = environment(repo).get_template(name).render(**context)
    return text.rstrip("\n") + "\n"
