"""ante: a team's Overhead chip economy and on-call rotations, run from its GitHub repository."""

__version__ = "0.1.0"
