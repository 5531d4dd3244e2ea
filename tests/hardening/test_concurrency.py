"""200 creates in flight at once: one winner per name, nothing lost.

Each request's headers and the first half of its body are sent on its own connection
first; only when all 200 are waiting inside the server are the second halves sent, so
the server really holds 200 requests at the same moment (tests/mock covers 50
contested and 200 distinct creates sent without that barrier).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter

from tests.mock.helpers import minimal_body

from .conftest import MockProcess
from .rawhttp import Answer, create_request, host_port, read_answer

CONCURRENT = 200


def _body(name: str) -> bytes:
    return json.dumps(minimal_body(name)).encode()


async def _all_at_once(base_url: str, bodies: list[bytes]) -> list[Answer]:
    connections = [await asyncio.open_connection(*host_port(base_url)) for _ in bodies]
    try:
        halves: list[bytes] = []
        for (_, writer), body in zip(connections, bodies, strict=True):
            request = create_request(body, close=True)
            cut = len(request) - len(body) // 2
            writer.write(request[:cut])
            halves.append(request[cut:])
        await asyncio.gather(*(writer.drain() for _, writer in connections))
        # Let the server read every first half: all 200 handlers are now awaiting
        # the rest of their body.
        await asyncio.sleep(0.2)
        for (_, writer), rest in zip(connections, halves, strict=True):
            writer.write(rest)
        await asyncio.gather(*(writer.drain() for _, writer in connections))
        return list(await asyncio.gather(*(read_answer(reader) for reader, _ in connections)))
    finally:
        for _, writer in connections:
            writer.close()


def test_200_creates_of_one_name_give_exactly_one_201(fresh_mock: MockProcess) -> None:
    answers = asyncio.run(_all_at_once(fresh_mock.base_url, [_body("contested")] * CONCURRENT))

    assert Counter(answer.status for answer in answers) == {201: 1, 400: CONCURRENT - 1}
    for answer in answers:
        if answer.status == 400:
            message = "name: an assignment source with this name already exists"
            assert answer.json() == {
                "status": 400,
                "message": message,
                "errors": [{"property": "name", "errorMessage": message}],
            }
    assert [source["name"] for source in fresh_mock.stored()] == ["contested"]


def test_200_distinct_names_each_sent_twice_at_once(fresh_mock: MockProcess) -> None:
    names = [f"distinct-{index}" for index in range(CONCURRENT)]
    # Each name twice, the two copies far apart in the send order.
    bodies = [_body(name) for name in names] * 2

    answers = asyncio.run(_all_at_once(fresh_mock.base_url, bodies))

    by_name: dict[str, list[int]] = {name: [] for name in names}
    for name, answer in zip(names * 2, answers, strict=True):
        by_name[name].append(answer.status)
    assert all(sorted(statuses) == [201, 400] for statuses in by_name.values()), by_name
    stored = fresh_mock.stored()
    assert len(stored) == CONCURRENT
    assert sorted(str(source["name"]) for source in stored) == sorted(names)


def test_dry_runs_racing_a_real_create_never_store_a_second_copy(
    fresh_mock: MockProcess,
) -> None:
    real = _body("raced")
    dry = json.dumps({**json.loads(real), "dryRun": True}).encode()

    answers = asyncio.run(_all_at_once(fresh_mock.base_url, [dry] * (CONCURRENT - 1) + [real]))

    # A dry run before the real create passes (201), one after it sees the name taken.
    assert answers[-1].status == 201
    assert {answer.status for answer in answers} <= {201, 400}
    assert [source["name"] for source in fresh_mock.stored()] == ["raced"]
