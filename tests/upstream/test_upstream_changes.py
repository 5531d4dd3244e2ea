"""Each kind of change in Statsig's document is reported once, in the right group.

Every case mutates the fixture that is equivalent to our spec, so the expected
differences are exactly the ones the mutation introduces: nothing more is reported.
"""

from __future__ import annotations

from collections.abc import Callable

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


def dto(document: Document) -> dict[str, object]:
    found: dict[str, object] = schemas(document)["AssignmentSourceDto"]
    return found


def _add_response_field(d: Document) -> None:
    schemas(d)["AssignmentSourceDto"]["properties"]["createdTime"] = {"type": "integer"}


def _add_optional_request_field(d: Document) -> None:
    request_schema(d)["properties"]["targetApps"] = {"type": "array", "items": {"type": "string"}}


def _add_required_request_field(d: Document) -> None:
    request_schema(d)["properties"]["warehouse"] = {"type": "string"}
    request_schema(d)["required"].append("warehouse")


def _remove_required_response_field(d: Document) -> None:
    del schemas(d)["AssignmentSourceDto"]["properties"]["sql"]
    schemas(d)["AssignmentSourceDto"]["required"].remove("sql")


def _remove_optional_response_field(d: Document) -> None:
    del schemas(d)["AssignmentSourceDto"]["properties"]["groupNameColumn"]


def _remove_request_field(d: Document) -> None:
    del request_schema(d)["properties"]["isReadOnly"]


def _remove_request_field_closed(d: Document) -> None:
    del request_schema(d)["properties"]["isReadOnly"]
    request_schema(d)["additionalProperties"] = False


def _retype_to_string(d: Document) -> None:
    retyped = {"type": "string", "nullable": True}
    request_schema(d)["properties"]["scheduledReloadHour"] = dict(retyped)
    schemas(d)["AssignmentSourceDto"]["properties"]["scheduledReloadHour"] = dict(retyped)


def _widen_integer_to_number(d: Document) -> None:
    widened = {"type": "number", "nullable": True}
    request_schema(d)["properties"]["scheduledReloadHour"] = dict(widened)
    schemas(d)["AssignmentSourceDto"]["properties"]["scheduledReloadHour"] = dict(widened)


def _make_required(d: Document) -> None:
    request_schema(d)["required"].append("description")
    schemas(d)["AssignmentSourceDto"]["required"].append("isVerified")


def _make_optional(d: Document) -> None:
    request_schema(d)["required"].remove("sql")
    schemas(d)["AssignmentSourceDto"]["required"].remove("tags")


def _make_nullable(d: Document) -> None:
    request_schema(d)["properties"]["tags"]["nullable"] = True
    schemas(d)["AssignmentSourceDto"]["properties"]["name"]["nullable"] = True


def _make_non_nullable(d: Document) -> None:
    request_schema(d)["properties"]["team"] = {"type": "string"}
    schemas(d)["AssignmentSourceDto"]["properties"]["owner"] = {
        "$ref": "#/components/schemas/OwnerDto"
    }


def _nested_item_fields(d: Document) -> None:
    items = request_schema(d)["properties"]["idTypeMapping"]["items"]
    items["properties"]["kind"] = {"type": "string"}
    items["required"].append("kind")
    schemas(d)["IdTypeMappingFields"]["properties"]["column"]["nullable"] = True


def _nested_object_field(d: Document) -> None:
    schemas(d)["OwnerDto"]["properties"]["ownerID"] = {"type": "integer"}


def _add_error_status(d: Document) -> None:
    post(d)["responses"]["404"] = {"$ref": "#/components/responses/BadRequest"}


def _add_success_status(d: Document) -> None:
    post(d)["responses"]["200"] = post(d)["responses"]["201"]


def _replace_success_status(d: Document) -> None:
    post(d)["responses"]["200"] = post(d)["responses"].pop("201")


def _remove_error_status(d: Document) -> None:
    del post(d)["responses"]["429"]


def _error_body_loosened(d: Document) -> None:
    schemas(d)["ErrorDto"]["required"] = ["message"]


def _rename_key_header(d: Document) -> None:
    d["components"]["securitySchemes"]["STATSIG-API-KEY"]["name"] = "X-STATSIG-KEY"


def _key_moves_to_query(d: Document) -> None:
    d["components"]["securitySchemes"]["STATSIG-API-KEY"]["in"] = "query"


