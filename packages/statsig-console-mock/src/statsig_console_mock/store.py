"""The mock's memory: created assignment sources, keyed by their unique name."""

from __future__ import annotations

import threading
from typing import Any

import orjson


class SourceStore:
    """Thread-safe, because tests read it from outside the server's event loop thread.

    Records are kept as their JSON bytes: a long load run stores hundreds of thousands
    of them, and bytes are invisible to the cyclic garbage collector, whose full
    passes over as many dicts would otherwise stall the server for tens of ms.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sources: dict[str, bytes] = {}

    def add(self, name: str, record: bytes) -> bool:
        """Store ``record`` unless ``name`` is taken; the check and the insert are one step."""
        # A compact copy: orjson's output keeps its whole working buffer (4 KiB or
        # more) behind a shorter length, and a stored record lives as long as the mock.
        compact = memoryview(record).tobytes()
        with self._lock:
            if name in self._sources:
                return False
            self._sources[name] = compact
            return True

    def __contains__(self, name: object) -> bool:
        with self._lock:
            return name in self._sources

    def __len__(self) -> int:
        with self._lock:
            return len(self._sources)

    def list(self) -> list[dict[str, Any]]:
        """The stored sources, in creation order."""
        with self._lock:
            records = list(self._sources.values())
        return [orjson.loads(record) for record in records]

    def clear(self) -> None:
        with self._lock:
            self._sources.clear()
