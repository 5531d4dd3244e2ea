"""A success status whose body is not the spec's raises MalformedResponseError."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from statsig_console_client.models import AssignmentSourceCreate

from statsig_console import InvalidRequestError, MalformedResponseError, spec
from statsig_console._validation import _validator, inlined, success_body_problem

from .conftest import CREATE, both_modes, create_error, created_body
from .scripted_server import Reply


def with_data(**fields: Any) -> dict[str, Any]:
    body = created_body()
    body["data"].update(fields)
    return body


WRONGLY_TYPED = {
    "name-a-number": (with_data(name=12345), "$.data.name"),
    "tags-a-string": (with_data(tags="abc"), "$.data.tags"),
    "sql-null": (with_data(sql=None), "$.data.sql"),
    "owner-a-string": (with_data(owner="x"), "$.data.owner"),
    "isVerified-a-string": (with_data(isVerified="no"), "$.data.isVerified"),
    "mapping-without-column": (
        with_data(idTypeMapping=[{"statsigUnitID": "stableID"}]),
        "$.data.idTypeMapping[0]",
    ),
}


@both_modes
@pytest.mark.parametrize(("reply", "where"), WRONGLY_TYPED.values(), ids=WRONGLY_TYPED.keys())
def test_a_wrongly_typed_201_is_malformed(
    body: AssignmentSourceCreate, use_async: bool, reply: dict[str, Any], where: str
) -> None:
    error = create_error(Reply(201, reply), body, MalformedResponseError, use_async=use_async)

    assert error.status == 201
    assert where in error.message
    assert "does not match the spec" in str(error)


@pytest.mark.parametrize(
    "operation",
    [op for op in spec.load() if op.success.schema_pointer],
    ids=lambda op: op.operation_id,
)
def test_every_operation_checks_its_success_body(operation: spec.Operation) -> None:
    # Generic per operationId: an operation added to the spec is checked with no new code.
    for name, example in operation.success.examples.items():
        assert success_body_problem(operation.operation_id, example) is None, name
    assert success_body_problem(operation.operation_id, ["not", "an", "object"]) is not None


def test_the_validator_is_compiled_once_per_operation() -> None:
    first = _validator(CREATE.operation_id)

    success_body_problem(CREATE.operation_id, created_body())

    assert first is not None
    assert _validator(CREATE.operation_id) is first


def test_an_unknown_operation_is_a_spec_error() -> None:
    with pytest.raises(spec.SpecError, match="no operation 'nope'"):
        success_body_problem("nope", {})


def _references(node: object) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [
            ref for v in node.values() for ref in _references(v)
        ]
    if isinstance(node, list):
        return [ref for item in node for ref in _references(item)]
    return []


@pytest.mark.parametrize(
    "operation",
    [op for op in spec.load() if op.success.schema_pointer],
    ids=lambda op: op.operation_id,
)
def test_the_compiled_success_schemas_follow_no_reference(operation: spec.Operation) -> None:
    # Following a $ref through the registry on every body was most of the layer's
    # cost per call; the packaged schemas are not recursive, so none is left.
    validator = _validator(operation.operation_id)

    assert validator is not None
    assert _references(validator.schema) == []


def _tree_spec() -> spec.Spec:
    node = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
            # Named like keywords whose values are data: still schemas here.
            "default": {"$ref": "#/components/schemas/Label"},
            "const": {"const": {"$ref": "#/components/schemas/Label"}},
        },
    }
    document = {
        "openapi": "3.1.0",
        "paths": {},
        "components": {"schemas": {"Tree": node, "Label": {"type": "string"}}},
    }
    return spec.from_document(document, "a tree spec")


def _problems(schema: Any, instance: object, packaged: spec.Spec) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema, registry=packaged.registry)
    return [error.json_path for error in validator.iter_errors(instance)]


def test_a_recursive_schema_keeps_its_reference_and_still_validates() -> None:
    packaged = _tree_spec()
    schema = inlined(packaged, {"$ref": "#/components/schemas/Tree"})
    good = {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}
    bad = {"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]}

    # The second is the data of a "const", left as it is.
    assert _references(schema) == [
        spec.SPEC_URI + "#/components/schemas/Tree",
        "#/components/schemas/Label",
    ]
    assert _problems(schema, good, packaged) == []
    assert _problems(schema, bad, packaged) == ["$.children[0].children[0].name"]


def test_property_names_are_schemas_and_data_keywords_are_data() -> None:
    packaged = _tree_spec()
    schema = inlined(packaged, {"$ref": "#/components/schemas/Tree"})
    properties = schema["properties"]

    assert properties["default"] == {"type": "string"}
    assert properties["const"] == {"const": {"$ref": "#/components/schemas/Label"}}
    assert _problems(schema, {"name": "a", "default": 1}, packaged) == ["$.default"]
    assert (
        _problems(schema, {"name": "a", "const": {"$ref": "#/components/schemas/Label"}}, packaged)
        == []
    )


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# Deeper than any parser's stack: json.loads gives up with RecursionError.
TOO_DEEP = _nested(100_000)
# Parseable, yet deep enough that describing it (a repr in a schema error) would not be.
DEEP_FIELD = '{"message": "created", "data": {"name": "a", "tags": [' + _nested(900) + "]}}"


@both_modes
@pytest.mark.parametrize("text", [TOO_DEEP, DEEP_FIELD], ids=["too-deep", "deep-field"])
def test_a_201_nested_too_deeply_is_malformed_not_a_crash(
    body: AssignmentSourceCreate, use_async: bool, text: str
) -> None:
    error = create_error(Reply(201, text), body, MalformedResponseError, use_async=use_async)

    assert error.status == 201
    assert "does not match the spec" in str(error)


@both_modes
def test_an_error_body_nested_too_deeply_is_quoted_not_a_crash(
    body: AssignmentSourceCreate, use_async: bool
) -> None:
    error = create_error(
        Reply(400, TOO_DEEP), body, InvalidRequestError, use_async=use_async, retry=None
    )

    assert error.errors == ()
    assert error.message.startswith("[[[")
    assert len(error.message) < 1000