def _add_auth_alternative(d: Document) -> None:
    d["components"]["securitySchemes"]["Bearer"] = {"type": "http", "scheme": "bearer"}
    post(d)["security"].append({"Bearer": []})


def _rename_scheme_only(d: Document) -> None:
    schemes = d["components"]["securitySchemes"]
    schemes["ConsoleKey"] = schemes.pop("STATSIG-API-KEY")
    post(d)["security"] = [{"ConsoleKey": []}]


def _security_only_at_the_top(d: Document) -> None:
    d["security"] = post(d).pop("security")


def _no_security_declared(d: Document) -> None:
    del post(d)["security"]


def _anonymous_alternative(d: Document) -> None:
    post(d)["security"].append({})


def _review_header_required(d: Document) -> None:
    post(d)["parameters"][0]["required"] = True


def _review_header_retyped(d: Document) -> None:
    post(d)["parameters"][0]["schema"] = {"type": "boolean"}


def _review_header_removed(d: Document) -> None:
    del post(d)["parameters"][0]


def _optional_header_added(d: Document) -> None:
    post(d)["parameters"].append(
        {"name": "x-request-id", "in": "header", "schema": {"type": "string"}}
    )


def _required_header_added(d: Document) -> None:
    post(d)["parameters"].append(
        {
            "name": "x-statsig-project",
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
        }
    )


def _enum_added(d: Document) -> None:
    schemas(d)["OwnerDto"]["properties"]["ownerType"]["enum"] = ["USER", "SDK_KEY"]


def _request_maximum(d: Document) -> None:
    request_schema(d)["properties"]["scheduledReloadHour"]["maximum"] = 23
    schemas(d)["AssignmentSourceDto"]["properties"]["scheduledReloadHour"]["maximum"] = 23


def _response_header_removed(d: Document) -> None:
    del post(d)["responses"]["429"]["headers"]


def _media_type_changed(d: Document) -> None:
    content = post(d)["requestBody"]["content"]
    content["application/vnd.statsig+json"] = content.pop("application/json")


def _key_also_a_header_parameter(d: Document) -> None:
    post(d)["parameters"].append(
        {"name": "STATSIG-API-KEY", "in": "header", "required": True, "schema": {"type": "string"}}
    )


def _read_only_field_in_request(d: Document) -> None:
    request_schema(d)["properties"]["id"] = {"type": "string", "readOnly": True}
    request_schema(d)["required"].append("id")


def _error_body_without_schema(d: Document) -> None:
    post(d)["responses"]["401"]["content"]["application/json"] = {}


