"""Bodies and paths for the plugin's tests, all from the spec."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from statsig_console import spec as console_spec

CREATE = console_spec.load().operation("createAssignmentSource")
KEY_HEADER = CREATE.key_header or "STATSIG-API-KEY"
_names = itertools.count()


def example_body(name: str | None = None, **extra: Any) -> dict[str, Any]:
    """The spec's minimal create example, under a name of its own."""
    body: dict[str, Any] = copy.deepcopy(CREATE.body_examples["minimal"])
    body["name"] = name or f"source-{next(_names)}"
    body.update(extra)
    return body
