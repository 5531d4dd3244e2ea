"""Keeping a sequence of requests under Statsig's per-project rate-limit windows.

Statsig allows about 100 mutations per 10 s and 900 per 15 min for each project.
:class:`Pacer` holds a request back until it fits every window; the retry policy's
wait on ``Retry-After`` stays as the fallback for a budget shared with others.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Callable, Iterator

import attrs

# (limit, seconds): Statsig's documented mutation limits.
STATSIG_WINDOWS: tuple[tuple[int, float], ...] = ((100, 10.0), (900, 900.0))


def _windows(value: tuple[tuple[int, float], ...]) -> tuple[tuple[int, float], ...]:
    windows = tuple((int(limit), float(seconds)) for limit, seconds in value)
    if not windows or any(limit < 1 or seconds <= 0 for limit, seconds in windows):
        raise ValueError(f"each window needs a limit >= 1 and a length > 0, got {value!r}")
    return windows


@attrs.define
class Pacer:
    """Lets at most ``limit`` requests start within any ``seconds`` of every window.

    A request's slot is stamped when its answer has arrived, not when it was sent: the
    server saw it somewhere in between, so a window measured from the answers can never
    hold more requests on the server's clock than on ours. Meant for one sequence of
    requests at a time (a command's mutations), not for concurrent callers.
    """

    windows: tuple[tuple[int, float], ...] = attrs.field(
        default=STATSIG_WINDOWS, converter=_windows
    )
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    waited: float = attrs.field(default=0.0, init=False)
    _done: deque[float] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._done = deque(maxlen=max(limit for limit, _ in self.windows))

    def delay(self) -> float:
        """Seconds until one more request fits every window (0 when it fits now)."""
        now = self.clock()
        wait = 0.0
        for limit, seconds in self.windows:
            if len(self._done) >= limit:
                # The limit-th most recent answer must have left the window.
                wait = max(wait, self._done[-limit] + seconds - now)
        return wait

    def wait(self) -> None:
        """Block until one more request fits every window."""
        wait = self.delay()
        if wait > 0:
            self.waited += wait
            self.sleep(wait)

    def stamp(self) -> None:
        """Count a request whose answer has just arrived."""
        self._done.append(self.clock())

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for room, run the request inside the block, then stamp it."""
        self.wait()
        try:
            yield
        finally:
            self.stamp()
