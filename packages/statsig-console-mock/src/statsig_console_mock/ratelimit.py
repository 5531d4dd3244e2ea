"""Per-project sliding-window rate limiting, emulating Statsig's Console API limits.

Statsig counts mutations per project: every key of a project draws on one budget.
Which requests count is the caller's choice (the endpoints count mutations only).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

from statsig_console_mock.settings import RateLimitSettings


class RateLimiter:
    def __init__(
        self,
        settings: RateLimitSettings,
        clock: Callable[[], float] = time.monotonic,
        projects: Iterable[Iterable[str]] = (),
    ) -> None:
        self._windows = settings.windows
        self._clock = clock
        self._lock = threading.Lock()
        # Each key of a project counts under the project's first key.
        self._budget_of: dict[str, str] = {}
        for project in projects:
            keys = list(project)
            for key in keys:
                self._budget_of[key] = keys[0]
        # One deque of accepted-request times per window and project. Keys are only
        # ever ones the mock accepts, so this cannot grow with hostile input.
        self._hits: dict[str, tuple[deque[float], ...]] = {}

    def acquire(self, key: str) -> int | None:
        """Count a request for ``key``'s project; if a window is full, return Retry-After
        seconds."""
        now = self._clock()
        budget = self._budget_of.get(key, key)
        with self._lock:
            hits = self._hits.get(budget)
            if hits is None:
                hits = tuple(deque[float]() for _ in self._windows)
                self._hits[budget] = hits
            wait = 0.0
            for window, times in zip(self._windows, hits, strict=True):
                horizon = now - window.seconds
                while times and times[0] <= horizon:
                    times.popleft()
                if len(times) >= window.limit:
                    wait = max(wait, times[len(times) - window.limit] - horizon)
            if wait > 0:
                # Whole seconds, rounded up: retrying after that many is always allowed.
                return max(1, math.ceil(wait))
            for times in hits:
                times.append(now)
            return None

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
