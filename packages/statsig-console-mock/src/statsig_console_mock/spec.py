"""Compile what the mock enforces per operation, from ``statsig_console.spec``.

Every operation of the spec gets its checks here, once at start-up: its method and
path template, the API key header, the JSON media types its body may use, a body
validator and a validator per path and query parameter. Nothing here knows the fields
of an assignment source, so an operation added to the spec is validated with no code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

from statsig_console import spec as console_spec
from statsig_console.spec import SpecError

__all__ = ["CompiledOperation", "CompiledParameter", "CompiledSpec", "SpecError", "compile_spec"]


@dataclass(frozen=True, slots=True)
class CompiledParameter:
    declared: console_spec.Parameter
    # Path and query values arrive as text; these JSON types are tried on them first.
    coerce_to: tuple[str, ...]
    validator: jsonschema_rs.Validator
    # How its problems begin: "query parameter limit".
    label: str
    # Read from the path, else from the query.
    in_path: bool


@dataclass(frozen=True, slots=True)
class CompiledOperation:
    """One operation's checks, and the facts its handler may need."""

    operation: console_spec.Operation
    # Lower-cased, as ASGI servers hand header names over.
    api_key_header: bytes | None
    api_key_header_display: str | None
    media_types: frozenset[str]
    media_types_display: str
    # Whether the operation takes a JSON body at all.
    has_body: bool
    body_required: bool
    body_validator: jsonschema_rs.Validator | None
    path_parameters: tuple[CompiledParameter, ...]
    query_parameters: tuple[CompiledParameter, ...]
    success_status: int
    # The declared example of the success response, encoded, or None.
    success_example: bytes | None

    @property
    def operation_id(self) -> str:
        return self.operation.operation_id

    @property
    def method(self) -> str:
        return self.operation.method

    @property
    def path(self) -> str:
        return self.operation.path


@dataclass(frozen=True, slots=True)
class CompiledSpec:
    spec: console_spec.Spec
    operations: Mapping[str, CompiledOperation]


def compile_spec(path: Path | None) -> CompiledSpec:
    """Read the spec (the packaged copy when ``path`` is None) and compile every operation."""
    spec = console_spec.load(path)
    if not spec.operations:
        raise SpecError(f"{spec.source} declares no operation with an operationId")
    # The document is registered once; every validator refers into it.
    registry = jsonschema_rs.Registry(
        [(console_spec.SPEC_URI, dict(spec.document))], draft=jsonschema_rs.Draft202012
    )
    operations = {operation.operation_id: _compile(spec, registry, operation) for operation in spec}
    return CompiledSpec(spec=spec, operations=operations)


def _validator(
    registry: jsonschema_rs.Registry, schema: Mapping[str, Any], where: str
) -> jsonschema_rs.Validator:
    try:
        return jsonschema_rs.Draft202012Validator(
            _anchored(schema), registry=registry, offline=True
        )
    except (ValueError, jsonschema_rs.ReferencingError) as exc:
        # The validator's message goes on about an instance; its first line is the cause.
        cause = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SpecError(f"the schema of {where} does not compile: {cause}") from exc


def _anchored(node: Any) -> Any:  # noqa: ANN401 - a node of the parsed document
    """A copy of a schema whose references into the document name it by its URI.

    A schema handed to the validator is a document of its own; a bare "#/..." in it
    would point into itself rather than into the registered spec.
    """
    if isinstance(node, Mapping):
        return {
            key: console_spec.SPEC_URI + value
            if key == "$ref" and isinstance(value, str) and value.startswith("#")
            else _anchored(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_anchored(item) for item in node]
    return node


def _types(spec: console_spec.Spec, schema: object) -> tuple[str, ...]:
    schema = spec.resolve(schema)
    if not isinstance(schema, Mapping):
        return ()
    declared = schema.get("type")
    if isinstance(declared, str):
        return (declared,)
    if isinstance(declared, list):
        return tuple(str(item) for item in declared)
    found: list[str] = []
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword, []):
            found.extend(_types(spec, branch))
    return tuple(found)


def _compile(
    spec: console_spec.Spec, registry: jsonschema_rs.Registry, operation: console_spec.Operation
) -> CompiledOperation:
    where = f"{operation.method} {operation.path}"
    json_types = [m for m in operation.body_media_types if console_spec.is_json_media_type(m)]
    body_validator = None
    if operation.body_schema_pointer is not None:
        body_validator = _validator(
            registry, {"$ref": operation.body_schema_pointer}, f"the request body of {where}"
        )
    parameters: dict[str, list[CompiledParameter]] = {"path": [], "query": []}
    for parameter in operation.parameters:
        if parameter.location not in parameters:
            continue
        parameters[parameter.location].append(
            CompiledParameter(
                declared=parameter,
                coerce_to=tuple(
                    t
                    for t in _types(spec, parameter.schema)
                    if t in ("integer", "number", "boolean")
                ),
                validator=_validator(
                    registry, parameter.schema, f"parameter {parameter.name!r} of {where}"
                ),
                label=f"{parameter.location} parameter {parameter.name}",
                in_path=parameter.location == "path",
            )
        )
    success = operation.success
    example = success.examples[next(iter(success.examples))] if success.examples else None
    header = operation.key_header
    return CompiledOperation(
        operation=operation,
        api_key_header=header.lower().encode("latin-1") if header else None,
        api_key_header_display=header,
        media_types=frozenset(media.lower() for media in json_types),
        media_types_display=", ".join(json_types),
        has_body=bool(json_types),
        body_required=operation.body_required,
        body_validator=body_validator,
        path_parameters=tuple(parameters["path"]),
        query_parameters=tuple(parameters["query"]),
        success_status=success.status,
        success_example=None if example is None else orjson.dumps(example),
    )
