"""The store under concurrent creates: one winner per name, nothing lost."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from statsig_console_mock import DEFAULT_API_KEY

from .helpers import ENDPOINT, SpecChecker, minimal_body, unique_name

HEADERS = {"STATSIG-API-KEY": DEFAULT_API_KEY}


async def _post_all(base_url: str, bodies: list[dict[str, object]]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(bodies))
    async with httpx.AsyncClient(base_url=base_url, headers=HEADERS, limits=limits) as client:
        return await asyncio.gather(*(client.post(ENDPOINT, json=body) for body in bodies))


def test_fifty_concurrent_creates_of_one_name(mock_url: str, checker: SpecChecker) -> None:
    name = unique_name("contested")

    responses = asyncio.run(_post_all(mock_url, [minimal_body(name) for _ in range(50)]))

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 1, 400: 49}
    for response in responses:
        body = checker.check(response)
        if response.status_code == 400:
            assert "already exists" in body["message"]
    stored = httpx.get(f"{mock_url}/_mock/sources").json()
    assert [source["name"] for source in stored] == [name]


def test_concurrent_creates_of_distinct_names_all_land(mock_url: str) -> None:
    bodies = [minimal_body() for _ in range(200)]

    responses = asyncio.run(_post_all(mock_url, bodies))

    assert {response.status_code for response in responses} == {201}
    stored = httpx.get(f"{mock_url}/_mock/sources").json()
    assert sorted(source["name"] for source in stored) == sorted(b["name"] for b in bodies)


def test_concurrent_dry_runs_never_persist(mock_url: str) -> None:
    name = unique_name("dry")

    responses = asyncio.run(
        _post_all(mock_url, [minimal_body(name, dryRun=True) for _ in range(30)])
    )

    assert {response.status_code for response in responses} == {201}
    assert httpx.get(f"{mock_url}/_mock/sources").json() == []
