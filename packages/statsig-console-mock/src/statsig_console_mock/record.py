"""The stored source's shape, read from the spec: its fields, and what a request sets.

The fields are the success response's ``data`` properties, in their order. A request
sets those its body schema declares too; a field it may set but leaves out gets the
request schema's ``default``, else the stored schema's, else an empty value when the
stored source requires the field (Statsig answers ``description: ""``, ``tags: []``),
else it is left out (Statsig answers no ``owner`` for a source created without one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import orjson

from statsig_console import spec as console_spec
from statsig_console_mock.spec import SpecError

NAME_FIELD: Final = "name"
DRY_RUN_FIELD: Final = "dryRun"
# The keys the mock writes into its answers besides the stored record: Statsig's
# success envelope and its error body. The spec must still declare them.
ENVELOPE_KEYS: Final = ("message", "data")
ERROR_KEYS: Final = ("status", "message")
DUPLICATE_NAME: Final = f"{NAME_FIELD}: an assignment source with this name already exists"

_EMPTY_BY_TYPE: Final[Mapping[str, Any]] = {
    "string": "",
    "array": [],
    "object": {},
    "boolean": False,
    "integer": 0,
    "number": 0,
}


@dataclass(frozen=True, slots=True)
class RecordShape:
    # Every field of a stored source, in the response schema's order.
    fields: tuple[str, ...]
    # The fields the operation's request body declares.
    settable: frozenset[str]
    defaults: Mapping[str, Any]

    def build(
        self, body: Mapping[str, Any], old: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """A whole new source from ``body``: settable fields as sent or defaulted, the
        others kept from ``old``. Fields the stored source does not declare (``dryRun``,
        unknown extras) are left out, as Statsig ignores them."""
        record: dict[str, Any] = {}
        settable = self.settable
        defaults = self.defaults
        for field in self.fields:
            if field in settable:
                if field in body:
                    record[field] = body[field]
                elif old is not None and field == NAME_FIELD:
                    record[field] = old[field]
                elif field in defaults:
                    # Shared default objects are safe: the record is encoded at once.
                    record[field] = defaults[field]
            elif old is not None and field in old:
                record[field] = old[field]
        return record

    def merge(self, body: Mapping[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
        """``old`` with the settable fields ``body`` sends changed, and nothing else."""
        record: dict[str, Any] = {}
        settable = self.settable
        for field in self.fields:
            if field in settable and field in body:
                record[field] = body[field]
            elif field in old:
                record[field] = old[field]
        return record


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


def stored_schema(spec: console_spec.Spec, operation: console_spec.Operation) -> Mapping[str, Any]:
    """The schema of the source in the success answer's ``data``."""
    success = operation.success
    try:
        assert success.schema is not None
        record: Mapping[str, Any] = spec.resolve(success.schema["properties"]["data"])
        if record.get("type") == "array":
            record = spec.resolve(record["items"])
        assert isinstance(record["properties"], Mapping)
    except (AssertionError, KeyError, TypeError, AttributeError) as exc:
        raise SpecError(
            f"{operation.operation_id}: the {success.status} response must be JSON with a "
            "`data` source that lists properties"
        ) from exc
    return record


def record_shape(spec: console_spec.Spec, operation: console_spec.Operation) -> RecordShape:
    """What ``operation`` (create, update or patch) stores, from its schemas."""
    where = f"{operation.method} {operation.path}"
    if operation.body_schema is None:
        raise SpecError(f"{where} declares no request body content")
    record = stored_schema(spec, operation)
    properties: Mapping[str, Any] = record["properties"]
    check_answer_shapes(spec, operation)
    required = set(record.get("required", []))
    request_schema = spec.resolve(operation.body_schema)
    request_properties: Mapping[str, Any] = request_schema.get("properties", {})
    defaults: dict[str, Any] = {}
    for name, schema in properties.items():
        stored = spec.resolve(schema)
        request_property = spec.resolve(request_properties.get(name, {}))
        if isinstance(request_property, Mapping) and "default" in request_property:
            defaults[name] = request_property["default"]
        elif isinstance(stored, Mapping) and "default" in stored:
            defaults[name] = stored["default"]
        elif name in required:
            types = _types(spec, schema)
            for candidate, empty in _EMPTY_BY_TYPE.items():
                if candidate in types:
                    defaults[name] = empty
                    break
    return RecordShape(
        fields=tuple(properties),
        settable=frozenset(request_properties) & frozenset(properties),
        defaults=defaults,
    )


def check_answer_shapes(spec: console_spec.Spec, operation: console_spec.Operation) -> None:
    """The envelope and error keys the mock writes must be declared by the spec."""
    success = operation.success
    envelope = spec.resolve(success.schema) if success.schema is not None else {}
    declared = envelope.get("properties", {}) if isinstance(envelope, Mapping) else {}
    missing = [key for key in ENVELOPE_KEYS if key not in declared]
    if missing:
        raise SpecError(f"the {success.status} response no longer declares {', '.join(missing)}")
    check_error_shapes(spec, operation)


def check_error_shapes(spec: console_spec.Spec, operation: console_spec.Operation) -> None:
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


def success_message(
    spec: console_spec.Spec, operation: console_spec.Operation, fallback: str
) -> str:
    """The first example of the success answer's ``message``, as Statsig words it."""
    schema = spec.resolve(operation.success.schema)
    if isinstance(schema, Mapping):
        message = spec.resolve(schema.get("properties", {}).get("message"))
        if isinstance(message, Mapping):
            examples = message.get("examples")
            if isinstance(examples, list) and examples and isinstance(examples[0], str):
                return examples[0]
    return fallback


def error_answer_body(operation: console_spec.Operation, status: int, fallback: str) -> bytes:
    """The declared example of an error answer (Statsig's 404), else ``fallback``."""
    response = operation.responses.get(status)
    if response is not None:
        for example in response.examples.values():
            if isinstance(example, Mapping) and example.get("status") == status:
                return orjson.dumps(example)
    return orjson.dumps({"status": status, "message": fallback})


def envelope_prefix(message: str) -> bytes:
    """``{"message": ..., "data":`` : answers are assembled around the stored bytes."""
    return b'{"message":' + orjson.dumps(message) + b',"data":'
