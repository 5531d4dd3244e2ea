"""The whole lifecycle against a loopback server that keeps sources like Statsig."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

import pytest
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourceCreate,
    AssignmentSourcePatch,
    AssignmentSourceUpdate,
)

from statsig_console import (
    FieldError,
    InvalidRequestError,
    NotFoundError,
    build_client,
    create_assignment_source,
    create_assignment_source_async,
    delete_assignment_source,
    delete_assignment_source_async,
    get_assignment_source,
    get_assignment_source_async,
    list_assignment_sources,
    list_assignment_sources_async,
    patch_assignment_source,
    patch_assignment_source_async,
    update_assignment_source,
    update_assignment_source_async,
)

from .conftest import API_KEY, CREATE, UPDATE, both_modes, patch_body, update_body
from .statsig_server import StatsigServer, statsig_server


def walk_sync(server: StatsigServer, body: AssignmentSourceCreate) -> list[object]:
    seen: list[object] = []
    with build_client(API_KEY, base_url=server.url) as client:
        created = create_assignment_source(client, body)
        seen.append(get_assignment_source(client, created.name))
        renamed = update_assignment_source(client, created.name, update_body("rename"))
        seen.append(renamed)
        patched = patch_assignment_source(client, renamed.name, patch_body("mark_read_only"))
        seen.append(patched)
        seen.append([source.name for source in list_assignment_sources(client, page_size=2)])
        delete_assignment_source(client, patched.name)
        seen.append(get_assignment_source(client, patched.name))
    return seen


async def walk_async(server: StatsigServer, body: AssignmentSourceCreate) -> list[object]:
    seen: list[object] = []
    async with build_client(API_KEY, base_url=server.url) as client:
        created = await create_assignment_source_async(client, body)
        seen.append(await get_assignment_source_async(client, created.name))
        renamed = await update_assignment_source_async(client, created.name, update_body("rename"))
        seen.append(renamed)
        patched = await patch_assignment_source_async(
            client, renamed.name, patch_body("mark_read_only")
        )
        seen.append(patched)
        seen.append([s.name async for s in list_assignment_sources_async(client, page_size=2)])
        await delete_assignment_source_async(client, patched.name)
        seen.append(await get_assignment_source_async(client, patched.name))
    return seen


@both_modes
def test_create_read_rename_patch_list_delete(
    body: AssignmentSourceCreate, use_async: bool
) -> None:
    new_name = update_body("rename").name
    with statsig_server("first", "second") as server:
        if use_async:
            found, renamed, patched, names, gone = asyncio.run(walk_async(server, body))
        else:
            found, renamed, patched, names, gone = walk_sync(server, body)
        left = sorted(server.sources)

    assert isinstance(found, AssignmentSource)
    assert found.name == body.name
    assert isinstance(renamed, AssignmentSource)
    assert renamed.name == new_name
    assert isinstance(patched, AssignmentSource)
    assert patched.is_read_only is True
    assert patched.sql == renamed.sql  # a patch keeps what it does not set
    assert names == ["first", "second", new_name]
    assert gone is None
    assert left == ["first", "second"]


@both_modes
@pytest.mark.parametrize("operation", ["update", "patch", "delete"])
def test_an_unknown_name_raises_not_found(operation: str, use_async: bool) -> None:
    async def run_async(url: str) -> None:
        async with build_client(API_KEY, base_url=url) as client:
            if operation == "update":
                await update_assignment_source_async(client, "nobody", update_body())
            elif operation == "patch":
                await patch_assignment_source_async(client, "nobody", patch_body())
            else:
                await delete_assignment_source_async(client, "nobody")

    def run_sync(url: str) -> None:
        with build_client(API_KEY, base_url=url) as client:
            if operation == "update":
                update_assignment_source(client, "nobody", update_body())
            elif operation == "patch":
                patch_assignment_source(client, "nobody", patch_body())
            else:
                delete_assignment_source(client, "nobody")

    def attempt(url: str) -> None:
        return asyncio.run(run_async(url)) if use_async else run_sync(url)

    with statsig_server("somebody") as server, pytest.raises(NotFoundError) as caught:
        attempt(server.url)

    assert caught.value.status == 404
    assert str(caught.value).startswith(
        f"No assignment source has that name, so Statsig could not {operation} the assignment "
        "source (HTTP 404 Not Found): Not Found."
    )
    assert caught.value.message == "Not Found. The requested resource could not be found."


def test_a_missing_name_is_none_after_every_page() -> None:
    names = [f"source-{i}" for i in range(25)]
    with statsig_server(*names) as server:
        with build_client(API_KEY, base_url=server.url) as client:
            assert get_assignment_source(client, "absent") is None
            assert get_assignment_source(client, "source-3") is not None
        lists = server.requests("listAssignmentSources")

    # get pages with the default size: 25 sources are one page of 100, twice.
    assert len(lists) == 2


def test_get_stops_paging_at_the_page_that_holds_the_name() -> None:
    names = [f"source-{i:03}" for i in range(250)]
    with statsig_server(*names) as server:
        with build_client(API_KEY, base_url=server.url) as client:
            found = get_assignment_source(client, "source-150")
        lists = server.requests("listAssignmentSources")

    assert found is not None
    assert found.name == "source-150"
    assert len(lists) == 2


def test_field_errors_arrive_typed_from_an_invalid_update() -> None:
    # Statsig's fields are checked by the server; the client sends what it is given.
    invalid = AssignmentSourceUpdate.from_dict(
        {**UPDATE.body_examples["new_query"], "timestampColumn": "", "groupIDColumn": ""}
    )
    with (
        statsig_server("exposures4") as server,
        build_client(API_KEY, base_url=server.url) as client,
        pytest.raises(InvalidRequestError) as caught,
    ):
        update_assignment_source(client, "exposures4", invalid)

    assert caught.value.errors == (
        FieldError(property="timestampColumn", message="timestampColumn should not be empty"),
        FieldError(property="groupIDColumn", message="groupIDColumn should not be empty"),
    )
    assert "(timestampColumn: timestampColumn should not be empty; groupIDColumn: " in str(
        caught.value
    )


def test_a_patch_sends_only_the_fields_it_sets() -> None:
    with statsig_server("exposures4") as server:
        with build_client(API_KEY, base_url=server.url) as client:
            patched = patch_assignment_source(
                client, "exposures4", AssignmentSourcePatch(description="now described")
            )
        stored = server.sources["exposures4"]

    assert patched.description == "now described"
    assert stored["sql"] == CREATE.success.examples["created"]["data"]["sql"]


def test_every_request_names_the_source_in_one_path_segment() -> None:
    with statsig_server("exposures4") as server:
        with build_client(API_KEY, base_url=server.url) as client:
            patch_assignment_source(client, "exposures4", patch_body())
        [request] = server.requests("patchAssignmentSource")

    template = urlsplit(request.raw_path).path
    assert template.rsplit("/", 1)[1] == "exposures4"
    assert json.dumps(patch_body().to_dict())
