"""The README's forwarding workflow for product repositories, as the tests run it.

The workflow block under "Forwarding events from a product repository" is parsed by GitHub's own
workflow parser; its `on:` types and its job's `if:` (GitHub's own evaluator) decide whether an
`issues` event is forwarded, and its jq program (jq itself) makes the `repository_dispatch` body.
So what the README tells a team to install is exactly what the tests forward with.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import jq

from testbed.actions import bridge, triggers
from testbed.actions.workflows import Workflow

README = Path(__file__).resolve().parents[2] / "README.md"
NAME = ".github/workflows/ante-forward.yml"


@functools.cache
def recipe() -> tuple[Workflow, Any]:
    """The README's forwarding workflow, parsed, and its compiled jq program."""
    text = README.read_text(encoding="utf-8")
    block = re.search(rf"```yaml\n(# {re.escape(NAME)}.*?)```", text, re.S)
    assert block, f"README.md has no `{NAME}` block"
    workflow = bridge().parse(NAME, block.group(1))
    (job,) = workflow.jobs
    (step,) = [s for s in job.steps if s.run]
    program = re.search(r"jq '(.*?)' \\", str(step.run), re.S)
    assert program, "the forwarding step has no jq program"
    return workflow, jq.compile(program.group(1))


def forward(payload: dict[str, Any]) -> dict[str, Any] | None:
    """The `repository_dispatch` body the README's workflow sends for an `issues` event of a
    product repository, or None when the workflow does not run (or its job is skipped)."""
    workflow, program = recipe()
    if not triggers.starts(workflow.events, "issues", payload, ()):
        return None
    github = {"event_name": "issues", "event": payload}
    if not bridge().holds(workflow.jobs[0].if_, {"github": github}):
        return None
    body: dict[str, Any] = program.input_value(payload).first()
    return body
