"""The journal: what the mock answered, for tests to assert on what was sent.

Recording is a tuple appended to a bounded deque, so the hot path pays little; the
parsing of bodies and the redaction of keys happen when the journal is read. The
mock's own routes (``/_mock/...``) are not recorded: the page polls them, and a test
asks about its requests to the API, not about its reads of the mock.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import parse_qs

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REDACTED: Final = "[redacted]"
_MOCK_PREFIX: Final = "/_mock"
# Refusals of the body itself (too large, too slow): there is nothing more to read.
_UNREAD: Final = frozenset({408, 413})
_DRAIN_TIMEOUT_S: Final = 1.0


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One answered request; no header is kept, and any accepted key is redacted."""

    method: str
    path: str
    query: dict[str, list[str]]
    # The parsed JSON body; the text when it is not JSON; None when there was none.
    body: Any
    status: int
    time: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "body": self.body,
            "status": self.status,
            "time": self.time.isoformat(),
        }


# method, path, query string, body, status, time.time()
_Raw = tuple[str, str, bytes, bytes, int, float]


class Journal:
    """The last ``size`` requests answered (0 records nothing), oldest first.

    Thread-safe: the server appends on its loop while a test reads from its own thread.
    """

    def __init__(self, size: int, api_keys: Iterable[str], max_body_bytes: int) -> None:
        if size < 0:
            raise ValueError(f"journal size must not be negative, got {size}")
        self.size = size
        self._entries: deque[_Raw] = deque(maxlen=size or 1)
        self._lock = threading.Lock()
        # Longest first, so a key that contains another is redacted whole.
        self._keys = sorted({key for key in api_keys if key}, key=len, reverse=True)
        self._max_body = max_body_bytes

    def record(self, raw: _Raw) -> None:
        with self._lock:
            self._entries.append(raw)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries) if self.size else 0

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            raws = list(self._entries) if self.size else []
        return [self._entry(raw) for raw in raws]

    def to_json(self) -> list[dict[str, Any]]:
        return [entry.to_json() for entry in self.entries()]

    def _entry(self, raw: _Raw) -> JournalEntry:
        method, path, query, body, status, at = raw
        query_text = self._redact_text(query.decode("latin-1"))
        return JournalEntry(
            method=method,
            path=self._redact_text(path),
            query=parse_qs(query_text, keep_blank_values=True),
            body=self._redact(_parse(body)),
            status=status,
            time=datetime.fromtimestamp(at, UTC),
        )

    def _redact_text(self, text: str) -> str:
        for key in self._keys:
            text = text.replace(key, REDACTED)
        return text

    def _redact(self, value: Any) -> Any:  # noqa: ANN401 - a JSON value
        if isinstance(value, str):
            return self._redact_text(value)
        if isinstance(value, list):
            return [self._redact(item) for item in value]
        if isinstance(value, dict):
            return {self._redact_text(k): self._redact(v) for k, v in value.items()}
        return value

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """``app``, recording each HTTP request it answers outside ``/_mock``."""
        if not self.size:
            return app
        max_body = self._max_body
        record = self.record

        async def journaled(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["path"].startswith(_MOCK_PREFIX):
                await app(scope, receive, send)
                return
            exchange = _Exchange(scope, receive, send, max_body)
            try:
                await app(scope, exchange.receive, exchange.send)
            finally:
                if exchange.status:
                    record(
                        (
                            scope["method"],
                            scope["path"],
                            scope.get("query_string", b""),
                            b"".join(exchange.chunks)[: max_body + 1],
                            exchange.status,
                            time.time(),
                        )
                    )

        return journaled


class _Exchange:
    """One request on its way through the journal: the body it read, the status sent.

    The app is handed its ``receive`` and ``send``; the journal reads what they saw from
    its attributes once the app is done.
    """

    __slots__ = ("_max_body", "_receive", "_scope", "_send", "chunks", "complete", "kept", "status")

    def __init__(self, scope: Scope, receive: Receive, send: Send, max_body: int) -> None:
        self._scope = scope
        self._receive = receive
        self._send = send
        self._max_body = max_body
        self.chunks: list[bytes] = []
        self.kept = 0
        self.status = 0
        self.complete = False

    async def receive(self) -> Message:
        message = await self._receive()
        chunk: bytes = message.get("body", b"")
        # Past the limit the endpoint refuses the body anyway: keep no more.
        if chunk and self.kept <= self._max_body:
            self.chunks.append(chunk)
            self.kept += len(chunk)
        if not message.get("more_body", False):
            self.complete = True
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            if not self.complete and self.status not in _UNREAD:
                await self._drain()
        await self._send(message)

    async def _drain(self) -> None:
        """Read a body the endpoint refused unread (a 401, a 429), to record it.

        Only a body within the size limit, and only for a moment: a client that stalls
        gets its refusal on time."""
        declared = _declared_length(self._scope)
        # No body declared (a list, a delete): nothing to wait for, and no timer to arm
        # on the operations that need it least.
        if declared is None or declared > self._max_body:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(_DRAIN_TIMEOUT_S):
                while not self.complete and self.kept <= self._max_body:
                    message = await self.receive()
                    if message["type"] != "http.request":
                        return


def _declared_length(scope: Scope) -> int | None:
    """The body's declared length, 0 when chunked, None when the request declares none."""
    declared = None
    for name, value in scope["headers"]:
        if name == b"content-length":
            length = int(value) if value.strip().isdigit() else 0
            if length:
                return length
        elif name == b"transfer-encoding":
            declared = 0
    return declared


def _parse(body: bytes) -> Any:  # noqa: ANN401 - a JSON value
    if not body:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return body.decode("utf-8", "replace")
