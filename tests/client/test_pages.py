"""list_assignment_sources follows the pages to the end and never spins on bad ones."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from statsig_console import (
    InconsistentPagesError,
    build_client,
    list_assignment_sources,
    list_assignment_sources_async,
)

from .conftest import API_KEY, LIST, both_modes, page_body
from .scripted_server import Reply, ScriptedServer, scripted_server
from .statsig_server import statsig_server


def names(url: str, *, use_async: bool, page_size: int = 100) -> list[str]:
    async def collect() -> list[str]:
        async with build_client(API_KEY, base_url=url) as client:
            return [
                s.name async for s in list_assignment_sources_async(client, page_size=page_size)
            ]

    if use_async:
        return asyncio.run(collect())
    with build_client(API_KEY, base_url=url) as client:
        return [source.name for source in list_assignment_sources(client, page_size=page_size)]


def queries(server: ScriptedServer) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(r.path).query) for r in server.received]


@both_modes
def test_250_sources_in_pages_of_100_take_3_requests(use_async: bool) -> None:
    stored = [f"source-{i:03}" for i in range(250)]
    with statsig_server(*stored) as server:
        listed = names(server.url, use_async=use_async, page_size=100)
        requests = server.requests("listAssignmentSources")

    assert listed == stored
    assert len(requests) == 3
    pages = [parse_qs(urlsplit(r.raw_path).query) for r in requests]
    assert pages == [{"limit": ["100"], "page": [str(n)]} for n in (1, 2, 3)]


@both_modes
def test_an_empty_project_lists_nothing_in_one_request(use_async: bool) -> None:
    with scripted_server(Reply(200, LIST.success.examples["empty"])) as server:
        assert names(server.url, use_async=use_async) == []

    assert server.attempts == 1


def test_pages_are_fetched_as_the_iterator_is_consumed() -> None:
    script = [
        Reply(200, page_body(["a", "b"], number=1, size=2, last=False)),
        Reply(200, page_body(["c"], number=2, size=2, last=True)),
    ]
    with scripted_server(*script) as server:
        with build_client(API_KEY, base_url=server.url) as client:
            sources = list_assignment_sources(client, page_size=2)
            assert server.attempts == 0
            assert [next(sources).name, next(sources).name] == ["a", "b"]
            assert server.attempts == 1
            assert [source.name for source in sources] == ["c"]
        assert server.attempts == 2


def test_a_server_that_serves_fewer_than_asked_is_followed() -> None:
    # Statsig may cap the page size; itemsPerPage says what it applied.
    script = [
        Reply(200, page_body(["a", "b"], number=1, size=2, last=False)),
        Reply(200, page_body(["c", "d"], number=2, size=2, last=False)),
        Reply(200, page_body(["e"], number=3, size=2, last=True)),
    ]
    with scripted_server(*script) as server:
        assert names(server.url, use_async=False, page_size=100) == list("abcde")

    assert [q["page"] for q in queries(server)] == [["1"], ["2"], ["3"]]


def page(names_: list[str], number: int, **pagination: Any) -> Reply:
    body = page_body(names_, number=number, size=2, last=False)
    body["pagination"].update(pagination)
    return Reply(200, body)


BAD_PAGES: dict[str, tuple[list[Reply], str]] = {
    "the same page twice, numbered as asked": (
        [page(["a", "b"], 1), page(["a", "b"], 2)] + [page(["a", "b"], 3)] * 5,
        "page 2 holds the same sources as page 1",
    ),
    "the first page again, whatever was asked": (
        [page(["a", "b"], 1)] * 5,
        "asked for page 2, got page 1",
    ),
    "an empty page that names a next one": (
        [page(["a", "b"], 1), page([], 2)] + [page([], 3)] * 5,
        "page 2 is empty yet names a next page",
    ),
    "a next page that skips one": (
        [page(["a", "b"], 1, nextPage=f"{LIST.path}?page=3&limit=2")],
        "page 1 names page 3 as the next, not 2",
    ),
    "more sources than itemsPerPage": (
        [page(["a", "b", "c"], 1)],
        "page 1 holds 3 sources, more than its itemsPerPage (2)",
    ),
    "more sources than totalItems": (
        [page(["a", "b"], 1, totalItems=3), page(["c", "d"], 2, totalItems=3)],
        "4 sources listed by page 2, more than its totalItems (3)",
    ),
    "a last page short of totalItems": (
        [page(["a", "b"], 1, totalItems=5), page(["c"], 2, totalItems=5, nextPage=None)],
        "the last page (page 2) says totalItems is 5, but the pages held 3 sources",
    ),
}


@both_modes
@pytest.mark.parametrize("case", list(BAD_PAGES), ids=list(BAD_PAGES))
def test_pages_that_do_not_add_up_raise_instead_of_spinning(case: str, use_async: bool) -> None:
    script, problem = BAD_PAGES[case]
    with scripted_server(*script) as server, pytest.raises(InconsistentPagesError) as caught:
        names(server.url, use_async=use_async)

    assert problem in str(caught.value)
    assert str(caught.value).startswith("Statsig's pages of assignment sources do not add up")
    # The page that gave it away is the last one asked for.
    assert server.attempts == int(caught.value.response.request.url.params["page"])


def test_a_last_page_that_agrees_with_total_items_ends_the_listing() -> None:
    script = [
        page(["a", "b"], 1, totalItems=3),
        page(["c"], 2, totalItems=3, nextPage=None),
    ]
    with scripted_server(*script) as server:
        assert names(server.url, use_async=False) == ["a", "b", "c"]


@pytest.mark.parametrize("size", [0, -1, True, 2.5])
def test_a_page_size_below_one_is_refused_before_any_request(size: Any) -> None:
    with scripted_server() as server:
        client = build_client(API_KEY, base_url=server.url)
        with pytest.raises(ValueError, match="page_size must be a whole number of at least 1"):
            list_assignment_sources(client, page_size=size)
        with pytest.raises(ValueError, match="page_size"):
            list_assignment_sources_async(client, page_size=size)

    assert server.attempts == 0
