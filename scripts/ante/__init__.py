"""ante: a team's Overhead chip economy and on-call rotations, run from its GitHub repository."""

# The version, also pyproject.toml's `version` (its build backend reads no code; the wheel's
# test checks the two agree); releases are tagged v<version>.
__version__ = "0.2.0"
