"""createAssignmentSource: store the source under its unique name.

The stored record's fields, and the defaults of those a request leaves out, come from
the spec's success response and request schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import orjson

from statsig_console import spec as console_spec
from statsig_console_mock.handlers import Answer, Call, HandlerContext
from statsig_console_mock.responses import error_payload
from statsig_console_mock.spec import CompiledOperation, SpecError
from statsig_console_mock.store import Added

SUCCESS_MESSAGE: Final = "Assignment Source created successfully"
NAME_FIELD: Final = "name"
DRY_RUN_FIELD: Final = "dryRun"
_DUPLICATE: Final = f"{NAME_FIELD}: an assignment source with this name already exists"
# The 201 body is assembled around the stored bytes, so a record is encoded once.
_SUCCESS_PREFIX: Final = b'{"message":' + orjson.dumps(SUCCESS_MESSAGE) + b',"data":'
# The keys the mock writes into its answers besides the stored record: Statsig's
# success envelope and its error body. The spec must still declare them.
ENVELOPE_KEYS: Final = ("message", "data")
ERROR_KEYS: Final = ("status", "message")

_EMPTY_BY_TYPE: Final[Mapping[str, Any]] = {
    "string": "",
    "array": [],
    "object": {},
    "boolean": False,
    "integer": 0,
    "number": 0,
}


class CreateAssignmentSource:
    def __init__(self, operation: CompiledOperation, context: HandlerContext) -> None:
        where = f"{operation.method} {operation.path}"
        if not operation.has_body or operation.operation.body_schema is None:
            raise SpecError(f"{where} declares no request body content")
        self._status = operation.success_status
        self._store = context.store
        self._fields, self._defaults = _record_shape(context.spec, operation.operation)

    def __call__(self, call: Call) -> Answer:
        body = call.body
        assert body is not None  # the operation takes a body: checked at start-up
        record = orjson.dumps(self._record(body))
        name = body.get(NAME_FIELD)
        if body.get(DRY_RUN_FIELD) is True:
            if name in self._store:
                return _bad_request(_DUPLICATE)
        else:
            added = self._store.add(str(name), record)
            if added is Added.TAKEN:
                return _bad_request(_DUPLICATE)
            if added is Added.FULL:
                return _bad_request(self._full_message())
        return Answer(self._status, _SUCCESS_PREFIX + record + b"}")

    def _record(self, body: dict[str, Any]) -> dict[str, Any]:
        """The stored source: declared fields as sent, defaults for the missing ones.

        Fields the response schema does not declare (``dryRun``, unknown extras) are
        left out, as Statsig ignores them.
        """
        record: dict[str, Any] = {}
        defaults = self._defaults
        for field in self._fields:
            if field in body:
                record[field] = body[field]
            elif field in defaults:
                # Shared default objects are safe: the record is encoded at once.
                record[field] = defaults[field]
        return record

    def _full_message(self) -> str:
        store = self._store
        return (
            f"The mock's store is full ({len(store)} sources, {store.size_bytes} bytes; "
            f"limits {store.max_sources} sources, {store.max_bytes} bytes). "
            "Empty it with POST /_mock/reset, or start the mock with a higher "
            "--max-sources or --max-store-bytes."
        )


def _bad_request(message: str) -> Answer:
    return Answer(400, orjson.dumps(error_payload(400, message)))


def _types(spec: console_spec.Spec, schema: object) -> set[str]:
    schema = spec.resolve(schema)
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


def _record_shape(
    spec: console_spec.Spec, operation: console_spec.Operation
) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The record's fields, in the order of the response schema's properties, and the
    values given to those a request leaves out: the request schema's ``default``, else
    an empty value for fields the response requires, else null for nullable ones
    (Statsig answers ``description: ""``, ``tags: []``, ``owner: null``)."""
    success = operation.success
    envelope = success.schema
    try:
        assert envelope is not None
        record = spec.resolve(envelope["properties"]["data"])
        properties: Mapping[str, Any] = record["properties"]
    except (AssertionError, KeyError, TypeError) as exc:
        raise SpecError(
            f"the {success.status} response must be JSON with a `data` object that lists properties"
        ) from exc
    _check_answer_shapes(spec, operation, envelope)
    required = set(record.get("required", []))
    request_schema = spec.resolve(operation.body_schema)
    request_properties = request_schema.get("properties", {})
    defaults: dict[str, Any] = {}
    for name, schema in properties.items():
        request_property = spec.resolve(request_properties.get(name, {}))
        types = _types(spec, schema)
        if isinstance(request_property, Mapping) and "default" in request_property:
            defaults[name] = request_property["default"]
        elif name in required:
            for candidate, empty in _EMPTY_BY_TYPE.items():
                if candidate in types:
                    defaults[name] = empty
                    break
        elif "null" in types:
            defaults[name] = None
    return tuple(properties), defaults


def _check_answer_shapes(
    spec: console_spec.Spec, operation: console_spec.Operation, envelope: Mapping[str, Any]
) -> None:
    success = operation.success.status
    missing = [key for key in ENVELOPE_KEYS if key not in envelope.get("properties", {})]
    if missing:
        raise SpecError(f"the {success} response no longer declares {', '.join(missing)}")
    for code, response in operation.responses.items():
        if not 400 <= code < 500:
            continue
        schema = spec.resolve(response.schema)
        if not isinstance(schema, Mapping):
            raise SpecError(f"the {code} response must be JSON with an error object")
        declared = schema.get("properties", {})
        missing = [key for key in ERROR_KEYS if key not in declared]
        if missing:
            raise SpecError(f"the {code} response no longer declares {', '.join(missing)}")
