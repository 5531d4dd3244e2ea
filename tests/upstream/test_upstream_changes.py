"""Each kind of change in Statsig's document is reported once, in the right group.

Every case mutates the fixture that is equivalent to our spec, so the expected
differences are exactly the ones the mutation introduces: nothing more is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.upstream.helpers import (
    Document,
    differences,
    our_document,
    post,
    request_schema,
    schemas,
    statsig_document,
    summary,
)

B = "breaking"
I = "informational"  # noqa: E741 - mirrors B
Row = tuple[str, str, str]
Mutation = Callable[[Document], None]
# pytest params of test_change_is_reported_in_the_right_group, filled by `case`.
CASES: list[Any] = []


def case(name: str, *expected: Row) -> Callable[[Mutation], Mutation]:
    """Registers the mutation it decorates: applied to the fixture, it must be reported as
    exactly the `expected` (location, kind, severity) rows."""

    def register(mutate: Mutation) -> Mutation:
        CASES.append(pytest.param(mutate, set(expected), id=name))
        return mutate

    return register


def request(field: str, kind: str, severity: str) -> Row:
    """A row for a field of the request body."""
    return (f"request body {field}", kind, severity)


def response(field: str, kind: str, severity: str) -> Row:
    """A row for a field of the 201 response's data."""
    return (f"response 201 data.{field}", kind, severity)


def dto(document: Document) -> dict[str, Any]:
    found: dict[str, Any] = schemas(document)["AssignmentSourceDto"]
    return found


def header(name: str, *, required: bool = False) -> dict[str, object]:
    """A header parameter with a string value."""
    return {"name": name, "in": "header", "required": required, "schema": {"type": "string"}}


def retype_reload_hour(d: Document, type_: str) -> None:
    """`scheduledReloadHour` is a nullable `type_` in the request and the response."""
    for properties in (request_schema(d)["properties"], dto(d)["properties"]):
        properties["scheduledReloadHour"] = {"type": type_, "nullable": True}


@case("response field added", response("createdTime", "field added", I))
def _add_response_field(d: Document) -> None:
    dto(d)["properties"]["createdTime"] = {"type": "integer"}


@case("optional request field added", request("targetApps", "field added", I))
def _add_optional_request_field(d: Document) -> None:
    request_schema(d)["properties"]["targetApps"] = {"type": "array", "items": {"type": "string"}}


@case("required request field added", request("warehouse", "field added", B))
def _add_required_request_field(d: Document) -> None:
    request_schema(d)["properties"]["warehouse"] = {"type": "string"}
    request_schema(d)["required"].append("warehouse")


@case("required response field removed", response("sql", "field removed", B))
def _remove_required_response_field(d: Document) -> None:
    del dto(d)["properties"]["sql"]
    dto(d)["required"].remove("sql")


@case("optional response field removed", response("groupNameColumn", "field removed", I))
def _remove_optional_response_field(d: Document) -> None:
    del dto(d)["properties"]["groupNameColumn"]


@case("request field removed", request("isReadOnly", "field removed", I))
def _remove_request_field(d: Document) -> None:
    del request_schema(d)["properties"]["isReadOnly"]


@case(
    "request field removed, unknown fields forbidden",
    request("isReadOnly", "field removed", B),
    ("request body *", "additionalProperties changed", I),
)
def _remove_request_field_closed(d: Document) -> None:
    _remove_request_field(d)
    request_schema(d)["additionalProperties"] = False


@case(
    "retyped",
    request("scheduledReloadHour", "type changed", B),
    response("scheduledReloadHour", "type changed", B),
)
def _retype_to_string(d: Document) -> None:
    retype_reload_hour(d, "string")


@case(
    "integer widened to number",
    request("scheduledReloadHour", "type changed", I),
    response("scheduledReloadHour", "type changed", B),
)
def _widen_integer_to_number(d: Document) -> None:
    retype_reload_hour(d, "number")


@case(
    "made required",
    request("description", "made required", B),
    response("isVerified", "made required", I),
)
def _make_required(d: Document) -> None:
    request_schema(d)["required"].append("description")
    dto(d)["required"].append("isVerified")


@case("made optional", request("sql", "made optional", I), response("tags", "made optional", B))
def _make_optional(d: Document) -> None:
    request_schema(d)["required"].remove("sql")
    dto(d)["required"].remove("tags")


@case("made nullable", request("tags", "made nullable", I), response("name", "made nullable", B))
def _make_nullable(d: Document) -> None:
    request_schema(d)["properties"]["tags"]["nullable"] = True
    dto(d)["properties"]["name"]["nullable"] = True


