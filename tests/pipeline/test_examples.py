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

from .lookup import LIFECYCLE, operation, operations, response

SPEC_URI = "urn:statsig-console-api"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _pointer(*tokens: str) -> str:
    return "".join("/" + _escape(token) for token in tokens)


def iter_examples(spec: dict[str, Any]) -> Iterator[tuple[str, str, object]]:
    """(where, JSON pointer of the schema, example value) for every example."""
    for operation_id, (path, method, raw) in operations(spec).items():
        base = ("paths", path, method)
        for name, media in raw.get("requestBody", {}).get("content", {}).items():
            for example_name, example in media.get("examples", {}).items():
                where = f"{operation_id} request {example_name}"
                yield (
                    where,
                    _pointer(*base, "requestBody", "content", name, "schema"),
                    (example["value"]),
                )
        for status, answer in raw.get("responses", {}).items():
            # Shared answers are walked once, under components/responses, below.
            if "$ref" not in answer:
                yield from _response_examples(
                    f"{operation_id} {status}", answer, (*base, "responses", status)
                )
    for name, shared in spec.get("components", {}).get("responses", {}).items():
        yield from _response_examples(f"response {name}", shared, ("components", "responses", name))
    for name, parameter in spec.get("components", {}).get("parameters", {}).items():
        if "example" in parameter:
            pointer = _pointer("components", "parameters", name, "schema")
            yield f"parameter {name}", pointer, parameter["example"]
    yield from _schema_examples(
        spec.get("components", {}).get("schemas", {}), ("components", "schemas")
    )


def _response_examples(
    label: str, response: dict[str, Any], tokens: tuple[str, ...]
) -> Iterator[tuple[str, str, object]]:
    for name, media in response.get("content", {}).items():
        schema_pointer = _pointer(*tokens, "content", name, "schema")
        for example_name, example in media.get("examples", {}).items():
            yield f"{label} {example_name}", schema_pointer, example["value"]
        if "example" in media:
            yield f"{label} example", schema_pointer, media["example"]


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


@pytest.mark.parametrize("operation_id", LIFECYCLE)
def test_every_body_and_response_has_an_example(spec: dict[str, Any], operation_id: str) -> None:
    raw = operation(spec, operation_id)
    for media in raw.get("requestBody", {}).get("content", {}).values():
        assert media.get("examples"), f"{operation_id} request"
    for status in raw["responses"]:
        for media in response(spec, operation_id, status)["content"].values():
            assert media.get("examples"), f"{operation_id} {status}"


def test_the_examples_are_found_where_the_spec_writes_them(spec: dict[str, Any]) -> None:
    wheres = [where for where, _, _ in iter_examples(spec)]
    for operation_id in ("createAssignmentSource", "updateAssignmentSource"):
        assert sum(where.startswith(f"{operation_id} request ") for where in wheres) >= 3
    for operation_id, status in LIFECYCLE.items():
        assert any(where.startswith(f"{operation_id} {status} ") for where in wheres)
    for name in ("BadRequest", "Unauthorized", "NotFound", "RateLimited"):
        assert any(where.startswith(f"response {name} ") for where in wheres), name


def test_every_example_validates(spec: dict[str, Any]) -> None:
    failures: list[str] = []
    for where, pointer, value in iter_examples(spec):
        errors = sorted(validator_for(spec, pointer).iter_errors(value), key=str)
        failures.extend(f"{where}: {error.message}" for error in errors)
    assert not failures, "\n".join(failures)


def _example_copy(spec: dict[str, Any], where: str) -> tuple[str, dict[str, Any]]:
    """The schema pointer of the object example listed as ``where``, and a copy of it."""
    _where, pointer, value = next(example for example in iter_examples(spec) if example[0] == where)
    assert isinstance(value, dict)
    return pointer, copy.deepcopy(value)


@pytest.mark.parametrize(
    ("field", "bad_value"),
    [("idTypeMapping", [{"statsigUnitID": "stableID"}]), ("team", 7), ("owner", "someone")],
)
def test_a_broken_example_is_caught(spec: dict[str, Any], field: str, bad_value: object) -> None:
    # Proves the validation above resolves $refs and would report a wrong example.
    pointer, broken = _example_copy(spec, "createAssignmentSource request complete")
    broken[field] = bad_value
    with pytest.raises(ValidationError):
        validator_for(spec, pointer).validate(broken)


@pytest.mark.parametrize(
    ("field", "bad_value"),
    [("nextPage", "absent"), ("pageNumber", "1"), ("previousPage", 0)],
)
def test_a_broken_list_answer_is_caught(
    spec: dict[str, Any], field: str, bad_value: object
) -> None:
    # The same for an answer whose schema is reached through two $refs (Pagination).
    pointer, broken = _example_copy(spec, "listAssignmentSources 200 first_page")
    if bad_value == "absent":
        del broken["pagination"][field]
    else:
        broken["pagination"][field] = bad_value
    with pytest.raises(ValidationError):
        validator_for(spec, pointer).validate(broken)
