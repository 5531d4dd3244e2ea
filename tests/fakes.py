"""Test doubles shared by more than one test package."""

from __future__ import annotations

import asyncio

import attrs


@attrs.define
class FakeTime:
    """A clock that only moves when the code under test sleeps (or a test moves it).

    ``clock`` stands in for ``time.monotonic``, ``sleep``/``async_sleep`` for
    ``time.sleep``/``asyncio.sleep``; every wait is recorded in ``sleeps``.
    """

    now: float = 1000.0
    sleeps: list[float] = attrs.field(factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        # Yield like a real sleep, so that other tasks get to run.
        await asyncio.sleep(0)
