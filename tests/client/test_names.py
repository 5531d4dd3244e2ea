"""Names travel in the path percent-encoded, one segment, whatever characters they hold."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import quote, urlsplit

import pytest
from statsig_console_client import AuthenticatedClient
from statsig_console_client.models import AssignmentSourceCreate, AssignmentSourcePatch

from statsig_console import (
    build_client,
    create_assignment_source,
    delete_assignment_source,
    delete_assignment_source_async,
    get_assignment_source,
    patch_assignment_source,
    patch_assignment_source_async,
    update_assignment_source,
)

from .conftest import API_KEY, CREATE, update_body
from .statsig_server import statsig_server

NAMES = {
    "slash": "team/exposures",
    "question mark": "exposures?page=2",
    "hash": "exposures#v2",
    "percent": "100%exposures%2F",
    "spaces": "checkout exposures ",
    "non-ASCII letters": "Expositionen-Grüße-曝光",
}


def typed(name: str) -> AssignmentSourceCreate:
    return AssignmentSourceCreate.from_dict({**CREATE.body_examples["minimal"], "name": name})


@pytest.mark.parametrize("name", list(NAMES.values()), ids=list(NAMES))
def test_a_name_round_trips_through_every_operation(name: str) -> None:
    renamed = name + " (renamed)"
    with statsig_server() as server:
        with build_client(API_KEY, base_url=server.url) as client:
            create_assignment_source(client, typed(name))
            found = get_assignment_source(client, name)
            patched = patch_assignment_source(client, name, AssignmentSourcePatch(tags=["x"]))
            update = update_body()
            update.name = renamed
            updated = update_assignment_source(client, name, update)
            delete_assignment_source(client, renamed)
            gone = get_assignment_source(client, renamed)
        sent = [
            urlsplit(r.raw_path).path.rsplit("/", 1)[1]
            for operation in ("patchAssignmentSource", "updateAssignmentSource")
            for r in server.requests(operation)
        ]
        deletes = server.requests("deleteAssignmentSource")
        left = dict(server.sources)

    assert found is not None
    assert found.name == name
    assert patched.name == name
    assert patched.tags == ["x"]
    assert updated.name == renamed
    assert gone is None
    assert left == {}
    # Every character outside RFC 3986's unreserved set is encoded, "/" included.
    assert sent == [quote(name, safe=""), quote(name, safe="")]
    assert urlsplit(deletes[0].raw_path).path.rsplit("/", 1)[1] == quote(renamed, safe="")


@pytest.mark.parametrize("name", [NAMES["slash"], NAMES["non-ASCII letters"]])
def test_the_async_twins_encode_names_alike(name: str) -> None:
    async def walk(url: str) -> None:
        async with build_client(API_KEY, base_url=url) as client:
            await patch_assignment_source_async(client, name, AssignmentSourcePatch(tags=["y"]))
            await delete_assignment_source_async(client, name)

    with statsig_server(name) as server:
        asyncio.run(walk(server.url))
        [patch] = server.requests("patchAssignmentSource")
        left = dict(server.sources)

    assert urlsplit(patch.raw_path).path.endswith("/" + quote(name, safe=""))
    assert left == {}


CALLS: dict[str, Callable[[AuthenticatedClient], object]] = {
    "update": lambda client: update_assignment_source(client, "", update_body()),
    "patch": lambda client: patch_assignment_source(client, "", AssignmentSourcePatch(tags=["x"])),
    "delete": lambda client: delete_assignment_source(client, ""),
}


@pytest.mark.parametrize("operation", list(CALLS))
def test_an_empty_name_is_refused_before_anything_is_sent(operation: str) -> None:
    with (
        statsig_server("exposures4") as server,
        build_client(API_KEY, base_url=server.url) as client,
        pytest.raises(ValueError, match="non-empty string"),
    ):
        CALLS[operation](client)

    assert server.received == []
