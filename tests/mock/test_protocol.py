"""The mock's server writes each response in one piece, and loses nothing doing so."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable

import pytest
from starlette.types import Receive, Scope, Send

from statsig_console_mock.protocol import JoinedWrites, JoinedWritesProtocol
from statsig_console_mock.server import uvicorn_config


class RecordingTransport(asyncio.Transport):
    """A transport that only notes what reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[bytes]] = []
        self.closed = False
        self.aborted = False

    def writelines(self, list_of_data: object) -> None:
        assert isinstance(list_of_data, list)
        self.calls.append([bytes(data) for data in list_of_data])

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.calls.append([bytes(data)])

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def get_write_buffer_size(self) -> int:
        return 7


def _run(scenario: Callable[[RecordingTransport, JoinedWrites], Awaitable[None]]) -> None:
    """``scenario`` on a loop of its own, with a joined transport over a recording one."""

    async def main() -> None:
        inner = RecordingTransport()
        await scenario(inner, JoinedWrites(inner, asyncio.get_running_loop()))

    asyncio.run(main())


async def _turn() -> None:
    """Let the loop finish the current turn and run what it scheduled."""
    await asyncio.sleep(0)


def test_writes_of_one_turn_reach_the_socket_as_one_call() -> None:
    _run(_writes_of_one_turn_reach_the_socket_as_one_call)


async def _writes_of_one_turn_reach_the_socket_as_one_call(
    inner: RecordingTransport, joined: JoinedWrites
) -> None:
    joined.write(b"HTTP/1.1 200 OK\r\n\r\n")
    joined.write(b'{"a":1}')
    assert inner.calls == []
    assert joined.get_write_buffer_size() == 7 + 19 + 7
    await _turn()
    assert inner.calls == [[b"HTTP/1.1 200 OK\r\n\r\n", b'{"a":1}']]
    joined.write(b"next")
    await _turn()
    assert inner.calls[1:] == [[b"next"]]


def test_close_sends_what_was_written_first() -> None:
    _run(_close_sends_what_was_written_first)


async def _close_sends_what_was_written_first(
    inner: RecordingTransport, joined: JoinedWrites
) -> None:
    joined.writelines([b"a", b"b"])
    joined.close()
    assert inner.calls == [[b"a", b"b"]]
    assert inner.closed
    # The flush the write scheduled finds nothing left to send, and sends nothing.
    await _turn()
    assert inner.calls == [[b"a", b"b"]]


def test_abort_and_a_closing_transport_send_nothing_more() -> None:
    _run(_abort_and_a_closing_transport_send_nothing_more)


async def _abort_and_a_closing_transport_send_nothing_more(
    inner: RecordingTransport, joined: JoinedWrites
) -> None:
    joined.write(b"lost")
    joined.abort()
    await _turn()
    assert inner.calls == []
    assert inner.aborted
    joined.write(b"after")
    await _turn()
    assert inner.calls == []


async def _no_app(scope: Scope, receive: Receive, send: Send) -> None:
    return None


def test_the_mock_and_its_ceiling_serve_through_the_joined_protocol() -> None:
    config = uvicorn_config(_no_app, "127.0.0.1", 0)
    config.load()
    assert config.http_protocol_class is JoinedWritesProtocol


@pytest.mark.parametrize("requests", [1, 3])
def test_a_response_arrives_whole_and_keep_alive_still_works(mock_url: str, requests: int) -> None:
    host, port = mock_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        for _ in range(requests):
            connection.sendall(b"GET /_mock/sources HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            received = b""
            while b"\r\n\r\n" not in received:
                received += connection.recv(65536)
            head, _, body = received.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200 ")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            while len(body) < length:
                body += connection.recv(65536)
            assert body == b"[]"


def test_a_client_that_half_closes_after_its_request_still_gets_the_answer(
    mock_url: str,
) -> None:
    # As `printf ... | nc -N` sends: the request, then the end of its side at once.
    host, port = mock_url.removeprefix("http://").split(":")
    for _ in range(20):
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(b"GET /_mock/sources HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            connection.shutdown(socket.SHUT_WR)
            received = b""
            while chunk := connection.recv(65536):
                received += chunk
        assert received.startswith(b"HTTP/1.1 200 "), received
        assert received.endswith(b"\r\n\r\n[]"), received


def test_a_body_written_in_many_pieces_in_one_turn_goes_out_as_it_grows() -> None:
    _run(_many_pieces)


async def _many_pieces(inner: RecordingTransport, joined: JoinedWrites) -> None:
    piece = b"x" * 10_000
    for _ in range(7):
        joined.write(piece)
    # Past 64 KiB the pieces so far left at once, so the transport's flow control
    # sees them; the rest waits for the end of the turn.
    assert inner.calls == [[piece] * 7]
    joined.write(piece)
    await _turn()
    assert inner.calls == [[piece] * 7, [piece]]
