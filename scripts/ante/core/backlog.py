"""The overhead backlog of one ISO week, as a plain value (read by the adaptive tax, STATUS.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class WeekMetrics:
    week: str  # 2026-W47 (ISO weeks sort as text)
    open: int
    opened: int
    closed: int

    def line(self) -> str:
        return (
            f"- {{week: {self.week}, open: {self.open}, "
            f"opened: {self.opened}, closed: {self.closed}}}"
        )
