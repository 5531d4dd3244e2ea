"""Checking a success body against the response schema the spec declares for it."""

from __future__ import annotations

import functools
from typing import Any

import jsonschema

from . import spec

# Deep errors are described by where they are; the first few are enough to act on.
_ERRORS_SHOWN = 3


@functools.cache
def _validator(operation_id: str) -> jsonschema.Draft202012Validator | None:
    # Compiled on first use and kept: building one resolves the spec's references.
    packaged = spec.load()
    success = packaged.operation(operation_id).success
    if success.schema_pointer is None:
        return None
    return jsonschema.Draft202012Validator(
        {"$ref": spec.SPEC_URI + success.schema_pointer}, registry=packaged.registry
    )


def success_body_problem(operation_id: str, body: Any) -> str | None:  # noqa: ANN401 - parsed JSON
    """Why ``body`` is not the success body of ``operation_id``; None when it is."""
    validator = _validator(operation_id)
    if validator is None:
        return None
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    if not errors:
        return None
    described = [f"{error.json_path}: {error.message}" for error in errors[:_ERRORS_SHOWN]]
    if len(errors) > _ERRORS_SHOWN:
        described.append(f"and {len(errors) - _ERRORS_SHOWN} more")
    return "; ".join(described)
