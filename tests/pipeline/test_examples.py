"""Every example in the spec validates against the schema it illustrates."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:statsig-console-api"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _pointer(*tokens: str) -> str:
    return "".join("/" + _escape(token) for token in tokens)


def iter_examples(spec: dict[str, Any]) -> Iterator[tuple[str, str, object]]:
    """(where, JSON pointer of the schema, example value) for every example."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            base = ("paths", path, method)
            for name, media in operation.get("requestBody", {}).get("content", {}).items():
                for example_name, example in media.get("examples", {}).items():
                    where = f"{method} {path} request {example_name}"
                    yield (
                        where,
                        _pointer(*base, "requestBody", "content", name, "schema"),
                        (example["value"]),
                    )
            for status, response in operation.get("responses", {}).items():
                for name, media in response.get("content", {}).items():
                    schema_pointer = _pointer(*base, "responses", status, "content", name, "schema")
                    for example_name, example in media.get("examples", {}).items():
                        where = f"{method} {path} {status} {example_name}"
                        yield where, schema_pointer, example["value"]
                    if "example" in media:
                        yield f"{method} {path} {status} example", schema_pointer, media["example"]
    for name, parameter in spec.get("components", {}).get("parameters", {}).items():
        if "example" in parameter:
            pointer = _pointer("components", "parameters", name, "schema")
            yield f"parameter {name}", pointer, parameter["example"]
    yield from _schema_examples(
        spec.get("components", {}).get("schemas", {}), ("components", "schemas")
    )


def _schema_examples(node: object, tokens: tuple[str, ...]) -> Iterator[tuple[str, str, object]]:
    if isinstance(node, dict):
        if isinstance(node.get("examples"), list) and "type" in node:
            for index, value in enumerate(node["examples"]):
                yield f"schema {'/'.join(tokens)} example {index}", _pointer(*tokens), value
        for key, value in node.items():
            if key != "examples":
                yield from _schema_examples(value, (*tokens, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _schema_examples(item, (*tokens, str(index)))


def validator_for(spec: dict[str, Any], pointer: str) -> Draft202012Validator:
    resource = Resource.from_contents(spec, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=registry)


def test_the_spec_has_examples_for_the_request_and_every_response(spec: dict[str, Any]) -> None:
    wheres = [where for where, _, _ in iter_examples(spec)]
    assert sum(" request " in where for where in wheres) >= 3
    for status in ("201", "400", "401", "429"):
        assert any(f" {status} " in where for where in wheres), status


def test_every_example_validates(spec: dict[str, Any]) -> None:
    failures: list[str] = []
    for where, pointer, value in iter_examples(spec):
        errors = sorted(validator_for(spec, pointer).iter_errors(value), key=str)
        failures.extend(f"{where}: {error.message}" for error in errors)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("field", "bad_value"),
    [("idTypeMapping", [{"statsigUnitID": "stableID"}]), ("team", 7), ("owner", "someone")],
)
def test_a_broken_example_is_caught(spec: dict[str, Any], field: str, bad_value: object) -> None:
    # Proves the validation above resolves $refs and would report a wrong example.
    _where, pointer, value = next(
        example for example in iter_examples(spec) if example[0].endswith("request complete")
    )
    assert isinstance(value, dict)
    broken = copy.deepcopy(value)
    broken[field] = bad_value
    with pytest.raises(ValidationError):
        validator_for(spec, pointer).validate(broken)