@case(
    "made non-nullable",
    request("team", "made non-nullable", B),
    response("owner", "made non-nullable", I),
)
def _make_non_nullable(d: Document) -> None:
    request_schema(d)["properties"]["team"] = {"type": "string"}
    dto(d)["properties"]["owner"] = {"$ref": "#/components/schemas/OwnerDto"}


@case(
    "nested array item fields",
    request("idTypeMapping[].kind", "field added", B),
    response("idTypeMapping[].column", "made nullable", B),
)
def _nested_item_fields(d: Document) -> None:
    items = request_schema(d)["properties"]["idTypeMapping"]["items"]
    items["properties"]["kind"] = {"type": "string"}
    items["required"].append("kind")
    schemas(d)["IdTypeMappingFields"]["properties"]["column"]["nullable"] = True


@case(
    "nested object field retyped (request and response share the owner schema)",
    request("owner.ownerID", "type changed", B),
    response("owner.ownerID", "type changed", B),
)
def _nested_object_field(d: Document) -> None:
    schemas(d)["OwnerDto"]["properties"]["ownerID"] = {"type": "integer"}


@case("error status added", ("response 404", "status added", I))
def _add_error_status(d: Document) -> None:
    post(d)["responses"]["404"] = {"$ref": "#/components/responses/BadRequest"}


@case("success status added", ("response 200", "status added", B))
def _add_success_status(d: Document) -> None:
    post(d)["responses"]["200"] = post(d)["responses"]["201"]


@case(
    "success status replaced",
    ("response 200", "status added", B),
    ("response 201", "status removed", B),
)
def _replace_success_status(d: Document) -> None:
    post(d)["responses"]["200"] = post(d)["responses"].pop("201")


@case("error status removed", ("response 429", "status removed", I))
def _remove_error_status(d: Document) -> None:
    del post(d)["responses"]["429"]


@case("error body listed without a schema", ("response 401", "body schema not documented", I))
def _error_body_without_schema(d: Document) -> None:
    post(d)["responses"]["401"]["content"]["application/json"] = {}


@case(
    "error body field made optional",
    ("response 400 status", "made optional", B),
    ("response 401 status", "made optional", B),
    ("response 429 status", "made optional", B),
)
def _error_body_loosened(d: Document) -> None:
    schemas(d)["ErrorDto"]["required"] = ["message"]


@case("key header renamed", ("security", "security changed", B))
def _rename_key_header(d: Document) -> None:
    d["components"]["securitySchemes"]["STATSIG-API-KEY"]["name"] = "X-STATSIG-KEY"


@case("key moved to the query", ("security", "security changed", B))
def _key_moves_to_query(d: Document) -> None:
    d["components"]["securitySchemes"]["STATSIG-API-KEY"]["in"] = "query"


@case("auth alternative added", ("security", "security changed", I))
def _add_auth_alternative(d: Document) -> None:
    d["components"]["securitySchemes"]["Bearer"] = {"type": "http", "scheme": "bearer"}
    post(d)["security"].append({"Bearer": []})


@case("only the scheme's key renamed")
def _rename_scheme_only(d: Document) -> None:
    schemes = d["components"]["securitySchemes"]
    schemes["ConsoleKey"] = schemes.pop("STATSIG-API-KEY")
    post(d)["security"] = [{"ConsoleKey": []}]


@case("security declared only for the whole document")
def _security_only_at_the_top(d: Document) -> None:
    d["security"] = post(d).pop("security")


# Statsig's document says `security: []` at the top: "no authentication".
@case("no security for the operation", ("security", "security changed", I))
def _no_security_declared(d: Document) -> None:
    del post(d)["security"]


@case("anonymous access allowed", ("security", "security changed", I))
def _anonymous_alternative(d: Document) -> None:
    post(d)["security"].append({})


# Statsig's pages show the key as a header; a document may list it as a parameter too.
@case("key header also documented as a parameter")
def _key_also_a_header_parameter(d: Document) -> None:
    post(d)["parameters"].append(header("STATSIG-API-KEY", required=True))


# A readOnly field is never sent, whatever `required` says.
@case("readOnly field in the request schema")
def _read_only_field_in_request(d: Document) -> None:
    request_schema(d)["properties"]["id"] = {"type": "string", "readOnly": True}
    request_schema(d)["required"].append("id")


@case(
    "header parameter made required",
    ("parameter header x-respect-review-settings", "made required", B),
)
def _review_header_required(d: Document) -> None:
    post(d)["parameters"][0]["required"] = True


@case(
    "header parameter retyped",
    ("parameter header x-respect-review-settings", "type changed", B),
)
def _review_header_retyped(d: Document) -> None:
    post(d)["parameters"][0]["schema"] = {"type": "boolean"}


