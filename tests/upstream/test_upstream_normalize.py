"""Equivalent ways of writing the same schema normalise to the same thing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from statsig_console_upstream.load import LoadedDocument
from statsig_console_upstream.normalize import MAX_SCHEMA_DEPTH, NormalizeError, Normalizer
from statsig_console_upstream.schema import Schema, describe
from tests.upstream.helpers import (
    PATH,
    differences,
    our_document,
    post,
    schemas,
    statsig_document,
    summary,
)


def normalize(node: object, components: dict[str, Any] | None = None) -> Schema:
    document = {"openapi": "3.1.0", "paths": {}, "components": {"schemas": components or {}}}
    return Normalizer(LoadedDocument("test", document)).schema(node)


NULLABLE_STRING_FORMS = [
    pytest.param({"type": "string", "nullable": True}, id="3.0 nullable"),
    pytest.param({"type": ["string", "null"]}, id="3.1 type array"),
    pytest.param({"type": ["null", "string"]}, id="3.1 type array, null first"),
    pytest.param({"anyOf": [{"type": "string"}, {"type": "null"}]}, id="anyOf with null"),
    pytest.param({"oneOf": [{"type": "null"}, {"type": "string"}]}, id="oneOf with null"),
    pytest.param(
        {"anyOf": [{"$ref": "#/components/schemas/S"}, {"type": "null"}]}, id="ref or null"
    ),
    pytest.param({"allOf": [{"$ref": "#/components/schemas/S"}], "nullable": True}, id="3.0 allOf"),
    pytest.param({"$ref": "#/components/schemas/NullableS"}, id="ref to a nullable schema"),
    pytest.param({"anyOf": [{"type": "string"}, {"enum": [None]}]}, id="enum null branch"),
]


@pytest.mark.parametrize("node", NULLABLE_STRING_FORMS)
def test_every_way_of_writing_nullable_is_the_same(node: dict[str, Any]) -> None:
    components = {"S": {"type": "string"}, "NullableS": {"type": "string", "nullable": True}}
    schema = normalize(node, components)
    assert schema == Schema(types=frozenset({"string"}), nullable=True)
    assert describe(schema) == "string | null"


def test_a_nullable_enum_keeps_its_values_without_null() -> None:
    schema = normalize({"type": ["string", "null"], "enum": ["USER", None, "SDK_KEY"]})
    assert schema.nullable
    assert schema.enum == frozenset({'"SDK_KEY"', '"USER"'})


def test_const_is_a_one_value_enum() -> None:
    assert normalize({"const": "USER"}) == normalize({"enum": ["USER"]})


def test_a_union_of_two_shapes_is_kept_and_compared_as_a_set() -> None:
    first = normalize({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})
    second = normalize({"anyOf": [{"type": "integer"}, {"type": "string"}], "nullable": True})
    assert first.nullable
    assert second.nullable
    assert first.fingerprint() == second.fingerprint()
    assert describe(first) == "string | integer | null"


def test_deprecation_is_no_part_of_the_shape() -> None:
    deprecated = normalize({"type": "string", "deprecated": True})
    assert deprecated.deprecated
    assert deprecated.fingerprint() == normalize({"type": "string"}).fingerprint()


def test_boolean_schemas_are_any_value_and_no_value() -> None:
    assert normalize(True) == normalize({}) == Schema()
    assert normalize({"type": "array", "items": True}) == normalize({"type": "array", "items": {}})
    nothing = normalize(False)
    assert nothing.enum == frozenset()
    assert not nothing.nullable
    assert describe(nothing) == "nothing"
    # A false branch adds nothing to a union, and does not make it nullable.
    assert normalize({"anyOf": [False, {"type": "string"}]}) == normalize({"type": "string"})
    assert normalize({"allOf": [False, {"type": "string"}]}).enum == frozenset()
    # Behind a $ref, they still allow any extra property, or none.
    extra = {"additionalProperties": {"$ref": "#/components/schemas/B"}}
    assert normalize(extra, {"B": True}).additional is True
    assert normalize(extra, {"B": False}).additional is False


def test_3_0_exclusive_bounds_match_3_1_ones() -> None:
    old = normalize({"type": "integer", "minimum": 0, "exclusiveMinimum": True, "maximum": 23})
    new = normalize({"type": "integer", "exclusiveMinimum": 0, "maximum": 23})
    assert old == new
    assert normalize({"type": "integer", "minimum": 0, "exclusiveMinimum": False}) == normalize(
        {"type": "integer", "minimum": 0}
    )


def test_type_is_inferred_from_object_and_array_keywords() -> None:
    assert normalize({"properties": {"a": {"type": "string"}}}).types == frozenset({"object"})
    assert normalize({"items": {"type": "string"}}).types == frozenset({"array"})


def test_allof_merges_properties_required_and_intersects_types() -> None:
    schema = normalize(
        {
            "allOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "number"}}},
                {"required": ["b"], "properties": {"a": {"type": "integer"}, "b": {}}},
            ]
        }
    )
    assert schema.types == frozenset({"object"})
    assert schema.required == frozenset({"a", "b"})
    assert schema.properties["a"].types == frozenset({"integer"})


def test_a_ref_with_siblings_merges_them_as_3_1_allows() -> None:
    schema = normalize(
        {"$ref": "#/components/schemas/S", "maxLength": 10, "description": "ignored"},
        {"S": {"type": "string", "minLength": 1}},
    )
    assert schema == Schema(
        types=frozenset({"string"}), constraints={"minLength": 1, "maxLength": 10}
    )


def test_descriptions_are_kept_only_when_asked() -> None:
    document = {"openapi": "3.1.0", "paths": {}}
    node = {"type": "string", "description": "a name", "examples": ["x"], "x-internal": True}
    assert Normalizer(LoadedDocument("t", document)).schema(node).description is None
    kept = Normalizer(LoadedDocument("t", document), descriptions=True).schema(node)
    assert kept.description == "a name"


def test_a_recursive_schema_terminates_and_compares() -> None:
    ours = our_document()
    ours["components"]["schemas"]["Owner"]["properties"]["manager"] = {
        "$ref": "#/components/schemas/Owner"
    }
    statsig = statsig_document()
    owner = schemas(statsig)["OwnerDto"]
    owner["properties"]["manager"] = {"$ref": "#/components/schemas/OwnerDto"}
    assert differences(statsig, ours) == []

    owner["properties"]["reports"] = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/OwnerDto"},
    }
    # The field is also new one level down, on the manager (an Owner too).
    assert summary(differences(statsig, ours)) == {
        ("request body owner.reports", "field added", "informational"),
        ("request body owner.manager.reports", "field added", "informational"),
        ("response 201 data.owner.reports", "field added", "informational"),
        ("response 201 data.owner.manager.reports", "field added", "informational"),
    }


def test_a_change_under_a_recursive_field_is_reported() -> None:
    ours = our_document()
    ours["components"]["schemas"]["Owner"]["properties"]["manager"] = {
        "$ref": "#/components/schemas/Owner"
    }
    statsig = statsig_document()
    schemas(statsig)["OwnerDto"]["properties"]["manager"] = {"type": "string"}
    assert summary(differences(statsig, ours)) == {
        ("request body owner.manager", "type changed", "breaking"),
        ("response 201 data.owner.manager", "type changed", "breaking"),
    }


def test_a_nullable_recursive_ref_keeps_its_recursion() -> None:
    ours = our_document()
    ours["components"]["schemas"]["Owner"]["properties"]["manager"] = {
        "anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]
    }
    statsig = statsig_document()
    schemas(statsig)["OwnerDto"]["properties"]["manager"] = {
        "allOf": [{"$ref": "#/components/schemas/OwnerDto"}],
        "nullable": True,
    }
    assert differences(statsig, ours) == []
    schemas(statsig)["OwnerDto"]["properties"]["manager"]["nullable"] = False
    assert summary(differences(statsig, ours)) == {
        ("request body owner.manager", "made non-nullable", "breaking"),
        ("response 201 data.owner.manager", "made non-nullable", "informational"),
    }


def test_component_names_do_not_matter_in_recursive_unions() -> None:
    def tree(name: str) -> dict[str, Any]:
        return {
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {"children": {"type": "array", "items": {"$ref": name}}},
                },
            ]
        }

    ours = our_document()
    schemas(ours)["Tree"] = tree("#/components/schemas/Tree")
    schemas(ours)["Owner"]["properties"]["tree"] = {"$ref": "#/components/schemas/Tree"}
    statsig = statsig_document()
    schemas(statsig)["TreeDto"] = tree("#/components/schemas/TreeDto")
    schemas(statsig)["OwnerDto"]["properties"]["tree"] = {"$ref": "#/components/schemas/TreeDto"}
    assert differences(statsig, ours) == []


def _mutual(document: dict[str, Any], owner: str, a: str, b: str, leaf: str) -> None:
    """Schemas `a` and `b` referring to each other, both reachable from the owner."""
    found = schemas(document)
    found[a] = {
        "type": "object",
        "properties": {"b": {"$ref": f"#/components/schemas/{b}"}, "leaf": {"type": leaf}},
    }
    found[b] = {"type": "object", "properties": {"a": {"$ref": f"#/components/schemas/{a}"}}}
    found[owner]["properties"]["ping"] = {"$ref": f"#/components/schemas/{a}"}
    found[owner]["properties"]["pong"] = {"$ref": f"#/components/schemas/{b}"}


def test_mutually_recursive_schemas_compare_through_the_cycle() -> None:
    ours, statsig = our_document(), statsig_document()
    _mutual(ours, "Owner", "A", "B", "string")
    _mutual(statsig, "OwnerDto", "X", "Y", "string")
    assert differences(statsig, ours) == []
    _mutual(statsig, "OwnerDto", "X", "Y", "integer")
    found = summary(differences(statsig, ours))
    # Reached from either end of the cycle, the changed leaf is reported.
    assert ("request body owner.ping.leaf", "type changed", "breaking") in found
    assert ("request body owner.pong.a.leaf", "type changed", "breaking") in found
    assert ("response 201 data.owner.pong.a.leaf", "type changed", "breaking") in found


def test_a_circular_ref_chain_with_no_schema_is_an_error() -> None:
    document = statsig_document()
    post(document)["responses"]["400"] = {"$ref": "#/components/responses/A"}
    document["components"]["responses"]["A"] = {"$ref": "#/components/responses/B"}
    document["components"]["responses"]["B"] = {"$ref": "#/components/responses/A"}
    with pytest.raises(NormalizeError, match="circular \\$ref chain"):
        differences(document)


def test_broken_and_external_refs_are_errors() -> None:
    document = statsig_document()
    schemas(document)["ErrorDto"] = {"$ref": "#/components/schemas/Missing"}
    with pytest.raises(NormalizeError, match="points to nothing"):
        differences(document)
    schemas(document)["ErrorDto"] = {"$ref": "../models/error.json"}
    with pytest.raises(NormalizeError, match="external \\$ref"):
        differences(document)


def test_the_path_may_be_split_between_server_and_paths() -> None:
    # The API's base path (two segments) from our spec, its version a server variable.
    _, base, version, rest = PATH.split("/", 3)
    document = statsig_document()
    document["servers"] = [
        {
            "url": f"https://{{host}}/{base}/{{version}}",
            "variables": {"host": {"default": "statsigapi.net"}, "version": {"default": version}},
        }
    ]
    document["paths"] = {f"/{rest}": document["paths"][PATH]}
    assert differences(document) == []


def test_a_parameter_given_by_content_compares_with_one_given_by_schema() -> None:
    ours = our_document()
    ours["components"]["parameters"]["ApiVersion"] = {
        "name": "STATSIG-API-VERSION",
        "in": "header",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    }
    assert differences(statsig_document(), ours) == []
    # A media type without a schema allows any value, which Statsig does not accept.
    ours["components"]["parameters"]["ApiVersion"]["content"]["text/plain"] = {}
    assert summary(differences(statsig_document(), ours)) == {
        ("parameter header STATSIG-API-VERSION", "type changed", "breaking")
    }


def test_our_3_1_spec_equals_its_own_3_0_rewrite() -> None:
    # The fixture is written independently; this pins that our spec itself also survives
    # a rewrite in 3.0 terms (nullable: true instead of type arrays and anyOf).
    ours = our_document()
    rewritten = copy.deepcopy(ours)
    rewritten["openapi"] = "3.0.3"
    for name in ("AssignmentSourceCreate", "AssignmentSource"):
        properties = rewritten["components"]["schemas"][name]["properties"]
        properties["team"] = {"type": "string", "nullable": True}
        properties["teamID"] = {"type": "string", "nullable": True}
        properties["owner"] = {"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": True}
    assert differences(rewritten, ours) == []


@pytest.mark.parametrize(
    ("node", "message"),
    [
        pytest.param({"allOf": 5}, "allOf is a int, not a list", id="allOf"),
        pytest.param({"type": 5}, "type is a int, not a list", id="type"),
        pytest.param({"allOf": [{"minimum": 1}, {"minimum": "x"}]}, "not a number", id="bound"),
    ],
)
def test_nodes_of_the_wrong_kind_are_normalize_errors(node: object, message: str) -> None:
    with pytest.raises(NormalizeError, match=message):
        normalize(node)


def test_nesting_beyond_the_limit_is_a_normalize_error() -> None:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(MAX_SCHEMA_DEPTH + 1):
        node = {"items": node}
    with pytest.raises(NormalizeError, match="nested more than"):
        normalize(node)


def _shared_ref_tree(document: dict[str, Any], levels: int, leaf: str) -> None:
    """Schemas T0..T{levels}, each referring to the next twice: 2**levels paths."""
    found = schemas(document)
    for index in range(levels):
        target = {"$ref": f"#/components/schemas/T{index + 1}"}
        found[f"T{index}"] = {"type": "object", "properties": {"a": target, "b": target}}
    found[f"T{levels}"] = {"type": leaf}
    response = "AssignmentSourceDto" if "AssignmentSourceDto" in found else "AssignmentSource"
    found[response]["properties"]["tree"] = {"$ref": "#/components/schemas/T0"}


def test_shared_refs_are_normalised_and_compared_once() -> None:
    # 2**40 paths through the tree: this only finishes if shared targets are reused.
    ours, statsig = our_document(), statsig_document()
    _shared_ref_tree(ours, 40, "string")
    _shared_ref_tree(statsig, 40, "string")
    assert differences(statsig, ours) == []
    schemas(statsig)["T0"]["properties"]["c"] = {"type": "string"}
    assert summary(differences(statsig, ours)) == {
        ("response 201 data.tree.c", "field added", "informational")
    }


def test_a_change_under_shared_refs_is_reported_on_every_path() -> None:
    ours, statsig = our_document(), statsig_document()
    _shared_ref_tree(ours, 3, "string")
    _shared_ref_tree(statsig, 3, "integer")
    found = summary(differences(statsig, ours))
    assert len(found) == 8
    assert ("response 201 data.tree.a.b.a", "type changed", "breaking") in found


@pytest.mark.parametrize("ref", ["#", "#Foo", "#components/schemas/ErrorDto"])
def test_a_ref_that_is_not_a_json_pointer_is_an_error(ref: str) -> None:
    document = statsig_document()
    schemas(document)["ErrorDto"] = {"$ref": ref}
    with pytest.raises(NormalizeError, match="not a JSON pointer"):
        differences(document)
