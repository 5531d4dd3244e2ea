"""List, update, patch and delete on the one store that creates fill."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from statsig_console import spec as console_spec
from statsig_console_mock import MockSettings
from statsig_console_mock.testing import run_mock_server

from .helpers import (
    DELETE,
    ENDPOINT,
    LIST,
    PATCH,
    UPDATE,
    SpecChecker,
    minimal_body,
    unique_name,
)

NOT_FOUND = next(iter(UPDATE.responses[404].examples.values()))
HEADERS = {"STATSIG-API-KEY": "console-mock-development-key"}


def body_example(operation: console_spec.Operation, name: str) -> dict[str, Any]:
    value: dict[str, Any] = copy.deepcopy(operation.body_examples[name])
    return value


def create(client: httpx.Client, **extra: Any) -> dict[str, Any]:
    body = minimal_body(**extra)
    response = client.post(ENDPOINT, json=body)
    assert response.status_code == 201, response.text
    return body


def update(client: httpx.Client, name: str, body: dict[str, Any]) -> httpx.Response:
    return client.post(UPDATE.url_path(name=name), json=body)


def patch(client: httpx.Client, name: str, body: dict[str, Any]) -> httpx.Response:
    return client.patch(PATCH.url_path(name=name), json=body)


def delete(client: httpx.Client, name: str) -> httpx.Response:
    return client.delete(DELETE.url_path(name=name))


def listed(client: httpx.Client, **query: Any) -> dict[str, Any]:
    response = client.get(LIST.path, params=query)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def all_names(client: httpx.Client) -> list[str]:
    return [source["name"] for source in listed(client, limit=1000)["data"]]


# -- list ---------------------------------------------------------------------------


def test_pages_follow_statsig_links_to_the_end(client: httpx.Client, checker: SpecChecker) -> None:
    names = [create(client)["name"] for _ in range(5)]

    first = checker.check(client.get(LIST.path, params={"limit": 2}), LIST.operation_id)
    assert [source["name"] for source in first["data"]] == names[:2]
    assert first["pagination"] == {
        "itemsPerPage": 2,
        "pageNumber": 1,
        "totalItems": 5,
        "nextPage": f"{LIST.path}?page=2&limit=2",
        "previousPage": None,
        "all": LIST.path,
    }
    seen = [source["name"] for source in first["data"]]
    link = first["pagination"]["nextPage"]
    pages = 1
    while link is not None and pages < 10:
        page = checker.check(client.get(link), LIST.operation_id)
        seen.extend(source["name"] for source in page["data"])
        assert page["pagination"]["previousPage"] == f"{LIST.path}?page={pages}&limit=2"
        link = page["pagination"]["nextPage"]
        pages += 1
    assert seen == names
    assert pages == 3


def test_a_page_past_the_end_is_empty(client: httpx.Client, checker: SpecChecker) -> None:
    create(client)

    page = checker.check(client.get(LIST.path, params={"limit": 5, "page": 4}), LIST.operation_id)

    assert page["data"] == []
    assert page["pagination"]["nextPage"] is None
    assert page["pagination"]["previousPage"] == f"{LIST.path}?page=3&limit=5"
    assert page["pagination"]["totalItems"] == 1


def test_a_page_limit_larger_than_the_store_answers_all_of_it(client: httpx.Client) -> None:
    names = [create(client)["name"] for _ in range(3)]

    page = listed(client, limit=2**53 - 1, page=1)

    assert [source["name"] for source in page["data"]] == names
    assert page["pagination"]["nextPage"] is None
    assert listed(client, limit=2**53 - 1, page=2**53 - 1)["data"] == []


def test_an_empty_store_lists_an_empty_first_page(client: httpx.Client) -> None:
    page = listed(client)

    assert page["data"] == []
    assert page["pagination"]["pageNumber"] == 1
    assert page["pagination"]["totalItems"] == 0
    assert page["pagination"]["nextPage"] is None
    assert page["pagination"]["previousPage"] is None


def test_without_parameters_the_first_page_has_a_default_size(client: httpx.Client) -> None:
    for _ in range(12):
        create(client)

    page = listed(client)

    size = page["pagination"]["itemsPerPage"]
    assert 1 <= size < 12
    assert len(page["data"]) == size
    assert page["pagination"]["nextPage"] == f"{LIST.path}?page=2&limit={size}"


def test_listed_sources_are_stored_sources(client: httpx.Client, example: Any) -> None:
    body = example("complete")
    assert client.post(ENDPOINT, json=body).status_code == 201

    assert listed(client)["data"] == [body]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"limit": 0}, ["limit"]),
        ({"limit": -3}, ["limit"]),
        ({"page": 0}, ["page"]),
        ({"limit": 0, "page": -1}, ["limit", "page"]),
        ({"limit": "ten"}, ["limit"]),
        ({"page": "2.5"}, ["page"]),
        # Past the integers JSON readers take exactly: the answer could not repeat them.
        ({"limit": 10**20}, ["limit"]),
        ({"page": 2**53}, ["page"]),
    ],
)
def test_bad_limit_or_page_is_a_400_that_names_it(
    client: httpx.Client, checker: SpecChecker, query: dict[str, Any], named: list[str]
) -> None:
    response = client.get(LIST.path, params=query)

    assert response.status_code == 400
    body = checker.check(response, LIST.operation_id)
    assert [error["property"] for error in body["errors"]] == named
    for name in named:
        assert f"query parameter {name}:" in body["message"]


def test_reads_keep_creation_order_through_renames(client: httpx.Client) -> None:
    names = [create(client)["name"] for _ in range(3)]

    assert patch(client, names[0], {"name": "renamed-first"}).status_code == 200

    assert all_names(client) == ["renamed-first", *names[1:]]


# -- update -------------------------------------------------------------------------


def test_update_replaces_the_source(client: httpx.Client, checker: SpecChecker) -> None:
    name = create(
        client, description="old", tags=["a"], isVerified=True, owner=None, team="T", teamID="1"
    )["name"]
    new = body_example(UPDATE, "new_query")

    response = update(client, name, new)

    assert response.status_code == 200
    data = checker.check(response, UPDATE.operation_id)["data"]
    # Optional fields left out come back as for a new source: defaults, or absent.
    assert data == {**new, "name": name, "description": "", "tags": []}
    assert listed(client)["data"] == [data]


def test_update_renames_through_name(client: httpx.Client, checker: SpecChecker) -> None:
    old = create(client)["name"]
    new = body_example(UPDATE, "rename")

    response = update(client, old, new)

    assert checker.check(response, UPDATE.operation_id)["data"] == new
    assert all_names(client) == [new["name"]]
    assert update(client, old, new).json() == NOT_FOUND
    # The old name is free again; the new one is taken.
    create(client, name=old)
    assert client.post(ENDPOINT, json=minimal_body(new["name"])).status_code == 400


def test_update_keeps_fields_its_body_cannot_set(client: httpx.Client) -> None:
    name = create(client, groupNameColumn="group_name", scheduledReloadHour=6)["name"]

    data = update(client, name, body_example(UPDATE, "new_query")).json()["data"]

    assert data["groupNameColumn"] == "group_name"
    assert data["scheduledReloadHour"] == 6


def test_renaming_onto_another_source_is_refused(
    client: httpx.Client, checker: SpecChecker
) -> None:
    first, second = create(client)["name"], create(client)["name"]

    response = update(client, first, {**body_example(UPDATE, "new_query"), "name": second})

    assert response.status_code == 400
    body = checker.check(response, UPDATE.operation_id)
    assert body["errors"] == [{"property": "name", "errorMessage": body["message"]}]
    assert "already exists" in body["message"]
    assert all_names(client) == [first, second]


def test_renaming_to_the_same_name_is_no_conflict(client: httpx.Client) -> None:
    name = create(client)["name"]

    response = update(client, name, {**body_example(UPDATE, "new_query"), "name": name})

    assert response.status_code == 200


def test_update_needs_every_required_field(client: httpx.Client, checker: SpecChecker) -> None:
    name = create(client)["name"]

    response = update(client, name, {"description": "only this"})

    assert response.status_code == 400
    body = checker.check(response, UPDATE.operation_id)
    required = set(console_spec.load().resolve(UPDATE.body_schema)["required"])
    assert {error["property"] for error in body["errors"]} == required


# -- patch --------------------------------------------------------------------------


def test_patch_changes_only_the_fields_it_names(client: httpx.Client, checker: SpecChecker) -> None:
    body = create(client, description="kept", owner=None, team="T", teamID="1")
    change = body_example(PATCH, "mark_read_only")

    response = patch(client, body["name"], change)

    assert response.status_code == 200
    data = checker.check(response, PATCH.operation_id)["data"]
    assert data == {**body, **change}
    assert listed(client)["data"] == [data]


def test_patch_can_clear_nullable_fields(client: httpx.Client) -> None:
    body = create(client, team="T", teamID="1")

    data = patch(client, body["name"], body_example(PATCH, "clear_team")).json()["data"]

    assert data["team"] is None
    assert data["teamID"] is None


def test_patch_renames(client: httpx.Client) -> None:
    body = create(client, description="kept")
    change = body_example(PATCH, "rename")

    data = patch(client, body["name"], change).json()["data"]

    assert data == {**body, "description": "kept", "tags": [], **change}
    assert all_names(client) == [change["name"]]


def test_patch_refuses_sql_and_points_to_the_update(
    client: httpx.Client, checker: SpecChecker
) -> None:
    body = create(client)

    response = patch(client, body["name"], {"sql": "SELECT 1", "tags": ["x"]})

    assert response.status_code == 400
    answer = checker.check(response, PATCH.operation_id)
    assert answer["errors"][0]["property"] == "sql"
    assert UPDATE.operation_id in answer["message"]
    assert listed(client)["data"][0]["tags"] == []


def test_patch_onto_a_taken_name_is_refused(client: httpx.Client) -> None:
    first, second = create(client)["name"], create(client)["name"]

    response = patch(client, first, {"name": second})

    assert response.status_code == 400
    assert all_names(client) == [first, second]


# -- delete -------------------------------------------------------------------------


def test_delete_frees_the_name(client: httpx.Client, checker: SpecChecker) -> None:
    body = create(client)

    response = delete(client, body["name"])

    assert response.status_code == 200
    expected = next(iter(DELETE.success.examples.values()))
    assert checker.check(response, DELETE.operation_id) == expected
    assert all_names(client) == []
    assert client.post(ENDPOINT, json=body).status_code == 201


@pytest.mark.parametrize("operation", [UPDATE, PATCH, DELETE], ids=lambda op: op.operation_id)
def test_unknown_names_are_statsigs_404(
    client: httpx.Client, checker: SpecChecker, operation: console_spec.Operation
) -> None:
    create(client, name="present")
    body = next(iter(operation.body_examples.values()), None)

    response = client.request(
        operation.method, operation.url_path(name="absent"), json=copy.deepcopy(body)
    )

    assert response.status_code == 404
    assert checker.check(response, operation.operation_id) == NOT_FOUND
    assert all_names(client) == ["present"]


def test_a_deleted_source_is_gone_for_update_and_patch(client: httpx.Client) -> None:
    name = create(client)["name"]
    assert delete(client, name).status_code == 200

    assert delete(client, name).status_code == 404
    assert update(client, name, body_example(UPDATE, "new_query")).status_code == 404
    assert patch(client, name, {"tags": []}).status_code == 404


# -- dry runs -----------------------------------------------------------------------


def test_dry_run_update_and_patch_answer_and_change_nothing(client: httpx.Client) -> None:
    body = create(client)
    before = listed(client)["data"]
    new = {**body_example(UPDATE, "rename"), "dryRun": True}

    updated = update(client, body["name"], new)
    patched = patch(client, body["name"], {"name": "other", "dryRun": True})

    assert updated.status_code == 200
    assert updated.json()["data"]["name"] == new["name"]
    assert patched.status_code == 200
    assert patched.json()["data"]["name"] == "other"
    assert listed(client)["data"] == before


@pytest.mark.parametrize("operation", [UPDATE, PATCH], ids=lambda op: op.operation_id)
def test_dry_runs_still_check_names(
    client: httpx.Client, operation: console_spec.Operation
) -> None:
    first, second = create(client)["name"], create(client)["name"]
    base = body_example(UPDATE, "new_query") if operation is UPDATE else {}

    taken = client.request(
        operation.method,
        operation.url_path(name=first),
        json={**base, "name": second, "dryRun": True},
    )
    missing = client.request(
        operation.method, operation.url_path(name="absent"), json={**base, "dryRun": True}
    )

    assert taken.status_code == 400
    assert missing.status_code == 404
    assert all_names(client) == [first, second]


def test_dry_run_create_checks_the_name_and_stores_nothing(client: httpx.Client) -> None:
    name = create(client)["name"]

    assert client.post(ENDPOINT, json=minimal_body(name, dryRun=True)).status_code == 400
    assert client.post(ENDPOINT, json=minimal_body("fresh", dryRun=True)).status_code == 201
    assert all_names(client) == [name]


# -- names in paths -----------------------------------------------------------------

AWKWARD_NAMES = {
    "slash": "team/exposures",
    "question mark": "exposures?page=2",
    "hash": "exposures#v2",
    "percent": "100%_exposures %41",
    "spaces": "checkout exposures ",
    "quotes": 'it\'s "quoted"',
    "non-ASCII": "Expositionsdaten-Größe-日本",
    "plus and ampersand": "a+b&c=d",
}


@pytest.mark.parametrize("name", list(AWKWARD_NAMES.values()), ids=list(AWKWARD_NAMES))
def test_awkward_names_round_trip(client: httpx.Client, name: str) -> None:
    create(client, name=name)
    renamed = name + " v2"

    patched = patch(client, name, {"description": "found"})
    updated = update(client, name, {**body_example(UPDATE, "new_query"), "name": renamed})
    deleted = delete(client, renamed)

    assert patched.status_code == 200, patched.text
    assert patched.json()["data"]["name"] == name
    assert updated.status_code == 200, updated.text
    assert updated.json()["data"]["name"] == renamed
    assert deleted.status_code == 200, deleted.text
    assert all_names(client) == []


# -- owner, team, teamID --------------------------------------------------------------


def test_null_owner_team_and_team_id_are_kept_as_null(client: httpx.Client) -> None:
    body = create(client, owner=None, team=None, teamID=None)

    stored = listed(client)["data"][0]

    assert stored["owner"] is None
    assert stored["team"] is None
    assert stored["teamID"] is None
    assert "owner" not in patch(client, create(client)["name"], {"tags": []}).json()["data"]
    assert body["name"] == stored["name"]


# -- errors -------------------------------------------------------------------------


def test_every_400_lists_each_problem(client: httpx.Client, checker: SpecChecker) -> None:
    response = client.post(
        ENDPOINT, json={"name": 7, "sql": "x", "idTypeMapping": [{"statsigUnitID": "u"}]}
    )

    assert response.status_code == 400
    body = checker.check(response)
    properties = [error["property"] for error in body["errors"]]
    assert set(properties) == {
        "name",
        "timestampColumn",
        "experimentIDColumn",
        "groupIDColumn",
        "idTypeMapping[0].column",
    }
    for error in body["errors"]:
        assert error["errorMessage"] in body["message"]
        assert error["errorMessage"].startswith(error["property"] + ": ")


def test_a_400_about_no_field_names_the_request(client: httpx.Client) -> None:
    response = client.post(
        ENDPOINT, content=b"{not json", headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    body = response.json()
    assert [error["property"] for error in body["errors"]] == ["body"]


# -- store bounds -------------------------------------------------------------------


def test_an_update_that_grows_past_the_byte_bound_is_refused() -> None:
    settings = MockSettings(max_store_bytes=2_000)
    with (
        run_mock_server(settings) as base_url,
        httpx.Client(base_url=base_url, headers=HEADERS) as client,
    ):
        name = create(client)["name"]
        grown = {**body_example(UPDATE, "new_query"), "description": "x" * 3_000}
        small = {**body_example(UPDATE, "new_query"), "description": "short"}

        refused = update(client, name, grown)
        allowed = update(client, name, small)

        assert refused.status_code == 400
        assert "full" in refused.json()["message"]
        assert allowed.status_code == 200
        assert listed(client)["data"][0]["description"] == "short"


def test_deletes_make_room_under_the_count_bound() -> None:
    with (
        run_mock_server(MockSettings(max_sources=2)) as base_url,
        httpx.Client(base_url=base_url, headers=HEADERS) as client,
    ):
        first = create(client)["name"]
        create(client)
        assert client.post(ENDPOINT, json=minimal_body()).status_code == 400

        assert delete(client, first).status_code == 200

        assert client.post(ENDPOINT, json=minimal_body(unique_name())).status_code == 201
