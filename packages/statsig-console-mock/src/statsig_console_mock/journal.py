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
            chunks: list[bytes] = []
            kept = 0
            status = 0
            complete = False

            async def receiving() -> Message:
                nonlocal kept, complete
                message = await receive()
                chunk: bytes = message.get("body", b"")
                # Past the limit the endpoint refuses the body anyway: keep no more.
                if chunk and kept <= max_body:
                    chunks.append(chunk)
                    kept += len(chunk)
                if not message.get("more_body", False):
                    complete = True
                return message

            async def drain() -> None:
                """Read a body the endpoint refused unread (a 401, a 429), to record it.

                Only a body within the size limit, and only for a moment: a client that
                stalls gets its refusal on time."""
                if complete or status in _UNREAD or _declared_length(scope) > max_body:
                    return
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(_DRAIN_TIMEOUT_S):
                        while not complete and kept <= max_body:
                            message = await receiving()
                            if message["type"] != "http.request":
                                return

            async def sending(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    await drain()
                await send(message)

            try:
                await app(scope, receiving, sending)
            finally:
                if status:
                    record(
                        (
                            scope["method"],
                            scope["path"],
                            scope.get("query_string", b""),
                            b"".join(chunks)[: max_body + 1],
                            status,
                            time.time(),
                        )
                    )

        return journaled


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.strip().isdigit() else 0
    return 0


def _parse(body: bytes) -> Any:  # noqa: ANN401 - a JSON value
    if not body:
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return body.decode("utf-8", "replace")
