"""The errors ante reports to people: bad data names its file and line, nothing else leaks out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class AnteError(Exception):
    """A failure the user can act on; the CLI prints it and exits 1, without a traceback."""


class DataError(AnteError):
    """One or more problems in the team's data files."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(AnteError):
    """The command line itself is wrong (exit 2)."""
