"""The compiled success-body check says what jsonschema says, and spares it valid bodies."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import referencing
from hypothesis import given
from hypothesis import strategies as st
from referencing.jsonschema import DRAFT202012

from statsig_console import spec
from statsig_console._schema_check import compile_check
from statsig_console._validation import _validator, success_body_problem

CHECKED = [op for op in spec.load() if op.success.schema_pointer]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)


def _paths(node: object, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _paths(item, (*here, index))


def _names(schema: object) -> Iterator[str]:
    """Every property name the schema declares, to add where they are not expected."""
    if isinstance(schema, dict):
        properties = schema.get("properties")
        if isinstance(properties, dict):
            yield from properties
        for value in schema.values():
            yield from _names(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _names(item)


@st.composite
def mutated(draw: st.DrawFn, operation: spec.Operation) -> object:
    """One of the operation's success examples with one part replaced, removed or added."""
    example = copy.deepcopy(draw(st.sampled_from(list(operation.success.examples.values()))))
    path = draw(st.sampled_from(list(_paths(example))))
    if not path:
        return draw(json_values)
    *parents, last = path
    container = example
    for step in parents:
        container = container[step]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "replace":
        container[last] = draw(json_values)
    elif action == "remove":
        del container[last]
    elif isinstance(container, dict):
        validator = _validator(operation.operation_id)
        assert validator is not None
        container[draw(st.sampled_from(sorted(set(_names(validator.schema)))))] = draw(json_values)
    else:
        container.insert(last, draw(json_values))
    return example


@pytest.mark.parametrize("operation", CHECKED, ids=lambda op: op.operation_id)
def test_the_check_agrees_with_jsonschema_on_the_spec_schemas(operation: spec.Operation) -> None:
    validator = _validator(operation.operation_id)
    assert validator is not None
    check = compile_check(validator)

    @given(mutated(operation))
    def agrees(body: object) -> None:
        assert check(body) == validator.is_valid(body), body

    agrees()


@pytest.mark.parametrize("operation", CHECKED, ids=lambda op: op.operation_id)
def test_a_valid_body_is_accepted_without_running_jsonschema(
    operation: spec.Operation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every keyword of the spec's response schemas is compiled, so the common case
    # never reaches jsonschema's keyword-by-keyword walk.
    success_body_problem(operation.operation_id, None)  # compiled before the patch

    def refuse(*args: object, **kwargs: object) -> Iterator[jsonschema.ValidationError]:
        raise AssertionError(
            "jsonschema checked a valid body: compile its keyword in _schema_check"
        )

    monkeypatch.setattr(jsonschema.Draft202012Validator, "iter_errors", refuse)
    assert operation.success.examples
    for example in operation.success.examples.values():
        assert success_body_problem(operation.operation_id, example) is None


def test_an_invalid_body_still_gets_jsonschema_s_description() -> None:
    problem = success_body_problem("createAssignmentSource", {"message": 3})

    assert problem is not None
    assert "$.message: 3 is not of type 'string'" in problem
    assert "'data' is a required property" in problem


# A document the keyword cases can refer into, as the spec's recursive schemas would.
TREE_URI = "urn:test:tree"
TREE = {
    "type": "object",
    "properties": {"children": {"type": "array", "items": {"$ref": TREE_URI}}},
}

# For each compiled keyword, and for keywords left to jsonschema: a schema, instances
# valid against it, and instances not.
SCHEMAS: dict[str, tuple[Any, list[object], list[object]]] = {
    "true": (True, [None, 1, {}], []),
    "false": (False, [], [None, 1, {}]),
    "annotations": (
        {"$comment": "note", "description": "x", "examples": [1], "x-vendor": 2, "type": "string"},
        ["a"],
        [1],
    ),
    "types": (
        {"type": "array", "items": {"anyOf": [{"type": "integer"}, {"type": ["boolean", "null"]}]}},
        [[1, 1.0, True, None], []],
        [[1.5], ["1"], [{}], "not an array"],
    ),
    "number-or-string": ({"type": ["number", "string"]}, [1, 1.5, "a"], [True, None, [], {}]),
    "object": (
        {
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "string"}, "b": {"type": "object"}},
            "additionalProperties": {"type": "integer"},
        },
        [{"a": "x"}, {"a": "x", "c": 1}],
        [{"a": "x", "c": "1"}, {"b": {}}, {"a": 1}, []],
    ),
    "closed": (
        {"properties": {"a": True}, "additionalProperties": False},
        [{"a": 1}, {}, "not an object"],
        [{"b": 1}],
    ),
    "one-of": ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, [1.5], [1, "a"]),
    "all-of-not": (
        {"allOf": [{"type": "number"}, {"not": {"type": "integer"}}]},
        [1.5],
        [1, 1.0, "a"],
    ),
    "format-unchecked": ({"type": "string", "format": "date-time"}, ["not a date"], [1]),
    "left-to-jsonschema": (
        {
            "type": "object",
            "properties": {
                "kind": {"enum": ["a", "b"]},
                "code": {"type": "string", "pattern": "^[0-9]+$", "maxLength": 3},
                "pair": {"prefixItems": [{"type": "integer"}], "items": {"type": "string"}},
                "open": {
                    "patternProperties": {"^x-": {"type": "integer"}},
                    "additionalProperties": False,
                },
                "tree": {"$ref": TREE_URI},
            },
        },
        [
            {"kind": "a", "code": "12", "pair": [1, "a"], "open": {"x-a": 1}},
            {"tree": {"children": [{"children": []}]}},
        ],
        [
            {"kind": "c"},
            {"code": "1234"},
            {"code": "ab"},
            {"pair": ["a"]},
            {"pair": [1, 2]},
            {"open": {"x-a": "1"}},
            {"open": {"y": 1}},
            {"tree": {"children": [{"children": 1}]}},
        ],
    ),
}


@pytest.mark.parametrize(("schema", "valid", "invalid"), SCHEMAS.values(), ids=SCHEMAS.keys())
def test_the_check_agrees_with_jsonschema_keyword_by_keyword(
    schema: Any, valid: list[object], invalid: list[object]
) -> None:
    tree = referencing.Resource.from_contents(TREE, default_specification=DRAFT202012)
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(TREE_URI, tree)
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    check = compile_check(validator)

    assert [check(instance) for instance in valid] == [True] * len(valid)
    assert [check(instance) for instance in invalid] == [False] * len(invalid)
    assert all(validator.is_valid(instance) for instance in valid)
    assert not any(validator.is_valid(instance) for instance in invalid)
