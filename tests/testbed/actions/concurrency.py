"""Concurrency groups as GitHub documents them ("Control the concurrency of workflows and jobs").

A group holds one running and, by default, one pending run or job: a newly queued one cancels the
one pending ("Canceling since a higher priority waiting request for '<group>' exists"). With
`cancel-in-progress: true` the newcomer cancels the running one too. With `queue: max` (only when
cancel-in-progress is false or unset) up to 100 wait and run in order; GitHub does not document a
full queue, so here the 101st waiting entry makes the oldest waiting one give way, as the
single-pending rule does.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

MAX_QUEUE = 100


class Holder(Protocol):
    def cancel(self, reason: str) -> None: ...


@dataclass
class Group:
    name: str
    running: Holder | None = None
    waiting: deque[Holder] = field(default_factory=deque)


class Groups:
    """Every concurrency group of one repository (group names are per repository)."""

    def __init__(self) -> None:
        self._groups: dict[str, Group] = {}

    def group(self, name: str) -> Group:
        return self._groups.setdefault(name, Group(name))

    def enter(
        self, name: str, holder: Holder, *, cancel_in_progress: bool = False, queue: str = "single"
    ) -> bool:
        """Queue `holder` in the group; True when it may start now, False when it waits."""
        group = self.group(name)
        if cancel_in_progress:
            for waiting in list(group.waiting):
                waiting.cancel(
                    f"Canceling since a higher priority waiting request for '{name}' exists"
                )
            group.waiting.clear()
            if group.running is not None:
                running, group.running = group.running, None
                running.cancel(
                    f"Canceling since a higher priority waiting request for '{name}' exists"
                )
        if group.running is None and not group.waiting:
            group.running = holder
            return True
        limit = MAX_QUEUE if queue == "max" else 1
        while len(group.waiting) >= limit:
            group.waiting.popleft().cancel(
                f"Canceling since a higher priority waiting request for '{name}' exists"
            )
        group.waiting.append(holder)
        return False

    def leave(self, name: str, holder: Holder) -> Holder | None:
        """`holder` is done (finished, or cancelled while waiting); the next to start, if any."""
        group = self.group(name)
        if holder in group.waiting:
            group.waiting.remove(holder)
            return None
        if group.running is not holder:
            return None
        group.running = group.waiting.popleft() if group.waiting else None
        return group.running

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Group name -> (running, waiting), for assertions and reports."""
        return {
            name: (int(g.running is not None), len(g.waiting)) for name, g in self._groups.items()
        }
