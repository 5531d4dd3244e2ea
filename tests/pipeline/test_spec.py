"""The handwritten spec is valid OpenAPI 3.1 and shaped the way the tools need it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

PATH = "/console/v1/experiments/assignment_sources"


def _operation(spec: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = spec["paths"][PATH]["post"]
    return operation


def test_spec_is_valid_openapi_3_1(spec_path: Path) -> None:
    document, base_uri = read_from_filename(str(spec_path))
    validate(document, base_uri=base_uri)
    assert str(document["openapi"]).startswith("3.1")


def test_only_the_documented_endpoint_is_described(spec: dict[str, Any]) -> None:
    assert list(spec["paths"]) == [PATH]
    assert list(spec["paths"][PATH]) == ["post"]
    assert spec["servers"][0]["url"] == "https://statsigapi.net"


def test_operation_names_give_a_readable_python_api(spec: dict[str, Any]) -> None:
    operation = _operation(spec)
    assert operation["operationId"] == "createAssignmentSource"
    assert operation["tags"] == ["assignment_sources"]


def test_security_is_declared_on_the_operation(spec: dict[str, Any]) -> None:
    # The generator ignores a top-level-only `security`.
    operation = _operation(spec)
    assert operation["security"] == [{"StatsigApiKey": []}]
    scheme = spec["components"]["securitySchemes"]["StatsigApiKey"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "STATSIG-API-KEY"}


def test_review_settings_header_is_optional(spec: dict[str, Any]) -> None:
    parameter = spec["components"]["parameters"]["RespectReviewSettings"]
    assert parameter["name"] == "x-respect-review-settings"
    assert parameter["in"] == "header"
    assert parameter["required"] is False


def test_every_body_is_a_named_component(spec: dict[str, Any]) -> None:
    operation = _operation(spec)
    request_schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert request_schema == {"$ref": "#/components/schemas/AssignmentSourceCreate"}
    expected = {
        "201": "CreateAssignmentSourceResponse",
        "400": "ErrorResponse",
        "401": "ErrorResponse",
        "429": "ErrorResponse",
    }
    assert set(operation["responses"]) == set(expected)
    for status, name in expected.items():
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{name}"}, status


def _walk(node: object) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_walk(item))
    return found


def test_no_all_of_overrides(spec: dict[str, Any]) -> None:
    # openapi-python-client keeps the base type when allOf overrides a property.
    assert not [node for node in _walk(spec) if "allOf" in node]


def test_response_data_is_the_typed_assignment_source(spec: dict[str, Any]) -> None:
    envelope = spec["components"]["schemas"]["CreateAssignmentSourceResponse"]
    assert envelope["required"] == ["message", "data"]
    assert envelope["properties"]["data"] == {"$ref": "#/components/schemas/AssignmentSource"}


@pytest.mark.parametrize("schema_name", ["AssignmentSourceCreate", "AssignmentSource"])
def test_documented_nullable_fields_accept_null(spec: dict[str, Any], schema_name: str) -> None:
    properties = spec["components"]["schemas"][schema_name]["properties"]
    assert {"type": "null"} in properties["owner"]["anyOf"]
    assert properties["team"]["type"] == ["string", "null"]
    assert properties["teamID"]["type"] == ["string", "null"]


# Statsig's reference page (shared/seed/create-assignment-source.txt), field by field:
# these tests fail when the spec drifts from it. When Statsig changes the endpoint,
# update the spec and these tables together.
REQUEST_FIELDS = {
    "name": ("string", True),
    "description": ("string", False),
    "isVerified": ("boolean", False),
    "tags": ("array", False),
    "sql": ("string", True),
    "timestampColumn": ("string", True),
    "experimentIDColumn": ("string", True),
    "groupIDColumn": ("string", True),
    "groupNameColumn": ("string", False),
    "idTypeMapping": ("array", True),
    "isReadOnly": ("boolean", False),
    "owner": (None, False),
    "team": (["string", "null"], False),
    "teamID": (["string", "null"], False),
    "scheduledReloadHour": ("integer", False),
    "dryRun": ("boolean", False),
}
RESPONSE_REQUIRED = {
    "name",
    "description",
    "tags",
    "sql",
    "timestampColumn",
    "experimentIDColumn",
    "groupIDColumn",
    "idTypeMapping",
}


def test_request_fields_match_the_reference_page(spec: dict[str, Any]) -> None:
    schema = spec["components"]["schemas"]["AssignmentSourceCreate"]
    assert set(schema["properties"]) == set(REQUEST_FIELDS)
    assert set(schema["required"]) == {name for name, (_, req) in REQUEST_FIELDS.items() if req}
    for name, (json_type, _) in REQUEST_FIELDS.items():
        assert schema["properties"][name].get("type") == json_type, name
        assert schema["properties"][name]["description"], name


def test_response_fields_match_the_reference_page(spec: dict[str, Any]) -> None:
    schema = spec["components"]["schemas"]["AssignmentSource"]
    assert set(schema["properties"]) == set(REQUEST_FIELDS) - {"dryRun"}
    assert set(schema["required"]) == RESPONSE_REQUIRED
    for name, property_schema in schema["properties"].items():
        assert property_schema["description"], name


def test_nested_objects_match_the_reference_page(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert set(schemas["IdTypeMapping"]["required"]) == {"statsigUnitID", "column"}
    assert set(schemas["Owner"]["properties"]) == {
        "ownerID",
        "ownerType",
        "ownerName",
        "ownerEmail",
    }
    assert "required" not in schemas["Owner"]
    assert schemas["ErrorResponse"]["required"] == ["status", "message"]
