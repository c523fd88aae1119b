"""Where ante's own files (templates, workflows, issue forms) are found, wherever it runs from."""

from __future__ import annotations

from pathlib import Path

# The source checkout: scripts/ante/resources.py -> the repository root.
ANTE_ROOT = Path(__file__).resolve().parents[2]
BUILTIN_TEMPLATES = ANTE_ROOT / "templates"
