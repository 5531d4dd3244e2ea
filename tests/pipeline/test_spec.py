"""The handwritten spec is valid OpenAPI 3.1 and shaped the way the tools need it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.stateful import collect_transitions

from .lookup import BY_NAME, LIFECYCLE, operation, operations, parameters, resolve, response

# Which of Statsig's two paths (shared/seed/assignment-source-lifecycle.md) and which
# method each operation uses: the collection, or one source by name.
METHODS = {
    "listAssignmentSources": ("collection", "get"),
    "createAssignmentSource": ("collection", "post"),
    "updateAssignmentSource": ("one source", "post"),
    "patchAssignmentSource": ("one source", "patch"),
    "deleteAssignmentSource": ("one source", "delete"),
}


def test_spec_is_valid_openapi_3_1(spec_path: Path) -> None:
    document, base_uri = read_from_filename(str(spec_path))
    validate(document, base_uri=base_uri)
    assert str(document["openapi"]).startswith("3.1")


def _paths(spec: dict[str, Any]) -> dict[str, str]:
    """ "collection" and "one source" -> the path the spec gives each."""
    found = operations(spec)
    return {
        "collection": found["createAssignmentSource"][0],
        "one source": found["deleteAssignmentSource"][0],
    }


def test_the_five_lifecycle_operations_are_described(spec: dict[str, Any]) -> None:
    paths = _paths(spec)
    found = {
        operation_id: (path, method) for operation_id, (path, method, _) in operations(spec).items()
    }
    assert found == {
        operation_id: (paths[which], method) for operation_id, (which, method) in METHODS.items()
    }
    assert list(spec["paths"]) == list(paths.values())
    assert spec["servers"][0]["url"] == "https://statsigapi.net"


def test_one_source_sits_under_the_singular_name(spec: dict[str, Any]) -> None:
    paths = _paths(spec)
    assert paths["collection"].endswith("/experiments/assignment_sources")
    # Not the collection path plus a segment: Statsig drops the plural's `s`.
    assert paths["one source"] == paths["collection"].removesuffix("s") + "/{name}"


def test_the_title_names_the_resource_not_one_call(spec: dict[str, Any]) -> None:
    assert spec["info"]["title"] == "Statsig Console API - Assignment Sources"
    for operation_id in LIFECYCLE:
        assert operation_id in spec["info"]["description"], operation_id


@pytest.mark.parametrize("operation_id", LIFECYCLE)
def test_operation_names_give_a_readable_python_api(
    spec: dict[str, Any], operation_id: str
) -> None:
    # The tag becomes the module `api.assignment_sources`, the operationId its function.
    assert operation(spec, operation_id)["tags"] == ["assignment_sources"]


@pytest.mark.parametrize("operation_id", LIFECYCLE)
def test_security_is_declared_on_every_operation(spec: dict[str, Any], operation_id: str) -> None:
    # The generator ignores a top-level-only `security`.
    assert operation(spec, operation_id)["security"] == [{"StatsigApiKey": []}]
    scheme = spec["components"]["securitySchemes"]["StatsigApiKey"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "STATSIG-API-KEY"}


@pytest.mark.parametrize("operation_id", LIFECYCLE)
@pytest.mark.parametrize("header", ["STATSIG-API-VERSION", "x-respect-review-settings"])
def test_every_operation_takes_the_optional_headers(
    spec: dict[str, Any], operation_id: str, header: str
) -> None:
    parameter = parameters(spec, operation_id)[("header", header)]
    assert parameter["required"] is False
    # No enum: a newer API version must not need a new spec.
    assert parameter["schema"] == {"type": "string"}


def test_the_api_version_example_is_the_only_version(spec: dict[str, Any]) -> None:
    assert spec["components"]["parameters"]["ApiVersion"]["example"] == spec["info"]["version"]


@pytest.mark.parametrize("operation_id", BY_NAME)
def test_a_source_is_addressed_by_its_current_name(spec: dict[str, Any], operation_id: str) -> None:
    declared = parameters(spec, operation_id)
    assert [key for key in declared if key[0] == "path"] == [("path", "name")]
    name = declared[("path", "name")]
    assert name["required"] is True
    assert name["schema"] == {"type": "string"}
    assert "current name" in name["description"]
    assert "percent-encoded" in name["description"]


def test_list_pages_with_optional_integers_and_no_invented_bounds(spec: dict[str, Any]) -> None:
    declared = parameters(spec, "listAssignmentSources")
    assert {key for key in declared if key[0] == "query"} == {("query", "limit"), ("query", "page")}
    for name in ("limit", "page"):
        parameter = declared[("query", name)]
        assert parameter["required"] is False
        # Statsig documents no default, minimum or maximum: none is declared, and the
        # description says why.
        assert parameter["schema"] == {"type": "integer"}, name
        assert "so no" in parameter["description"] or "so neither" in parameter["description"]


BODIES = {
    "listAssignmentSources": None,
    "createAssignmentSource": "AssignmentSourceCreate",
    "updateAssignmentSource": "AssignmentSourceUpdate",
    "patchAssignmentSource": "AssignmentSourcePatch",
    "deleteAssignmentSource": None,
}
SUCCESS_BODIES = {
    "listAssignmentSources": "ListAssignmentSourcesResponse",
    "createAssignmentSource": "CreateAssignmentSourceResponse",
    "updateAssignmentSource": "UpdateAssignmentSourceResponse",
    "patchAssignmentSource": "PatchAssignmentSourceResponse",
    "deleteAssignmentSource": "DeleteAssignmentSourceResponse",
}
SHARED_ERRORS = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "404": "NotFound",
    "429": "RateLimited",
}


@pytest.mark.parametrize("operation_id", LIFECYCLE)
def test_every_body_is_a_named_component(spec: dict[str, Any], operation_id: str) -> None:
    raw = operation(spec, operation_id)
    if BODIES[operation_id] is None:
        assert "requestBody" not in raw
    else:
        assert raw["requestBody"]["required"] is True
        request_schema = raw["requestBody"]["content"]["application/json"]["schema"]
        assert request_schema == {"$ref": f"#/components/schemas/{BODIES[operation_id]}"}
    success = LIFECYCLE[operation_id]
    errors = ["400", "401", *(["404"] if operation_id in BY_NAME else []), "429"]
    assert list(raw["responses"]) == [success, *errors]
    schema = raw["responses"][success]["content"]["application/json"]["schema"]
    assert schema == {"$ref": f"#/components/schemas/{SUCCESS_BODIES[operation_id]}"}
    for status in errors:
        assert raw["responses"][status] == {
            "$ref": f"#/components/responses/{SHARED_ERRORS[status]}"
        }


@pytest.mark.parametrize("name", SHARED_ERRORS.values())
def test_every_error_answer_is_the_error_body(spec: dict[str, Any], name: str) -> None:
    shared = spec["components"]["responses"][name]
    schema = shared["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ErrorResponse"}


@pytest.mark.parametrize("operation_id", LIFECYCLE)
def test_every_rate_limit_answer_names_retry_after(spec: dict[str, Any], operation_id: str) -> None:
    headers = response(spec, operation_id, "429")["headers"]
    assert headers["Retry-After"]["required"] is False


def test_review_settings_header_is_optional(spec: dict[str, Any]) -> None:
    parameter = spec["components"]["parameters"]["RespectReviewSettings"]
    assert parameter["name"] == "x-respect-review-settings"
    assert parameter["in"] == "header"
    assert parameter["required"] is False


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


def test_every_object_schema_is_named(spec: dict[str, Any]) -> None:
    # An inline object would become a model named after where it sits
    # (e.g. `ListAssignmentSourcesResponsePaginationType0`), not what it is.
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        inline = [
            node
            for node in _walk(schema["properties"])
            if node.get("type") == "object" or "properties" in node
        ]
        assert not inline, name


@pytest.mark.parametrize(
    "envelope",
    [
        "CreateAssignmentSourceResponse",
        "UpdateAssignmentSourceResponse",
        "PatchAssignmentSourceResponse",
    ],
)
def test_response_data_is_the_typed_assignment_source(spec: dict[str, Any], envelope: str) -> None:
    schema = spec["components"]["schemas"][envelope]
    assert schema["required"] == ["message", "data"]
    assert schema["properties"]["data"] == {"$ref": "#/components/schemas/AssignmentSource"}


def test_the_list_answer_is_typed_sources_and_pagination(spec: dict[str, Any]) -> None:
    schema = spec["components"]["schemas"]["ListAssignmentSourcesResponse"]
    assert schema["required"] == ["message", "data", "pagination"]
    assert schema["properties"]["data"]["type"] == "array"
    assert schema["properties"]["data"]["items"] == {
        "$ref": "#/components/schemas/AssignmentSource"
    }
    assert schema["properties"]["pagination"] == {"$ref": "#/components/schemas/Pagination"}


def test_pagination_matches_the_facts(spec: dict[str, Any]) -> None:
    schema = spec["components"]["schemas"]["Pagination"]
    properties = schema["properties"]
    # Always present; `totalItems` and `all` may be missing.
    assert set(schema["required"]) == {"itemsPerPage", "pageNumber", "nextPage", "previousPage"}
    assert set(properties) == set(schema["required"]) | {"totalItems", "all"}
    # Statsig's document types the counts as JSON numbers, not integers.
    for count in ("itemsPerPage", "pageNumber", "totalItems"):
        assert properties[count]["type"] == "number", count
    for link in ("nextPage", "previousPage"):
        assert properties[link]["type"] == ["string", "null"], link
    assert properties["all"]["type"] == "string"


def test_the_delete_answer_is_a_message(spec: dict[str, Any]) -> None:
    schema = spec["components"]["schemas"]["DeleteAssignmentSourceResponse"]
    assert schema["required"] == ["message"]
    assert set(schema["properties"]) == {"message"}


def test_error_details_are_optional_and_typed(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    error = schemas["ErrorResponse"]
    assert error["required"] == ["status", "message"]
    assert error["properties"]["errors"] == {
        **error["properties"]["errors"],
        "type": "array",
        "items": {"$ref": "#/components/schemas/ErrorDetail"},
    }
    detail = schemas["ErrorDetail"]
    assert set(detail["properties"]) == {"property", "errorMessage"}
    assert "required" not in detail


@pytest.mark.parametrize(
    "schema_name",
    [
        "AssignmentSourceCreate",
        "AssignmentSourceUpdate",
        "AssignmentSourcePatch",
        "AssignmentSource",
    ],
)
def test_documented_nullable_fields_accept_null(spec: dict[str, Any], schema_name: str) -> None:
    properties = spec["components"]["schemas"][schema_name]["properties"]
    assert {"type": "null"} in properties["owner"]["anyOf"]
    assert properties["team"]["type"] == ["string", "null"]
    assert properties["teamID"]["type"] == ["string", "null"]


@pytest.mark.parametrize("schema_name", ["AssignmentSourceCreate", "AssignmentSource"])
def test_scheduled_reload_hour_is_integer_or_null(spec: dict[str, Any], schema_name: str) -> None:
    # Statsig's 2026 document: a stored source may come back with null.
    hour = spec["components"]["schemas"][schema_name]["properties"]["scheduledReloadHour"]
    assert hour["type"] == ["integer", "null"]
    assert not {"minimum", "maximum"} & set(hour)


# Statsig's reference page (shared/seed/create-assignment-source.txt) and the lifecycle
# facts (shared/seed/assignment-source-lifecycle.md), field by field: these tests fail
# when the spec drifts from them. When Statsig changes a call, update the spec and
# these tables together.
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
    "scheduledReloadHour": (["integer", "null"], False),
    "dryRun": ("boolean", False),
}
# The full update: the create's fields without the two only the create body and the
# stored source carry, with `name` (the new name) optional.
UPDATE_FIELDS = {
    **{
        name: declared
        for name, declared in REQUEST_FIELDS.items()
        if name not in {"groupNameColumn", "scheduledReloadHour"}
    },
    "name": ("string", False),
}
# The patch: the update's fields, every one optional, without the read-only `sql`.
PATCH_FIELDS = {name: (json_type, False) for name, (json_type, _) in UPDATE_FIELDS.items()}
del PATCH_FIELDS["sql"]
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


@pytest.mark.parametrize(
    ("schema_name", "fields"),
    [
        ("AssignmentSourceCreate", REQUEST_FIELDS),
        ("AssignmentSourceUpdate", UPDATE_FIELDS),
        ("AssignmentSourcePatch", PATCH_FIELDS),
    ],
)
def test_request_fields_match_the_facts(
    spec: dict[str, Any], schema_name: str, fields: dict[str, tuple[object, bool]]
) -> None:
    schema = spec["components"]["schemas"][schema_name]
    assert set(schema["properties"]) == set(fields)
    assert set(schema.get("required", [])) == {name for name, (_, req) in fields.items() if req}
    for name, (json_type, _) in fields.items():
        assert schema["properties"][name].get("type") == json_type, name
        assert schema["properties"][name]["description"], name


def test_the_patch_cannot_carry_the_query(spec: dict[str, Any]) -> None:
    patch = spec["components"]["schemas"]["AssignmentSourcePatch"]
    assert "sql" not in patch["properties"]
    assert "read-only" in patch["description"]
    assert "updateAssignmentSource" in operation(spec, "patchAssignmentSource")["description"]


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


# The lifecycle as links: after a create, the source can be updated, patched or deleted
# by the name it was stored under; after an update or a patch (either may rename it),
# by the name in the answer; after a delete, by the name in the request's path, so
# the stateful phase tries the deleted name again.
LINKS = {
    ("createAssignmentSource", "201"): {
        "updateAssignmentSource",
        "patchAssignmentSource",
        "deleteAssignmentSource",
    },
    ("updateAssignmentSource", "200"): {"patchAssignmentSource", "deleteAssignmentSource"},
    ("patchAssignmentSource", "200"): {"deleteAssignmentSource"},
    ("deleteAssignmentSource", "200"): {"patchAssignmentSource", "deleteAssignmentSource"},
}
NAME_IN_THE_ANSWER = "$response.body#/data/name"
NAME_IN_THE_REQUEST = "$request.path.name"
# The links that follow an answer without a `data` to name the source.
FROM_THE_REQUEST = {("deleteAssignmentSource", "200")}


def _links(spec: dict[str, Any], operation_id: str, status: str) -> list[dict[str, Any]]:
    raw = operation(spec, operation_id)["responses"][status]
    return [resolve(spec, link) for link in resolve(spec, raw).get("links", {}).values()]


@pytest.mark.parametrize("operation_id", LIFECYCLE)
def test_links_chain_the_lifecycle_by_name(spec: dict[str, Any], operation_id: str) -> None:
    status = LIFECYCLE[operation_id]
    links = _links(spec, operation_id, status)
    assert {link["operationId"] for link in links} == LINKS.get((operation_id, status), set())
    expression = (
        NAME_IN_THE_REQUEST if (operation_id, status) in FROM_THE_REQUEST else NAME_IN_THE_ANSWER
    )
    for link in links:
        assert link["parameters"] == {"name": expression}
        assert ("path", "name") in parameters(spec, link["operationId"])


@pytest.mark.parametrize(("operation_id", "status"), sorted(LINKS.keys() - FROM_THE_REQUEST))
def test_the_linked_name_is_in_every_example_answer(
    spec: dict[str, Any], operation_id: str, status: str
) -> None:
    pointer = NAME_IN_THE_ANSWER.removeprefix("$response.body#/").split("/")
    media = response(spec, operation_id, status)["content"]["application/json"]
    for name, example in media["examples"].items():
        value: Any = example["value"]
        for token in pointer:
            value = value[token]
        assert isinstance(value, str), name
        assert value, name


def test_schemathesis_walks_the_declared_links(spec_path: Path, spec: dict[str, Any]) -> None:
    # What the stateful phase reads: every declared link, resolved to its target.
    schema = schemathesis.openapi.from_path(spec_path)
    loaded = [result for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert len(loaded) == len(LIFECYCLE)
    labels = {
        operation_id: f"{method.upper()} {path}"
        for operation_id, (path, method, _) in operations(spec).items()
    }
    found = {
        (source, link.status_code, link.target.label)
        for source, transitions in collect_transitions(
            [result.ok() for result in loaded]
        ).operations.items()
        for link in transitions.outgoing
        if not link.is_inferred
    }
    assert found == {
        (labels[source], status, labels[target])
        for (source, status), targets in LINKS.items()
        for target in targets
    }