CASES: list[tuple[str, Callable[[Document], None], set[tuple[str, str, str]]]] = [
    (
        "response field added",
        _add_response_field,
        {("response 201 data.createdTime", "field added", I)},
    ),
    (
        "optional request field added",
        _add_optional_request_field,
        {("request body targetApps", "field added", I)},
    ),
    (
        "required request field added",
        _add_required_request_field,
        {("request body warehouse", "field added", B)},
    ),
    (
        "required response field removed",
        _remove_required_response_field,
        {("response 201 data.sql", "field removed", B)},
    ),
    (
        "optional response field removed",
        _remove_optional_response_field,
        {("response 201 data.groupNameColumn", "field removed", I)},
    ),
    (
        "request field removed",
        _remove_request_field,
        {("request body isReadOnly", "field removed", I)},
    ),
    (
        "request field removed, unknown fields forbidden",
        _remove_request_field_closed,
        {
            ("request body isReadOnly", "field removed", B),
            ("request body *", "additionalProperties changed", I),
        },
    ),
    (
        "retyped",
        _retype_to_string,
        {
            ("request body scheduledReloadHour", "type changed", B),
            ("response 201 data.scheduledReloadHour", "type changed", B),
        },
    ),
    (
        "integer widened to number",
        _widen_integer_to_number,
        {
            ("request body scheduledReloadHour", "type changed", I),
            ("response 201 data.scheduledReloadHour", "type changed", B),
        },
    ),
    (
        "made required",
        _make_required,
        {
            ("request body description", "made required", B),
            ("response 201 data.isVerified", "made required", I),
        },
    ),
    (
        "made optional",
        _make_optional,
        {
            ("request body sql", "made optional", I),
            ("response 201 data.tags", "made optional", B),
        },
    ),
    (
        "made nullable",
        _make_nullable,
        {
            ("request body tags", "made nullable", I),
            ("response 201 data.name", "made nullable", B),
        },
    ),
    (
        "made non-nullable",
        _make_non_nullable,
        {
            ("request body team", "made non-nullable", B),
            ("response 201 data.owner", "made non-nullable", I),
        },
    ),
    (
        "nested array item fields",
        _nested_item_fields,
        {
            ("request body idTypeMapping[].kind", "field added", B),
            ("response 201 data.idTypeMapping[].column", "made nullable", B),
        },
    ),
    (
        "nested object field retyped (request and response share the owner schema)",
        _nested_object_field,
        {
            ("request body owner.ownerID", "type changed", B),
            ("response 201 data.owner.ownerID", "type changed", B),
        },
    ),
    ("error status added", _add_error_status, {("response 404", "status added", I)}),
    ("success status added", _add_success_status, {("response 200", "status added", B)}),
    (
        "success status replaced",
        _replace_success_status,
        {("response 200", "status added", B), ("response 201", "status removed", B)},
    ),
    ("error status removed", _remove_error_status, {("response 429", "status removed", I)}),
    (
        "error body listed without a schema",
        _error_body_without_schema,
        {("response 401", "body schema not documented", I)},
    ),
    (
        "error body field made optional",
        _error_body_loosened,
        {
            ("response 400 status", "made optional", B),
            ("response 401 status", "made optional", B),
            ("response 429 status", "made optional", B),
        },
    ),
    ("key header renamed", _rename_key_header, {("security", "security changed", B)}),
    ("key moved to the query", _key_moves_to_query, {("security", "security changed", B)}),
    ("auth alternative added", _add_auth_alternative, {("security", "security changed", I)}),
    ("only the scheme's key renamed", _rename_scheme_only, set()),
    ("security declared only for the whole document", _security_only_at_the_top, set()),
    # Statsig's document says `security: []` at the top: "no authentication".
    ("no security for the operation", _no_security_declared, {("security", "security changed", I)}),
    ("anonymous access allowed", _anonymous_alternative, {("security", "security changed", I)}),
    # Statsig's pages show the key as a header; a document may list it as a parameter too.
    ("key header also documented as a parameter", _key_also_a_header_parameter, set()),
    # A readOnly field is never sent, whatever `required` says.
    ("readOnly field in the request schema", _read_only_field_in_request, set()),
    (
        "header parameter made required",
        _review_header_required,
        {("parameter header x-respect-review-settings", "made required", B)},
    ),
    (
        "header parameter retyped",
        _review_header_retyped,
        {("parameter header x-respect-review-settings", "type changed", B)},
    ),
    (
        "header parameter removed",
        _review_header_removed,
        {("parameter header x-respect-review-settings", "parameter removed", I)},
    ),
    (
        "optional header parameter added",
        _optional_header_added,
        {("parameter header x-request-id", "parameter added", I)},
    ),
    (
        "required header parameter added",
        _required_header_added,
        {("parameter header x-statsig-project", "parameter added", B)},
    ),
    (
        "enum added where ours is free text",
        _enum_added,
        {
            ("request body owner.ownerType", "enum changed", B),
            ("response 201 data.owner.ownerType", "enum changed", I),
        },
    ),
    (
        "maximum added",
        _request_maximum,
        {
            ("request body scheduledReloadHour (maximum)", "constraint changed", B),
            ("response 201 data.scheduledReloadHour (maximum)", "constraint changed", I),
        },
    ),
    (
        "response header removed",
        _response_header_removed,
        {("response 429 header Retry-After", "response header removed", I)},
    ),
    (
        "request media type changed",
        _media_type_changed,
        {
            ("request body (application/json)", "media type removed", B),
            ("request body (application/vnd.statsig+json)", "media type added", I),
        },
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(mutate, expected, id=name) for name, mutate, expected in CASES],
)
def test_change_is_reported_in_the_right_group(
    mutate: Callable[[Document], None], expected: set[tuple[str, str, str]]
) -> None:
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
    dto(document)["properties"]["name"]["description"] = "Something else entirely."  # type: ignore[index]
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


def test_enum_values_are_compared_as_json_values() -> None:
    # In Python 1 == True; in JSON they are different values.
    ours, document = our_document(), statsig_document()
    ours["components"]["schemas"]["AssignmentSource"]["properties"]["level"] = {"enum": [1]}
    dto(document)["properties"]["level"] = {"enum": [True]}  # type: ignore[index]
    assert summary(differences(document, ours)) == {
        ("response 201 data.level", "enum changed", B),
    }
    dto(document)["properties"]["level"] = {"enum": [1.0]}  # type: ignore[index]
    assert differences(document, ours) == []
