"""The mock's memory: created assignment sources, keyed by their unique name."""

from __future__ import annotations

import copy
import threading
from typing import Any


class SourceStore:
    """Thread-safe, because tests read it from outside the server's event loop thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sources: dict[str, dict[str, Any]] = {}

    def add(self, name: str, record: dict[str, Any]) -> bool:
        """Store ``record`` unless ``name`` is taken; the check and the insert are one step."""
        with self._lock:
            if name in self._sources:
                return False
            self._sources[name] = record
            return True

    def __contains__(self, name: object) -> bool:
        with self._lock:
            return name in self._sources

    def __len__(self) -> int:
        with self._lock:
            return len(self._sources)

    def list(self) -> list[dict[str, Any]]:
        """Copies, in creation order, so callers cannot change what is stored."""
        with self._lock:
            return copy.deepcopy(list(self._sources.values()))

    def clear(self) -> None:
        with self._lock:
            self._sources.clear()
