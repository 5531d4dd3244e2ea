"""uvicorn's HTTP protocol with each response written to the socket in one piece.

uvicorn writes a response's status line and headers, then its body, as two socket
writes: two TCP segments, two wake-ups of the client, and under load the second
system call cost the mock as much as all of its own work on a delete. Writes made in
the same turn of the event loop are joined here and sent at the end of that turn, so
a small answer costs one system call. Nothing waits past the turn that wrote it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_Data = bytes | bytearray | memoryview
# asyncio's default high-water mark for a transport's write buffer.
_FLUSH_AT = 64 * 1024


class JoinedWrites(asyncio.Transport):
    """A transport whose writes wait for the end of the loop's turn, then go out as one.

    Everything else is the wrapped transport's own; closing it first sends what waits.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._pending: list[_Data] = []
        self._pending_size = 0

    def write(self, data: _Data) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(data)
        self._pending_size += len(data)
        # A body sent in many pieces in one turn goes out as it grows, so the real
        # transport's flow control (pause_writing past its high-water mark) still holds.
        if self._pending_size >= _FLUSH_AT:
            self.flush()

    def writelines(self, list_of_data: Iterable[_Data]) -> None:
        for data in list_of_data:
            self.write(data)

    def flush(self) -> None:
        pending, self._pending, self._pending_size = self._pending, [], 0
        if pending and not self._transport.is_closing():
            # One system call either way (uvloop's writelines also spares joining them).
            self._transport.writelines(pending)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending, self._pending_size = [], 0
        self._transport.abort()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._pending_size

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def get_extra_info(self, name: str, default: Any = None) -> Any:  # noqa: ANN401 - as asyncio types it
        return self._transport.get_extra_info(name, default)


class JoinedWritesProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through :class:`JoinedWrites`."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A TCP server's transport; uvloop's has the interface without the base class.
        self._joined = JoinedWrites(cast(asyncio.Transport, transport), self.loop)
        super().connection_made(self._joined)

    def eof_received(self) -> None:
        # A client that half-closes after its request (``nc -N``, some health checks)
        # makes the real transport close itself once this returns, behind the wrapper's
        # back: what this turn wrote must reach it first, or the answer is lost.
        self._joined.flush()
        super().eof_received()


__all__ = ["JoinedWrites", "JoinedWritesProtocol"]