@case(
    "header parameter removed",
    ("parameter header x-respect-review-settings", "parameter removed", I),
)
def _review_header_removed(d: Document) -> None:
    del post(d)["parameters"][0]


@case("optional header parameter added", ("parameter header x-request-id", "parameter added", I))
def _optional_header_added(d: Document) -> None:
    post(d)["parameters"].append(header("x-request-id"))


@case(
    "required header parameter added",
    ("parameter header x-statsig-project", "parameter added", B),
)
def _required_header_added(d: Document) -> None:
    post(d)["parameters"].append(header("x-statsig-project", required=True))


@case("operation deprecated", ("operation", "deprecation changed", I))
def _operation_deprecated(d: Document) -> None:
    post(d)["deprecated"] = True


@case(
    "header parameter deprecated",
    ("parameter header x-respect-review-settings", "deprecation changed", I),
)
def _review_header_deprecated(d: Document) -> None:
    post(d)["parameters"][0]["deprecated"] = True


@case(
    "fields deprecated",
    request("tags", "deprecation changed", I),
    response("owner.ownerID", "deprecation changed", I),
    request("owner.ownerID", "deprecation changed", I),
)
def _fields_deprecated(d: Document) -> None:
    request_schema(d)["properties"]["tags"]["deprecated"] = True
    schemas(d)["OwnerDto"]["properties"]["ownerID"]["deprecated"] = True


def as_content(parameter: dict[str, Any], schema: object) -> None:
    """`parameter` serialised as JSON: `schema` is that of its media type, not its own."""
    del parameter["schema"]
    parameter["content"] = {"application/json": {"schema": schema}}


@case("header parameter given by the schema of its content")
def _review_header_as_content(d: Document) -> None:
    as_content(post(d)["parameters"][0], {"type": "string"})


@case(
    "header parameter retyped in its content",
    ("parameter header x-respect-review-settings", "type changed", B),
)
def _review_header_retyped_in_content(d: Document) -> None:
    as_content(post(d)["parameters"][0], {"type": "boolean"})


# OpenAPI 3.1 schemas may be `true` (any value) or `false` (no value).
@case("request field forbidden by a false schema", request("isReadOnly", "type changed", B))
def _request_field_false(d: Document) -> None:
    request_schema(d)["properties"]["isReadOnly"] = False


@case("response field never sent: a false schema", response("groupNameColumn", "type changed", I))
def _response_field_false(d: Document) -> None:
    dto(d)["properties"]["groupNameColumn"] = False


@case("response field of any value: a true schema", response("groupNameColumn", "type changed", B))
def _response_field_true(d: Document) -> None:
    dto(d)["properties"]["groupNameColumn"] = True


@case(
    "array items of any value: items true",
    request("tags[]", "type changed", I),
    response("tags[]", "type changed", B),
)
def _items_true(d: Document) -> None:
    request_schema(d)["properties"]["tags"]["items"] = True
    dto(d)["properties"]["tags"]["items"] = True


@case(
    "only empty arrays: items false",
    request("tags[]", "type changed", B),
    response("tags[]", "type changed", I),
)
def _items_false(d: Document) -> None:
    request_schema(d)["properties"]["tags"]["items"] = False
    dto(d)["properties"]["tags"]["items"] = False


@case("a true schema behind a $ref, and true extra properties")
def _true_schemas_that_change_nothing(d: Document) -> None:
    schemas(d)["Anything"] = True
    request_schema(d)["additionalProperties"] = True
    dto(d)["additionalProperties"] = {"$ref": "#/components/schemas/Anything"}


@case(
    "enum added where ours is free text",
    request("owner.ownerType", "enum changed", B),
    response("owner.ownerType", "enum changed", I),
)
def _enum_added(d: Document) -> None:
    schemas(d)["OwnerDto"]["properties"]["ownerType"]["enum"] = ["USER", "SDK_KEY"]


@case(
    "maximum added",
    request("scheduledReloadHour (maximum)", "constraint changed", B),
    response("scheduledReloadHour (maximum)", "constraint changed", I),
)
def _request_maximum(d: Document) -> None:
    request_schema(d)["properties"]["scheduledReloadHour"]["maximum"] = 23
    dto(d)["properties"]["scheduledReloadHour"]["maximum"] = 23


@case("response header removed", ("response 429 header Retry-After", "response header removed", I))
def _response_header_removed(d: Document) -> None:
    del post(d)["responses"]["429"]["headers"]


@case(
    "request media type changed",
    ("request body (application/json)", "media type removed", B),
    ("request body (application/vnd.statsig+json)", "media type added", I),
)
def _media_type_changed(d: Document) -> None:
    content = post(d)["requestBody"]["content"]
    content["application/vnd.statsig+json"] = content.pop("application/json")


