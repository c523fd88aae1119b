"""ante: a team's Overhead chip economy and on-call rotations, run from its GitHub repository."""

# The one place the version is written (pyproject reads it; releases are tagged v<version>).
__version__ = "0.2.0"
