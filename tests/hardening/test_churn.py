"""A churn soak: sources created, renamed, patched and deleted, over and over.

Every name is freed again, so the run must end with an empty store, and the server's
memory must not grow with the number of sources it has ever held.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import pytest

from tests.mock.helpers import CREATE, DELETE, PATCH, UPDATE, minimal_body

from .conftest import MockProcess
from .rawhttp import Connection, request

CYCLES = 20_000
WARMUP_CYCLES = 1_000
CONNECTIONS = 16
# As the mixed soak's bound: nothing stays stored, so any growth past the allocator's
# headroom is a leak (under a kilobyte per cycle crosses it).
RSS_GROWTH_BOUND_MIB = 16
EXPECTED = (("create", 201), ("rename", 200), ("patch", 200), ("delete", 200))
UPDATE_BODY = json.dumps(UPDATE.body_examples["new_query"]).encode()


def _cycle(tag: str, index: int) -> list[tuple[str, bytes]]:
    """One source's life: created, renamed by a full update, patched, deleted."""
    name = f"churn-{tag}-{index}"
    # Every fourth rename takes characters that must be percent-encoded in the path.
    renamed = f"{name} / ré#named?" if index % 4 == 0 else f"{name}-renamed"
    rename = json.loads(UPDATE_BODY)
    rename["name"] = renamed
    return [
        ("create", request(CREATE.method, CREATE.path, json.dumps(minimal_body(name)).encode())),
        ("rename", request(UPDATE.method, UPDATE.url_path(name=name), json.dumps(rename).encode())),
        (
            "patch",
            request(
                PATCH.method,
                PATCH.url_path(name=renamed),
                json.dumps({"description": f"cycle {index}", "tags": ["churn"]}).encode(),
            ),
        ),
        ("delete", request(DELETE.method, DELETE.url_path(name=renamed))),
    ]


async def _churn(base_url: str, tag: str, cycles: int) -> Counter[tuple[str, int]]:
    """Each connection runs whole cycles in order; the connections run side by side."""
    indices = iter(range(cycles))
    seen: Counter[tuple[str, int]] = Counter()

    async def worker() -> None:
        connection = Connection(base_url)
        try:
            for index in indices:
                for step, raw in _cycle(tag, index):
                    seen[step, (await connection.exchange(raw)).status] += 1
        finally:
            await connection.close()

    await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    return seen


@pytest.mark.slow
def test_20000_churn_cycles_end_empty_with_bounded_memory(fresh_mock: MockProcess) -> None:
    asyncio.run(_churn(fresh_mock.base_url, "warmup", WARMUP_CYCLES))
    fresh_mock.reset()
    rss_before = fresh_mock.rss_bytes()

    seen = asyncio.run(_churn(fresh_mock.base_url, "main", CYCLES))

    rss_after = fresh_mock.rss_bytes()
    assert seen == Counter({step: CYCLES for step in EXPECTED})
    assert fresh_mock.stored() == []
    growth_mib = (rss_after - rss_before) / 2**20
    assert growth_mib < RSS_GROWTH_BOUND_MIB, f"RSS grew by {growth_mib:.1f} MiB"
