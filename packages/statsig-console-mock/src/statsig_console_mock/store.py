"""The mock's memory: created assignment sources, keyed by their unique name."""

from __future__ import annotations

import enum
import threading
from typing import Any

import orjson

from statsig_console_mock.settings import DEFAULT_MAX_SOURCES, DEFAULT_MAX_STORE_BYTES


class Added(enum.Enum):
    """What became of a record handed to :meth:`SourceStore.add`."""

    STORED = "stored"
    TAKEN = "taken"
    FULL = "full"


class SourceStore:
    """Thread-safe, because tests read it from outside the server's event loop thread.

    Records are kept as their JSON bytes: a long load run stores hundreds of thousands
    of them, and bytes are invisible to the cyclic garbage collector, whose full
    passes over as many dicts would otherwise stall the server for tens of ms.

    Bounded in count and in bytes (records and names), so that no client, not even one
    holding the published development key, can grow the mock without limit.
    """

    def __init__(
        self,
        max_sources: int = DEFAULT_MAX_SOURCES,
        max_bytes: int = DEFAULT_MAX_STORE_BYTES,
    ) -> None:
        self._lock = threading.Lock()
        self._sources: dict[str, bytes] = {}
        self._bytes = 0
        self.max_sources = max_sources
        self.max_bytes = max_bytes

    def add(self, name: str, record: bytes) -> Added:
        """Store ``record`` unless ``name`` is taken or the store is full, in one step."""
        # A compact copy: orjson's output keeps its whole working buffer (4 KiB or
        # more) behind a shorter length, and a stored record lives as long as the mock.
        compact = memoryview(record).tobytes()
        size = len(compact) + len(name)
        with self._lock:
            if name in self._sources:
                return Added.TAKEN
            if len(self._sources) >= self.max_sources or self._bytes + size > self.max_bytes:
                return Added.FULL
            self._sources[name] = compact
            self._bytes += size
            return Added.STORED

    def __contains__(self, name: object) -> bool:
        with self._lock:
            return name in self._sources

    def __len__(self) -> int:
        with self._lock:
            return len(self._sources)

    @property
    def size_bytes(self) -> int:
        with self._lock:
            return self._bytes

    def list(self) -> list[dict[str, Any]]:
        """The stored sources, in creation order."""
        with self._lock:
            records = list(self._sources.values())
        return [orjson.loads(record) for record in records]

    def clear(self) -> None:
        with self._lock:
            self._sources.clear()
            self._bytes = 0
