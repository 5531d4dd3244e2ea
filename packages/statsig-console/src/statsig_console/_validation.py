"""Checking a success body against the response schema the spec declares for it.

jsonschema is imported at the first check, not with the package: most of an import's
time would otherwise go to it and the ``referencing`` registry it builds on.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import spec
from ._schema_check import Check, compile_check

if TYPE_CHECKING:
    import jsonschema

# Deep errors are described by where they are; the first few are enough to act on.
_ERRORS_SHOWN = 3
# Keywords whose values are JSON data, not schemas: a "$ref" key in them is data.
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples", "example"})
# Keywords whose values map names (any names, "default" too) to schemas.
_NAMED_SCHEMAS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})


@functools.cache
def _validator(operation_id: str) -> jsonschema.Draft202012Validator | None:
    # Compiled on first use and kept. Every successful call is checked, and following
    # each $ref through the registry tripled the check's cost per body, so the
    # references are inlined here, once.
    packaged = spec.load()
    success = packaged.operation(operation_id).success
    if success.schema_pointer is None:
        return None
    schema = inlined(packaged, {"$ref": success.schema_pointer})
    import jsonschema

    return jsonschema.Draft202012Validator(schema, registry=packaged.registry)


@functools.cache
def _accepts(operation_id: str) -> Check | None:
    # Most bodies are valid: a compiled yes-or-no check costs a tenth of jsonschema's,
    # which then runs only to say what is wrong with a body the check refused.
    validator = _validator(operation_id)
    return None if validator is None else compile_check(validator)


def inlined(packaged: spec.Spec, node: object, following: tuple[str, ...] = ()) -> Any:  # noqa: ANN401 - a schema node
    """The schema ``node`` with each ``#/...`` reference replaced by what it names.

    A schema is the same constraint wherever it stands, since the spec's schemas set
    no ``$id``. A reference that leads back into itself (a recursive schema) cannot
    be inlined: it stays, anchored to the spec's URI so the registry resolves it.
    """
    if isinstance(node, list):
        return [inlined(packaged, item, following) for item in node]
    if not isinstance(node, Mapping):
        return node
    copied: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DATA_KEYWORDS or key == "$ref":
            copied[key] = value
        elif key in _NAMED_SCHEMAS and isinstance(value, Mapping):
            copied[key] = {name: inlined(packaged, each, following) for name, each in value.items()}
        else:
            copied[key] = inlined(packaged, value, following)
    reference = copied.pop("$ref", None)
    if not isinstance(reference, str) or not reference.startswith("#"):
        return copied if reference is None else {"$ref": reference, **copied}
    if reference in following:
        return {"$ref": spec.SPEC_URI + reference, **copied}
    target = inlined(packaged, packaged.resolve({"$ref": reference}), (*following, reference))
    # Keywords beside a $ref apply together with it (JSON Schema 2020-12).
    return {"allOf": [target, copied]} if copied else target


def success_body_problem(operation_id: str, body: Any) -> str | None:  # noqa: ANN401 - parsed JSON
    """Why ``body`` is not the success body of ``operation_id``; None when it is."""
    accepts = _accepts(operation_id)
    if accepts is None or accepts(body):
        return None
    validator = _validator(operation_id)
    assert validator is not None  # there is a check only where there is a validator
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    if not errors:  # the check agrees with jsonschema; were it not to, jsonschema decides
        return None
    described = [f"{error.json_path}: {error.message}" for error in errors[:_ERRORS_SHOWN]]
    if len(errors) > _ERRORS_SHOWN:
        described.append(f"and {len(errors) - _ERRORS_SHOWN} more")
    return "; ".join(described)
