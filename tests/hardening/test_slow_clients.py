"""Clients that stall: others are served meanwhile, and stalled bodies are cut off.

The mock here runs with ``--body-timeout 1`` (the documented option; 10 s by default),
so that a stalled body is answered 408 and its connection closed after one second.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import pytest

from statsig_console_mock import MockSettings
from statsig_console_mock.testing import run_mock_server
from tests.mock.helpers import minimal_body

from .conftest import MockProcess
from .rawhttp import (
    ENDPOINT,
    Answer,
    Connection,
    create_request,
    exchange_open,
    host_port,
    parse_answer,
)

STALLED = 50
SERVED_MEANWHILE = 100


def _body(name: str) -> bytes:
    return json.dumps(minimal_body(name)).encode()


async def _serve_creates(base_url: str, prefix: str) -> list[Answer]:
    """SERVED_MEANWHILE creates, one after another on one new connection."""
    connection = Connection(base_url)
    served = [
        await connection.exchange(create_request(_body(f"{prefix}-{index}")))
        for index in range(SERVED_MEANWHILE)
    ]
    await connection.close()
    return served


@contextlib.asynccontextmanager
async def _stalled(base_url: str, part: bytes) -> AsyncIterator[list[asyncio.StreamReader]]:
    """STALLED connections that have sent ``part`` and stopped; closed on the way out."""
    stalled = [await asyncio.open_connection(*host_port(base_url)) for _ in range(STALLED)]
    try:
        for _, writer in stalled:
            writer.write(part)
        await asyncio.gather(*(writer.drain() for _, writer in stalled))
        yield [reader for reader, _ in stalled]
    finally:
        for _, writer in stalled:
            writer.close()


async def _stall_and_serve(base_url: str, stalled_part: bytes) -> tuple[list[bytes], list[Answer]]:
    """Open STALLED connections that send ``stalled_part`` and stop, then create others.

    Returns everything each stalled connection received until the server closed it,
    and the answers to the creates sent while they were stalled.
    """
    async with _stalled(base_url, stalled_part) as readers:
        served = await _serve_creates(base_url, "while-stalled")

        async def until_closed(reader: asyncio.StreamReader) -> bytes:
            # Bounded: the server must close within the read timeout, or this fails.
            async with asyncio.timeout(30):
                return await reader.read()

        received = await asyncio.gather(*(until_closed(reader) for reader in readers))
        return list(received), served


def test_half_sent_bodies_do_not_block_others_and_get_a_408(fresh_mock: MockProcess) -> None:
    request = create_request(_body("stalled"))
    half = request[: len(request) - 40]

    received, served = asyncio.run(_stall_and_serve(fresh_mock.base_url, half))

    assert [answer.status for answer in served] == [201] * SERVED_MEANWHILE
    for raw in received:
        answer = parse_answer(raw)
        assert answer is not None, raw
        assert answer.status == 408
        assert answer.closes
        assert answer.json() == {
            "status": 408,
            "message": "The request body did not arrive within 1 seconds.",
        }
    assert len(fresh_mock.stored()) == SERVED_MEANWHILE


def test_half_sent_headers_do_not_block_others(fresh_mock: MockProcess) -> None:
    # No body timeout applies before the headers end; uvicorn keeps such a connection
    # open until the client leaves. What matters here is that nobody else waits.
    partial = f"POST {ENDPOINT} HTTP/1.1\r\nHost: 127.0.0.1\r\nSTATSIG-API".encode()

    async def scenario() -> list[Answer]:
        async with _stalled(fresh_mock.base_url, partial):
            return await _serve_creates(fresh_mock.base_url, "beside")

    served = asyncio.run(scenario())

    assert [answer.status for answer in served] == [201] * SERVED_MEANWHILE


@pytest.mark.parametrize("last_cut", [False, True], ids=["whole", "last-request-cut"])
def test_a_client_that_never_reads_its_answer_does_not_block_others(
    fresh_mock: MockProcess, last_cut: bool
) -> None:
    async def scenario() -> list[Answer]:
        # Many pipelined requests whose answers are never read fill the socket
        # buffers; the server must park that connection, not the whole loop.
        _, writer = await asyncio.open_connection(*host_port(fresh_mock.base_url))
        # About 4 MB of answers, more than loopback socket buffers hold.
        pipelined = b"".join(create_request(_body(f"unread-{n}")) for n in range(12_000))
        if last_cut:
            pipelined = pipelined[:-20]
        writer.write(pipelined)
        try:
            return await _serve_creates(fresh_mock.base_url, "reader")
        finally:
            writer.transport.abort()

    served = asyncio.run(scenario())

    assert [answer.status for answer in served] == [201] * SERVED_MEANWHILE


@pytest.mark.slow
def test_the_default_body_timeout_is_the_documented_10_seconds() -> None:
    # The README and --help promise 10 s; the other tests here use --body-timeout 1.
    with run_mock_server(MockSettings()) as base_url:
        request = create_request(_body("stalled-default"))
        answer, received = asyncio.run(exchange_open(base_url, request[:-10]))

    assert answer is not None, received
    assert answer.status == 408
    assert answer.json()["message"] == "The request body did not arrive within 10 seconds."
