"""Injected latency and failures, so clients can test their retries against the mock."""

from __future__ import annotations

import random
import threading

from statsig_console_mock.settings import FaultSettings


class FaultInjector:
    def __init__(self, settings: FaultSettings) -> None:
        self.settings = settings
        self.latency_s = settings.latency_ms / 1000.0
        self._lock = threading.Lock()
        self._random = random.Random(settings.seed)  # noqa: S311 - test noise, not security

    def should_fail(self) -> bool:
        rate = self.settings.rate
        if rate <= 0.0:
            return False
        with self._lock:
            return self._random.random() < rate

    def retry_after(self) -> int | None:
        """Seconds for a Retry-After header; a 429 always carries one, as Statsig's do."""
        if self.settings.retry_after is not None:
            return self.settings.retry_after
        return 1 if self.settings.status == 429 else None

    def reset(self) -> None:
        with self._lock:
            self._random.seed(self.settings.seed)
