"""Read the OpenAPI document once and compile what the mock enforces from it.

Nothing here knows the fields of an assignment source: the request schema, the
accepted media types, the API key header and the shape of the stored record all come
from the spec, so editing the spec changes the mock with no code edit.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs

from statsig_console import spec as console_spec

OPERATION_ID = "createAssignmentSource"
# The spec is registered under this URI so that its own "#/components/..." references
# resolve inside it and nothing is ever fetched from the network.
SPEC_URI = "urn:statsig-console-mock:openapi"


class SpecError(Exception):
    """The spec cannot drive the mock (missing file, operation, schema or security)."""


@dataclass(frozen=True, slots=True)
class CompiledEndpoint:
    """What the mock needs, per request, from the spec; built once at start-up."""

    path: str
    method: str
    # Lower-cased, as ASGI servers hand header names over.
    api_key_header: bytes | None
    api_key_header_display: str | None
    media_types: frozenset[str]
    media_types_display: str
    body_required: bool
    request_validator: jsonschema_rs.Validator
    success_status: int
    # The stored record's fields, in the order of the response schema's properties.
    record_fields: tuple[str, ...]
    # Values given to record fields the request left out: the request schema's
    # `default`, else an empty value for fields the response requires, else null for
    # nullable ones (Statsig answers `description: ""`, `tags: []`, `owner: null`).
    record_defaults: Mapping[str, Any]


def load_spec(path: Path | None) -> dict[str, Any]:
    """The spec document: the packaged copy, or the file at ``path``."""
    try:
        return dict(console_spec.load(path).document)
    except console_spec.SpecError as error:
        raise SpecError(str(error)) from error


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _pointer(*tokens: str) -> str:
    return "".join("/" + escape_pointer_token(token) for token in tokens)


def _follow(spec: Mapping[str, Any], node: object, seen: frozenset[str] = frozenset()) -> Any:  # noqa: ANN401 - a node of the parsed YAML
    """Resolve a local ``$ref`` (repeatedly) to the node it names."""
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        if not ref.startswith("#/"):
            raise SpecError(f"only local references are supported, found {ref!r}")
        if ref in seen:
            raise SpecError(f"circular reference {ref!r}")
        seen = seen | {ref}
        target: Any = spec
        for raw in ref[2:].split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(target, Mapping) and token in target:
                target = target[token]
            elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
                target = target[int(token)]
            else:
                raise SpecError(f"unresolvable reference {ref!r}")
        node = target
    return node


def _find_operation(spec: Mapping[str, Any]) -> tuple[str, str, Mapping[str, Any]]:
    paths = spec.get("paths")
    if not isinstance(paths, Mapping):
        raise SpecError("the spec has no paths")
    for path, item in paths.items():
        if not isinstance(item, Mapping):
            continue
        for method, operation in item.items():
            if isinstance(operation, Mapping) and operation.get("operationId") == OPERATION_ID:
                return str(path), str(method).upper(), operation
    raise SpecError(f"the spec has no operation with operationId {OPERATION_ID!r}")


def _api_key_header(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> str | None:
    requirements = operation.get("security", spec.get("security", []))
    if not requirements:
        return None
    schemes = spec.get("components", {}).get("securitySchemes", {})
    for requirement in requirements:
        for name in requirement:
            scheme = _follow(spec, schemes.get(name))
            if (
                isinstance(scheme, Mapping)
                and scheme.get("type") == "apiKey"
                and scheme.get("in") == "header"
                and isinstance(scheme.get("name"), str)
            ):
                return str(scheme["name"])
    raise SpecError("the operation's security names no apiKey scheme sent in a header")


def _types(spec: Mapping[str, Any], schema: object) -> set[str]:
    schema = _follow(spec, schema)
    if not isinstance(schema, Mapping):
        return set()
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(item) for item in declared}
    found: set[str] = set()
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword, []):
            found |= _types(spec, branch)
    return found


_EMPTY_BY_TYPE: dict[str, Any] = {
    "string": "",
    "array": [],
    "object": {},
    "boolean": False,
    "integer": 0,
    "number": 0,
    "null": None,
}


def _record_shape(
    spec: Mapping[str, Any], operation: Mapping[str, Any], request_schema: object
) -> tuple[int, tuple[str, ...], dict[str, Any]]:
    responses = operation.get("responses", {})
    success = sorted(code for code in responses if str(code).startswith("2"))
    if not success:
        raise SpecError("the operation declares no 2xx response")
    response = _follow(spec, responses[success[0]])
    try:
        envelope = _follow(spec, response["content"]["application/json"]["schema"])
        record = _follow(spec, envelope["properties"]["data"])
        properties: Mapping[str, Any] = record["properties"]
    except (KeyError, TypeError) as exc:
        raise SpecError(
            f"the {success[0]} response must be JSON with a `data` object that lists properties"
        ) from exc
    _check_answer_shapes(spec, responses, envelope, success[0])
    required = set(record.get("required", []))
    request_properties = _follow(spec, request_schema).get("properties", {})
    defaults: dict[str, Any] = {}
    for name, schema in properties.items():
        request_property = _follow(spec, request_properties.get(name, {}))
        types = _types(spec, schema)
        if isinstance(request_property, Mapping) and "default" in request_property:
            defaults[name] = request_property["default"]
        elif name in required:
            for candidate in ("string", "array", "object", "boolean", "integer", "number"):
                if candidate in types:
                    defaults[name] = _EMPTY_BY_TYPE[candidate]
                    break
        elif "null" in types:
            defaults[name] = None
    return int(success[0]), tuple(properties), defaults


# The keys the mock writes into its answers besides the stored record: Statsig's
# success envelope and its error body. The spec must still declare them.
ENVELOPE_KEYS = ("message", "data")
ERROR_KEYS = ("status", "message")


def _check_answer_shapes(
    spec: Mapping[str, Any], responses: Mapping[str, Any], envelope: Mapping[str, Any], success: str
) -> None:
    missing = [key for key in ENVELOPE_KEYS if key not in envelope.get("properties", {})]
    if missing:
        raise SpecError(f"the {success} response no longer declares {', '.join(missing)}")
    for code, response in responses.items():
        if not str(code).startswith("4"):
            continue
        try:
            schema = _follow(spec, _follow(spec, response)["content"]["application/json"]["schema"])
            declared = schema.get("properties", {})
        except (KeyError, TypeError, AttributeError):
            raise SpecError(f"the {code} response must be JSON with an error object") from None
        missing = [key for key in ERROR_KEYS if key not in declared]
        if missing:
            raise SpecError(f"the {code} response no longer declares {', '.join(missing)}")


def compile_endpoint(spec: Mapping[str, Any]) -> CompiledEndpoint:
    path, method, operation = _find_operation(spec)
    body = _follow(spec, operation.get("requestBody"))
    if not isinstance(body, Mapping) or not isinstance(body.get("content"), Mapping):
        raise SpecError(f"{method} {path} declares no request body content")
    content: Mapping[str, Any] = body["content"]
    json_types = [media for media in content if _is_json_media_type(media)]
    if not json_types:
        raise SpecError(f"{method} {path} accepts no JSON media type")
    chosen = json_types[0]
    if "schema" not in content[chosen]:
        raise SpecError(f"{method} {path} has no schema for {chosen}")
    schema_pointer = _pointer(
        "paths", path, method.lower(), "requestBody", "content", chosen, "schema"
    )
    registry = jsonschema_rs.Registry([(SPEC_URI, dict(spec))], draft=jsonschema_rs.Draft202012)
    try:
        validator = jsonschema_rs.Draft202012Validator(
            {"$ref": SPEC_URI + "#" + schema_pointer}, registry=registry, offline=True
        )
    except (ValueError, jsonschema_rs.ReferencingError) as exc:
        # The validator's message goes on about an instance; its first line is the cause.
        cause = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SpecError(f"the request schema of {method} {path} does not compile: {cause}") from exc
    header = _api_key_header(spec, operation)
    success_status, record_fields, defaults = _record_shape(
        spec, operation, content[chosen]["schema"]
    )
    return CompiledEndpoint(
        path=path,
        method=method,
        api_key_header=header.lower().encode("latin-1") if header else None,
        api_key_header_display=header,
        media_types=frozenset(media.lower() for media in json_types),
        media_types_display=", ".join(json_types),
        body_required=bool(body.get("required", False)),
        request_validator=validator,
        success_status=success_status,
        record_fields=record_fields,
        record_defaults=copy.deepcopy(defaults),
    )


def _is_json_media_type(media: str) -> bool:
    essence = media.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


def load_endpoint(path: Path | None) -> CompiledEndpoint:
    return compile_endpoint(load_spec(path))
