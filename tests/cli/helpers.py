"""Source bodies from the spec's own examples, and files written from them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from statsig_console import spec

CREATE = spec.load().operation("createAssignmentSource")


def example(name: str, *, kind: str = "minimal") -> dict[str, Any]:
    """The spec's request example ``kind``, renamed."""
    body: dict[str, Any] = copy.deepcopy(CREATE.body_examples[kind])
    body["name"] = name
    return body


def write(directory: Path, stem: str, body: dict[str, Any], *, suffix: str = ".yaml") -> Path:
    path = directory / f"{stem}{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return path
