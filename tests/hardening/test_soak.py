"""A long mixed run: the store stays exact and the server's memory stays bounded."""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter, defaultdict

import pytest

from tests.mock.helpers import minimal_body

from .conftest import MockProcess
from .rawhttp import Answer, Connection, create_request

REQUESTS = 20_000
CONNECTIONS = 16
WARMUP = 1_000
# Documented in the README's mock section. About 10,000 sources are stored, a few MiB;
# the rest is headroom for the allocator. A leak of under a kilobyte per request, or
# stored records that keep their encoder's 4 KiB buffer (40 MiB here), crosses it.
RSS_GROWTH_BOUND_MIB = 16


def _valid(name: str) -> dict[str, object]:
    return minimal_body(name)


def _mix(count: int, tag: str, seed: int) -> list[tuple[str, str, bytes]]:
    """(kind, name, request): half new creates, the rest duplicates and refusals."""
    chooser = random.Random(seed)
    requests: list[tuple[str, str, bytes]] = []
    created: list[str] = []
    for index in range(count):
        roll = chooser.random()
        name = f"soak-{tag}-{index}"
        if roll < 0.5 or not created:
            created.append(name)
            requests.append(("create", name, create_request(json.dumps(_valid(name)).encode())))
        elif roll < 0.65:
            again = chooser.choice(created)
            requests.append(("create", again, create_request(json.dumps(_valid(again)).encode())))
        elif roll < 0.75:
            dry = json.dumps({**_valid(name), "dryRun": True}).encode()
            requests.append(("dry-run", name, create_request(dry)))
        elif roll < 0.87:
            broken = {**_valid(name), "idTypeMapping": [{"statsigUnitID": 7}]}
            requests.append(("invalid", name, create_request(json.dumps(broken).encode())))
        elif roll < 0.95:
            requests.append(("malformed", name, create_request(b'{"name": "' + name.encode())))
        else:
            requests.append(("bad-key", name, create_request(b"{}", api_key="console-wrong")))
    return requests


async def _send_all(
    base_url: str, requests: list[tuple[str, str, bytes]]
) -> list[tuple[str, str, Answer]]:
    """Requests in order, each connection taking the next one as soon as it is free."""
    queue = iter(enumerate(requests))
    results: list[tuple[str, str, Answer] | None] = [None] * len(requests)

    async def worker() -> None:
        connection = Connection(base_url)
        try:
            for index, (kind, name, request) in queue:
                results[index] = (kind, name, await connection.exchange(request))
        finally:
            await connection.close()

    await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    assert all(result is not None for result in results)
    return [result for result in results if result is not None]


EXPECTED = {"dry-run": 201, "invalid": 400, "malformed": 400, "bad-key": 401}


@pytest.mark.slow
def test_20000_mixed_requests_keep_the_store_exact_and_memory_bounded(
    fresh_mock: MockProcess,
) -> None:
    asyncio.run(_send_all(fresh_mock.base_url, _mix(WARMUP, "warmup", seed=1)))
    fresh_mock.reset()
    rss_before = fresh_mock.rss_bytes()

    results = asyncio.run(_send_all(fresh_mock.base_url, _mix(REQUESTS, "main", seed=2)))

    rss_after = fresh_mock.rss_bytes()
    # Creates of one name race on different connections: whichever arrives first
    # wins, every other one is refused as a duplicate.
    creates: dict[str, list[int]] = defaultdict(list)
    unexpected: Counter[tuple[str, int]] = Counter()
    for kind, name, answer in results:
        body = answer.json()
        if answer.status >= 400:
            assert body["status"] == answer.status, body
            assert body["message"], body
        if kind == "create":
            creates[name].append(answer.status)
        elif answer.status != EXPECTED[kind]:
            unexpected[kind, answer.status] += 1
    assert not unexpected, unexpected
    for name, statuses in creates.items():
        assert sorted(statuses) == [201] + [400] * (len(statuses) - 1), (name, statuses)
    created_201s = sum(
        1 for kind, _, answer in results if kind == "create" and answer.status == 201
    )
    stored = fresh_mock.stored()
    assert len(stored) == created_201s
    assert sorted(str(source["name"]) for source in stored) == sorted(creates)
    growth_mib = (rss_after - rss_before) / 2**20
    assert growth_mib < RSS_GROWTH_BOUND_MIB, f"RSS grew by {growth_mib:.1f} MiB"
