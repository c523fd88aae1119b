"""Event payload files (GITHUB_EVENT_PATH and friends): read once, the same way everywhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ante.errors import AnteError


def load_payload(path: Path, *, forwarded: bool = True) -> Any:
    """The JSON payload in `path`; a product repo's forwarded event is unwrapped.

    A product repository forwards its `issues` events as `repository_dispatch`, whose
    `client_payload` is the original payload.
    """
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnteError(f"{path}: no such event file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnteError(f"{path}: not a JSON event payload ({exc})") from None
    if forwarded and isinstance(payload, dict) and isinstance(payload.get("client_payload"), dict):
        payload = payload["client_payload"]
    return payload
