"""The pacer keeps every window of requests under its limit, and waits no longer than needed."""

from __future__ import annotations

import pytest

from statsig_console.pacing import Pacer
from tests.fakes import FakeTime


def _run(pacer: Pacer, count: int, duration: float, time: FakeTime) -> list[float]:
    stamps = []
    for _ in range(count):
        with pacer.slot():
            time.sleep(duration)
        stamps.append(time.clock())
    return stamps


def test_no_window_ever_holds_more_than_its_limit() -> None:
    time = FakeTime()
    pacer = Pacer(((5, 1.0), (12, 10.0)), clock=time.clock, sleep=time.sleep)

    start = time.clock()
    stamps = _run(pacer, 40, 0.01, time)

    for index, stamp in enumerate(stamps):
        assert sum(stamp - 1.0 < other <= stamp for other in stamps[: index + 1]) <= 5
        assert sum(stamp - 10.0 < other <= stamp for other in stamps[: index + 1]) <= 12
    # Three full long windows: the pacer waited for room, not longer.
    assert 30.0 < stamps[-1] - start < 31.0


def test_it_does_not_wait_while_there_is_room() -> None:
    time = FakeTime()
    pacer = Pacer(((100, 10.0),), clock=time.clock, sleep=time.sleep)

    _run(pacer, 100, 0.0, time)

    assert pacer.waited == 0


@pytest.mark.parametrize("windows", [(), ((0, 1.0),), ((1, 0.0),)])
def test_impossible_windows_are_refused(windows: tuple[tuple[int, float], ...]) -> None:
    with pytest.raises(ValueError, match="window"):
        Pacer(windows)
