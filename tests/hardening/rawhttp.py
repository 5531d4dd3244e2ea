"""A minimal HTTP/1.1 client over asyncio streams, for load and for hostile bytes.

httpx validates what it sends and costs about a millisecond per request; these tests
need to send malformed requests, hold thousands of requests per second on two cores,
and control exactly when each byte leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from dataclasses import dataclass
from typing import Any

from statsig_console import spec as console_spec
from statsig_console_mock import DEFAULT_API_KEY

ENDPOINT = console_spec.load().operation("createAssignmentSource").path
# Every read is bounded: a server that stops answering fails the test, never hangs it.
READ_TIMEOUT_S = 30.0


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def closes(self) -> bool:
        return self.headers.get("connection", "").lower() == "close"


def host_port(base_url: str) -> tuple[str, int]:
    host, port = base_url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def create_request(
    body: bytes,
    *,
    api_key: str = DEFAULT_API_KEY,
    content_type: str = "application/json",
    extra_headers: str = "",
    close: bool = False,
) -> bytes:
    head = (
        f"POST {ENDPOINT} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"STATSIG-API-KEY: {api_key}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n{extra_headers}"
        + ("Connection: close\r\n" if close else "")
        + "\r\n"
    )
    return head.encode("latin-1") + body


def request(method: str, path: str, body: bytes | None = None) -> bytes:
    """A request of any operation, with the accepted key; ``path`` already encoded."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nSTATSIG-API-KEY: {DEFAULT_API_KEY}\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return (head + "\r\n").encode("latin-1") + (body or b"")


def _head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def read_answer(reader: asyncio.StreamReader) -> Answer:
    """One response with a Content-Length body (all the mock and uvicorn send)."""
    async with asyncio.timeout(READ_TIMEOUT_S):
        while True:
            status, headers = _head(await reader.readuntil(b"\r\n\r\n"))
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            # An interim 100 Continue is followed by the real answer.
            if status != 100:
                return Answer(status, headers, body)


def parse_answer(raw: bytes) -> Answer | None:
    """The first complete answer in bytes received, None when there is none."""
    while True:
        head, found, rest = raw.partition(b"\r\n\r\n")
        if not found:
            return None
        try:
            status, headers = _head(head)
            length = int(headers.get("content-length", "0"))
        except (ValueError, IndexError):
            return None
        if len(rest) < length:
            return None
        if status != 100:
            return Answer(status, headers, rest[:length])
        raw = rest


class Connection:
    """One keep-alive connection that reconnects after the server closes it."""

    def __init__(self, base_url: str) -> None:
        self._address = host_port(base_url)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def exchange(self, request: bytes) -> Answer:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(*self._address)
        assert self._reader is not None
        self._writer.write(request)
        await self._writer.drain()
        answer = await read_answer(self._reader)
        if answer.closes:
            await self.close()
        return answer

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError):
                await self._writer.wait_closed()
            self._writer = self._reader = None


async def exchange_once(base_url: str, request: bytes) -> tuple[Answer | None, bytes]:
    """Send raw bytes, half-close, and read everything until the server closes.

    Returns the first answer when the bytes parse as one (None otherwise) and all
    bytes received, so that garbage the server refuses without an answer is visible.
    """
    reader, writer = await asyncio.open_connection(*host_port(base_url))
    try:
        writer.write(request)
        await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
        async with asyncio.timeout(READ_TIMEOUT_S):
            received = await reader.read()
    except ConnectionResetError:
        received = b""
    finally:
        writer.close()
    return parse_answer(received), received


async def exchange_open(base_url: str, request: bytes) -> tuple[Answer | None, bytes]:
    """Send raw bytes and keep the connection open until the server answers or closes.

    Unlike :func:`exchange_once` nothing tells the server that the client is done,
    which is what a stalled client looks like.
    """
    reader, writer = await asyncio.open_connection(*host_port(base_url))
    try:
        writer.write(request)
        await writer.drain()
        async with asyncio.timeout(READ_TIMEOUT_S):
            received = await reader.read()
    finally:
        writer.close()
    return parse_answer(received), received


def exchange_blocking(base_url: str, request: bytes) -> tuple[Answer | None, bytes]:
    """:func:`exchange_once` on a plain socket, cheaper per call for fuzzing."""
    with socket.create_connection(host_port(base_url), timeout=READ_TIMEOUT_S) as sock:
        chunks: list[bytes] = []
        try:
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
            while data := sock.recv(65536):
                chunks.append(data)
        except (ConnectionResetError, BrokenPipeError):
            # Refused mid-send: whatever arrived before the reset is still judged.
            pass
    received = b"".join(chunks)
    return parse_answer(received), received
