"""The mock's memory: assignment sources in creation order, addressed by unique name."""

from __future__ import annotations

import enum
import itertools
import threading
from collections.abc import Callable
from typing import Any

import orjson

from statsig_console_mock.settings import DEFAULT_MAX_SOURCES, DEFAULT_MAX_STORE_BYTES


class Added(enum.Enum):
    """What became of a record handed to :meth:`SourceStore.add` or :meth:`SourceStore.replace`."""

    STORED = "stored"
    TAKEN = "taken"
    FULL = "full"
    # replace(): no source has the name in the path.
    MISSING = "missing"


# Builds the new record from the stored one (its JSON bytes), once the name is known
# to exist; answers the new name and the new record's bytes.
Change = Callable[[bytes], tuple[str, bytes]]


def _compact(record: bytes) -> bytes:
    # A compact copy: orjson's output keeps its whole working buffer (4 KiB or more)
    # behind a shorter length, and a stored record lives as long as the mock.
    return memoryview(record).tobytes()


class SourceStore:
    """Thread-safe, because tests read it from outside the server's event loop thread.

    Records are kept as their JSON bytes: a long load run stores hundreds of thousands
    of them, and bytes are invisible to the cyclic garbage collector, whose full
    passes over as many dicts would otherwise stall the server for tens of ms.

    Records are keyed by a creation number and names point at it, so a rename keeps a
    source's place in the creation order that lists page through.

    Bounded in count and in bytes (records and names), so that no client, not even one
    holding the published development key, can grow the mock without limit.
    """

    def __init__(
        self,
        max_sources: int = DEFAULT_MAX_SOURCES,
        max_bytes: int = DEFAULT_MAX_STORE_BYTES,
    ) -> None:
        self._lock = threading.Lock()
        # Insertion-ordered: creation order.
        self._records: dict[int, bytes] = {}
        # The records as a list, for pages: slicing it costs the page, not its offset.
        # Built by the second page read after a change: a run of list calls between
        # changes pays for one copy, and a list between every two changes walks only
        # to its page, as it did before the list existed.
        self._in_order: list[bytes] | None = None
        self._read_since_change = False
        self._ids: dict[str, int] = {}
        self._next_id = itertools.count()
        self._bytes = 0
        self.max_sources = max_sources
        self.max_bytes = max_bytes

    def add(self, name: str, record: bytes, *, commit: bool = True) -> Added:
        """Store ``record`` unless ``name`` is taken or the store is full, in one step.

        With ``commit=False`` every check runs and nothing is stored (a dry run).
        """
        compact = _compact(record) if commit else record
        size = len(compact) + len(name)
        with self._lock:
            if name in self._ids:
                return Added.TAKEN
            if len(self._records) >= self.max_sources or self._bytes + size > self.max_bytes:
                return Added.FULL
            if commit:
                key = next(self._next_id)
                self._records[key] = compact
                self._ids[name] = key
                self._bytes += size
                self._changed()
            return Added.STORED

    def replace(
        self, name: str, change: Change, *, commit: bool = True
    ) -> tuple[Added, bytes | None]:
        """Replace the source named ``name`` with what ``change`` makes of it, in one step.

        The new name must be free (or ``name`` itself); a record that grows must fit in
        the byte bound. Answers the outcome and, when stored (or, with ``commit=False``,
        when it would be), the new record.
        """
        with self._lock:
            key = self._ids.get(name)
            if key is None:
                return Added.MISSING, None
            old = self._records[key]
            new_name, record = change(old)
            if new_name != name and new_name in self._ids:
                return Added.TAKEN, None
            growth = len(record) + len(new_name) - len(old) - len(name)
            if growth > 0 and self._bytes + growth > self.max_bytes:
                return Added.FULL, None
            if commit:
                record = _compact(record)
                self._records[key] = record
                self._changed()
                if new_name != name:
                    del self._ids[name]
                    self._ids[new_name] = key
                self._bytes += growth
            return Added.STORED, record

    def remove(self, name: str) -> bool:
        """Delete the source named ``name``; False when there is none."""
        with self._lock:
            key = self._ids.pop(name, None)
            if key is None:
                return False
            self._bytes -= len(self._records.pop(key)) + len(name)
            self._changed()
            return True

    def page(self, offset: int, limit: int) -> tuple[list[bytes], int]:
        """Up to ``limit`` records from the ``offset``-th on, in creation order, and the total."""
        with self._lock:
            total = len(self._records)
            # Offsets and limits reach 2**106 (pages and limits of 2**53 - 1), past what
            # islice takes: a page past the end is answered before either is used.
            if offset >= total:
                return [], total
            stop = min(offset + limit, total)
            in_order = self._in_order
            if in_order is None:
                if not self._read_since_change:
                    self._read_since_change = True
                    return list(itertools.islice(self._records.values(), offset, stop)), total
                in_order = self._in_order = list(self._records.values())
            return in_order[offset:stop], total

    def _changed(self) -> None:
        self._in_order = None
        self._read_since_change = False

    def __contains__(self, name: object) -> bool:
        with self._lock:
            return name in self._ids

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    @property
    def size_bytes(self) -> int:
        with self._lock:
            return self._bytes

    def list(self) -> list[dict[str, Any]]:
        """The stored sources, in creation order."""
        with self._lock:
            records = list(self._records.values())
        return [orjson.loads(record) for record in records]

    def full_message(self) -> str:
        """Why a source that would not fit was refused, and how to make room."""
        return (
            f"The mock's store is full ({len(self)} sources, {self.size_bytes} bytes; "
            f"limits {self.max_sources} sources, {self.max_bytes} bytes). "
            "Empty it with POST /_mock/reset, or start the mock with a higher "
            "--max-sources or --max-store-bytes."
        )

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
            self._ids.clear()
            self._bytes = 0
            self._changed()