@pytest.mark.parametrize(("mutate", "expected"), CASES)
def test_change_is_reported_in_the_right_group(mutate: Mutation, expected: set[Row]) -> None:
    document = statsig_document()
    mutate(document)
    assert summary(differences(document)) == expected


def test_breaking_differences_come_first() -> None:
    document = statsig_document()
    _add_response_field(document)
    _remove_required_response_field(document)
    _add_error_status(document)
    severities = [d.severity for d in differences(document)]
    assert severities == sorted(severities)  # "breaking" < "informational"
    assert severities[0] == B


def test_a_difference_carries_both_sides_and_a_reason() -> None:
    document = statsig_document()
    _make_nullable(document)
    (found,) = [d for d in differences(document) if d.location == "response 201 data.name"]
    assert (found.ours, found.upstream) == ("string", "string | null")
    assert "null" in found.reason


def test_descriptions_are_compared_only_when_asked() -> None:
    document = statsig_document()
    dto(document)["properties"]["name"]["description"] = "Something else entirely."
    assert differences(document) == []
    reported = summary(differences(document, descriptions=True))
    assert ("response 201 data.name", "description changed", I) in reported
    assert all(severity == I for _, _, severity in reported)


def test_a_field_added_where_we_forbid_extra_properties_is_breaking() -> None:
    ours = our_document()
    ours["components"]["schemas"]["AssignmentSource"]["additionalProperties"] = False
    document = statsig_document()
    _add_response_field(document)
    assert summary(differences(document, ours)) == {
        ("response 201 data.createdTime", "field added", B),
        ("response 201 data.*", "additionalProperties changed", B),
    }


def test_union_branches_are_judged_by_direction() -> None:
    ours = our_document()
    ours["components"]["schemas"]["AssignmentSource"]["properties"]["scheduledReloadHour"] = {
        "oneOf": [{"type": "integer"}, {"type": "string"}]
    }
    document = statsig_document()
    dto_properties = schemas(document)["AssignmentSourceDto"]["properties"]
    dto_properties["scheduledReloadHour"] = {
        "anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]
    }
    assert summary(differences(document, ours)) == {
        ("response 201 data.scheduledReloadHour", "union changed", B),
    }
    dto_properties["scheduledReloadHour"] = {"type": "integer"}
    assert summary(differences(document, ours)) == {
        ("response 201 data.scheduledReloadHour", "union changed", I),
    }


@pytest.mark.parametrize(
    "declared",
    [
        pytest.param(None, id="no security"),
        pytest.param([], id="security: []"),
        pytest.param([{}], id="security: [{}]"),
    ],
)
def test_ours_without_credentials_where_statsig_requires_them_is_breaking(
    declared: list[dict[str, list[str]]] | None,
) -> None:
    ours = our_document()
    ours.pop("security", None)
    if declared is None:
        del post(ours)["security"]
    else:
        post(ours)["security"] = declared
    assert summary(differences(statsig_document(), ours)) == {("security", "security changed", B)}


def test_extra_properties_typed_by_statsig_where_we_forbid_them_are_breaking() -> None:
    ours = our_document()
    ours["components"]["schemas"]["AssignmentSource"]["additionalProperties"] = False
    document = statsig_document()
    dto(document)["additionalProperties"] = {"type": "string"}
    assert summary(differences(document, ours)) == {
        ("response 201 data.*", "additionalProperties changed", B),
    }


def test_an_operation_parameter_and_field_no_longer_deprecated_are_reported() -> None:
    ours = our_document()
    post(ours)["deprecated"] = True
    for parameter in ours["components"]["parameters"].values():
        parameter["deprecated"] = True
    ours["components"]["schemas"]["AssignmentSource"]["properties"]["name"]["deprecated"] = True
    found = differences(statsig_document(), ours)
    assert {(d.location, d.ours, d.upstream) for d in found} == {
        ("operation", "deprecated", "not deprecated"),
        ("parameter header x-respect-review-settings", "deprecated", "not deprecated"),
        ("parameter header STATSIG-API-VERSION", "deprecated", "not deprecated"),
        ("response 201 data.name", "deprecated", "not deprecated"),
    }
    assert {(d.kind, d.severity) for d in found} == {("deprecation changed", I)}


def test_enum_values_are_compared_as_json_values() -> None:
    # In Python 1 == True; in JSON they are different values.
    ours, document = our_document(), statsig_document()
    ours["components"]["schemas"]["AssignmentSource"]["properties"]["level"] = {"enum": [1]}
    dto(document)["properties"]["level"] = {"enum": [True]}
    assert summary(differences(document, ours)) == {
        ("response 201 data.level", "enum changed", B),
    }
    dto(document)["properties"]["level"] = {"enum": [1.0]}
    assert differences(document, ours) == []
