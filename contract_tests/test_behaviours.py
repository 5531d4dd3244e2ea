"""Behaviours the schema cannot express, asserted from the spec and the documented facts.

They run against the same target as the property test, through the same paced and
guarded session, and never depend on a message's wording: a server that keeps the
contract with other messages passes. Against the real API only the dry-run and
read-only tests run, unless write mode lets the suite persist sources of its own.
"""

from __future__ import annotations

from typing import Any

import pytest

from .api import Api, fields_named
from .run import ContractRun
from .session import unique_name
from .target import Target

# Names a server must keep intact in bodies, in paths and in the list.
AWKWARD_NAMES = {
    "space": " with spaces ",
    "slash": "a/b/c",
    "percent": "100%25 %",
    "quotes": 'it\'s "quoted"',
    "query and fragment": "what?x=1#top",
    "non-ASCII": "Ünïcødé-名前-🚀",
}
PAGE_SIZES = (1, 2, 3, 10)
# A real project may hold many sources: larger pages keep the walks few.
WRITE_MODE_PAGE_SIZES = (10, 25, 100)
# Sources the pagination test creates beyond what is stored already.
PAGINATED = 7


@pytest.fixture
def api(contract_run: ContractRun, target: Target) -> Api:
    return Api(contract_run, target.api_key)


@pytest.fixture
def persisting(target: Target, contract_run: ContractRun) -> None:
    if target.real and contract_run.ledger is None:
        pytest.skip("needs a persisted source; nothing is persisted in Statsig without writes")


def created(api: Api, name: str | None = None, **extra: Any) -> dict[str, Any]:
    response = api.create(api.create_body(name or api.name(), **extra))
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def assert_not_found(response: Any) -> None:
    assert response.status_code == 404, response.text
    assert response.json()["status"] == 404


# Create and dry runs (safe against the real API)


def test_a_dry_run_is_validated_and_answered_like_a_create(api: Api) -> None:
    name = api.name()

    response = api.create(api.create_body(name, dryRun=True))

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["name"] == name
    assert "dryRun" not in data


def test_a_dry_run_persists_nothing(api: Api, target: Target) -> None:
    name = api.name()
    first = api.create(api.create_body(name, dryRun=True))
    # Had the first been stored, this one would be a duplicate.
    second = api.create(api.create_body(name, dryRun=True))

    assert (first.status_code, second.status_code) == (201, 201), second.text
    if not target.real:
        assert api.stored(name) == []
        assert api.create(api.create_body(name)).status_code == 201


def test_a_dry_run_rejects_invalid_input_and_names_the_field(api: Api) -> None:
    body = api.create_body(api.name(), dryRun=True)
    del body["sql"]

    response = api.create(body)

    assert response.status_code == 400, response.text
    assert response.json()["status"] == 400
    named = fields_named(response)
    assert not named or "sql" in named, response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [("idTypeMapping", "user_id"), ("timestampColumn", 7), ("tags", "checkout")],
)
def test_a_400_names_the_offending_field(api: Api, field: str, value: object) -> None:
    body = {**api.create_body(api.name(), dryRun=True), field: value}
    response = api.create(body)

    assert response.status_code == 400, response.text
    assert response.json()["status"] == 400
    named = fields_named(response)
    # `errors` is optional (Statsig's document does not declare it); when it is
    # there, it names the field that is wrong.
    assert not named or field in named, response.text


def test_defaults_are_filled_in(api: Api) -> None:
    body = api.create_body(api.name(), dryRun=True)

    data = api.create(body).json()["data"]
    assert data["description"] == ""
    assert data["tags"] == body.get("tags", [])


@pytest.mark.parametrize("operation", ["update", "patch"])
def test_a_dry_run_change_of_an_unknown_name_answers_404(api: Api, operation: str) -> None:
    # Against Statsig the session adds to the name, so it is unknown there too.
    name = api.name("-never-created")
    if operation == "update":
        response = api.update(name, api.update_body(dryRun=True))
    else:
        response = api.patch(name, api.patch_body(dryRun=True))

    assert_not_found(response)


def test_the_list_answers_a_page(api: Api) -> None:
    response = api.list_page(limit=2, page=1)

    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload["pagination"]["pageNumber"] == 1
    assert len(payload["data"]) <= 2
    assert payload["pagination"]["previousPage"] is None


def test_a_request_without_the_key_is_refused(contract_run: ContractRun, api: Api) -> None:
    response = Api(contract_run, None).create(api.create_body(api.name(), dryRun=True))

    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_wrong_key_is_refused(contract_run: ContractRun, api: Api) -> None:
    wrong_key = f"console-{unique_name()}-not-a-key"
    response = Api(contract_run, wrong_key).create(api.create_body(api.name(), dryRun=True))

    assert response.status_code == 401
    assert response.json()["status"] == 401


# The lifecycle (the mock, or write mode)


@pytest.mark.usefixtures("persisting")
def test_a_taken_name_is_rejected_and_named(api: Api) -> None:
    name = created(api)["name"]

    again = api.create(api.create_body(name, description="another"))
    dry = api.create(api.create_body(name, dryRun=True))

    for response in (again, dry):
        assert response.status_code == 400, response.text
        assert response.json()["status"] == 400
        assert fields_named(response) in (set(), {"name"}), response.text
    assert len(api.stored(name)) == 1


