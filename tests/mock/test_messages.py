"""How error paths and rules are worded (pure functions, no server needed)."""

from __future__ import annotations

import jsonschema_rs
import pytest

from statsig_console_mock.validation import MAX_VALUES_LISTED, error_messages, format_path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ([], "body"),
        (["name"], "name"),
        (["idTypeMapping", 0, "column"], "idTypeMapping[0].column"),
        (["a.b", 1], '["a.b"][1]'),
        (["owner", 'say "hi"'], 'owner["say \\"hi\\""]'),
        (["x" * 100], "x" * 57 + "..."),
    ],
)
def test_paths(path: list[str | int], expected: str) -> None:
    assert format_path(path) == expected


@pytest.mark.parametrize(
    ("schema", "instance", "expected"),
    [
        ({"enum": ["A", "B"]}, "C", 'body: must be one of "A", "B"'),
        ({"const": 3}, 4, "body: must be 3"),
        ({"minLength": 2}, "a", "body: must be at least 2 characters long"),
        ({"maxLength": 1}, "ab", "body: must be at most 1 character long"),
        ({"minimum": 0}, -1, "body: must be greater than or equal to 0"),
        ({"maximum": 23}, 24, "body: must be less than or equal to 23"),
        ({"exclusiveMinimum": 0}, 0, "body: must be greater than 0"),
        ({"multipleOf": 5}, 7, "body: must be a multiple of 5"),
        ({"minItems": 1}, [], "body: must have at least 1 item"),
        ({"uniqueItems": True}, [1, 1], "body: must not contain duplicate items"),
        ({"pattern": "^a"}, "b", "body: must match the pattern ^a"),
        (
            {"properties": {"a": {"type": "string"}}, "additionalProperties": False},
            {"b": 1},
            "b: is not allowed",
        ),
        ({"not": {"type": "string"}}, "x", "body: matches a shape that is not allowed"),
        ({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, 1, "body: matches more than one"),
    ],
)
def test_rules(schema: dict[str, object], instance: object, expected: str) -> None:
    validator = jsonschema_rs.validator_for(schema)

    messages = error_messages(validator, instance)

    assert len(messages) == 1
    assert messages[0].startswith(expected)


def test_valid_instances_have_no_messages() -> None:
    assert error_messages(jsonschema_rs.validator_for({"type": "object"}), {}) == []


def test_a_body_with_many_values_is_described_by_its_first_error() -> None:
    validator = jsonschema_rs.validator_for(
        {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}
    )
    instance = {"tags": [0, 1, "ok", 2]}

    few = error_messages(validator, instance, values=4)
    many = error_messages(validator, instance, values=MAX_VALUES_LISTED + 1)

    assert few == [
        "tags[0]: must be a string, not an integer",
        "tags[1]: must be a string, not an integer",
        "tags[3]: must be a string, not an integer",
    ]
    assert many == [
        "tags[0]: must be a string, not an integer",
        "(a body this large is checked up to its first error)",
    ]