@pytest.mark.usefixtures("persisting")
@pytest.mark.parametrize("kind", list(AWKWARD_NAMES))
def test_awkward_names_round_trip_in_bodies_and_paths(api: Api, kind: str) -> None:
    name = api.name(AWKWARD_NAMES[kind])
    assert created(api, name)["name"] == name

    patched = api.patch(name, {"description": "patched"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["data"]["name"] == name
    (stored,) = api.stored(name)
    assert stored["description"] == "patched"

    assert api.delete(name).status_code == 200
    assert api.stored(name) == []


@pytest.mark.usefixtures("persisting")
def test_pagination_returns_every_source_exactly_once(api: Api) -> None:
    ours = {created(api)["name"] for _ in range(PAGINATED)}
    everything = api.walk(100)
    total = len(everything)

    sizes = WRITE_MODE_PAGE_SIZES if api.writes else PAGE_SIZES
    for size in sizes:
        names = [source["name"] for source in api.walk(size)]
        assert len(names) == len(set(names)), f"limit={size}: a source came twice"
        assert len(names) == total, f"limit={size}: {len(names)} sources, not {total}"
        assert ours <= set(names), f"limit={size}: missing {sorted(ours - set(names))}"

    first = api.list_page(limit=sizes[0], page=1).json()["pagination"]
    if "totalItems" in first:
        assert first["totalItems"] == total
    assert first["itemsPerPage"] == sizes[0]


@pytest.mark.usefixtures("persisting")
def test_a_page_past_the_end_is_empty(api: Api) -> None:
    created(api)
    total = len(api.walk(100))

    response = api.list_page(limit=10, page=total // 10 + 2)

    assert response.status_code == 200, response.text
    assert response.json()["data"] == []
    assert response.json()["pagination"]["nextPage"] is None


@pytest.mark.usefixtures("persisting")
@pytest.mark.parametrize("operation", ["update", "patch"])
def test_a_rename_frees_the_old_name(api: Api, operation: str) -> None:
    old = created(api)["name"]
    new = api.name("-renamed")
    if operation == "update":
        response = api.update(old, api.update_body(name=new))
    else:
        response = api.patch(old, {"name": new})

    assert response.status_code == 200, response.text
    assert response.json()["data"]["name"] == new
    assert_not_found(api.patch(old, {"description": "gone"}))
    assert_not_found(api.delete(old))
    assert api.stored(old) == []
    assert len(api.stored(new)) == 1
    # The old name is free again.
    assert created(api, old)["name"] == old


@pytest.mark.usefixtures("persisting")
def test_a_rename_to_a_taken_name_is_refused(api: Api) -> None:
    first, second = created(api)["name"], created(api)["name"]

    response = api.patch(first, {"name": second})

    assert response.status_code == 400, response.text
    assert len(api.stored(first)) == len(api.stored(second)) == 1


@pytest.mark.usefixtures("persisting")
def test_patch_keeps_what_it_does_not_name(api: Api) -> None:
    before = created(api, example_name="complete")

    response = api.patch(before["name"], {"description": "only this changes"})

    assert response.status_code == 200, response.text
    expected = {**before, "description": "only this changes"}
    assert response.json()["data"] == expected
    assert api.stored(before["name"]) == [expected]


@pytest.mark.usefixtures("persisting")
def test_update_replaces_and_resets_what_it_leaves_out(api: Api) -> None:
    before = created(api, example_name="complete")
    body = api.update_body()

    response = api.update(before["name"], body)

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["name"] == before["name"]
    for field, value in body.items():
        assert data[field] == value, field
    # Left out, so back to the defaults Statsig documents.
    assert data["description"] == ""
    assert data["tags"] == body.get("tags", [])
    assert api.stored(before["name"]) == [data]


@pytest.mark.usefixtures("persisting")
def test_delete_then_404_then_create_again(api: Api) -> None:
    name = created(api)["name"]

    deleted = api.delete(name)
    assert deleted.status_code == 200, deleted.text
    assert api.stored(name) == []
    assert_not_found(api.delete(name))
    assert_not_found(api.patch(name, {"description": "gone"}))
    assert_not_found(api.update(name, api.update_body()))

    assert created(api, name)["name"] == name
    assert len(api.stored(name)) == 1


@pytest.mark.usefixtures("persisting")
def test_dry_run_changes_persist_nothing(api: Api) -> None:
    before = created(api, example_name="complete")
    name = before["name"]
    new = api.name("-dry-renamed")

    responses = [
        api.update(name, api.update_body(name=new, dryRun=True)),
        api.update(name, api.update_body(dryRun=True)),
        api.patch(name, {"description": "dry", "name": new, "dryRun": True}),
        api.patch(name, api.patch_body("clear_team", dryRun=True)),
    ]

    for response in responses:
        assert response.status_code == 200, response.text
    assert responses[0].json()["data"]["name"] == new
    assert api.stored(name) == [before]
    assert api.stored(new) == []
