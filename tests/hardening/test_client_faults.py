"""The production client against the mock's fault injection, 500 creates at a time.

Each create must end exactly one way: created once (stored once, returned once), or
a typed error saying why it gave up. A create that reached the mock must never be
sent again: that would show up as a duplicate-name 400 for a name sent only once.
"""

from __future__ import annotations

import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from statsig_console_client.models import AssignmentSourceCreate

from statsig_console import (
    RateLimitedError,
    RetryPolicy,
    StatsigApiError,
    UnexpectedStatusError,
    build_client,
    create_assignment_source,
)
from statsig_console_mock import (
    DEFAULT_API_KEY,
    FaultSettings,
    MockSettings,
    create_app,
    mock_state,
)
from statsig_console_mock.testing import run_mock_server
from tests.mock.helpers import minimal_body

CREATES = 500
WORKERS = 8
FAULT_RATE = 0.3
LATENCY_MS = 3.0
# Short waits so that 500 creates take seconds; the policy's logic is the default's.
POLICY = RetryPolicy(max_attempts=5, backoff_initial=0.002, backoff_max=0.02)


def _source(name: str) -> AssignmentSourceCreate:
    return AssignmentSourceCreate.from_dict(minimal_body(name))


def _create_share(base_url: str, names: list[str]) -> dict[str, str | StatsigApiError]:
    """One worker: its own client, its names one after the other."""
    outcomes: dict[str, str | StatsigApiError] = {}
    with build_client(DEFAULT_API_KEY, base_url=base_url, retry=POLICY) as client:
        for name in names:
            try:
                outcomes[name] = create_assignment_source(client, _source(name)).name
            except StatsigApiError as error:
                outcomes[name] = error
    return outcomes


def _run(settings: MockSettings) -> tuple[dict[str, str | StatsigApiError], list[str]]:
    names = [f"faulted-{index}" for index in range(CREATES)]
    app = create_app(settings)
    outcomes: dict[str, str | StatsigApiError] = {}
    with run_mock_server(app=app) as base_url, ThreadPoolExecutor(WORKERS) as pool:
        shares = [names[worker::WORKERS] for worker in range(WORKERS)]
        for result in pool.map(lambda share: _create_share(base_url, share), shares):
            outcomes.update(result)
    stored = [str(source["name"]) for source in mock_state(app).store.list()]
    assert len(outcomes) == CREATES
    return outcomes, stored


def _retries(caplog: pytest.LogCaptureFixture) -> Counter[str]:
    return Counter(
        record.getMessage().split(": ", 1)[1].split(";")[0]
        for record in caplog.records
        if "; retrying in" in record.getMessage()
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("status", "retry_after", "error_type"),
    [(503, None, UnexpectedStatusError), (429, 0, RateLimitedError)],
    ids=["503-backoff", "429-retry-after"],
)
def test_500_creates_through_retried_faults_each_end_once(
    caplog: pytest.LogCaptureFixture,
    status: int,
    retry_after: int | None,
    error_type: type[StatsigApiError],
) -> None:
    caplog.set_level(logging.INFO, logger="statsig_console")
    # Seeded: the share of faults met, asserted below, is then the same every run.
    faults = FaultSettings(
        rate=FAULT_RATE, status=status, retry_after=retry_after, latency_ms=LATENCY_MS, seed=7
    )

    outcomes, stored = _run(MockSettings(faults=faults))

    created = sorted(name for name, outcome in outcomes.items() if outcome == name)
    errors = {name: outcome for name, outcome in outcomes.items() if outcome != name}
    # Every source stored once, and exactly the ones the client reported created.
    assert len(stored) == len(set(stored))
    assert sorted(stored) == created
    # The only way to fail is to have met the fault max_attempts times in a row.
    for error in errors.values():
        assert isinstance(error, error_type), error
        assert error.status == status
        assert error.attempts == POLICY.max_attempts
        assert f"HTTP {status}" in str(error)
    # The faults were really met and retried, not dodged.
    assert _retries(caplog)[f"HTTP {status}"] >= CREATES * FAULT_RATE / 2


@pytest.mark.slow
def test_500_creates_through_unretried_500s_are_never_sent_twice() -> None:
    # A 500 may come after the server created the source: the client must not retry.
    faults = FaultSettings(rate=FAULT_RATE, status=500, latency_ms=LATENCY_MS, seed=7)

    outcomes, stored = _run(MockSettings(faults=faults))

    errors = [outcome for outcome in outcomes.values() if isinstance(outcome, StatsigApiError)]
    assert errors
    for error in errors:
        assert isinstance(error, UnexpectedStatusError)
        assert error.status == 500
        assert error.attempts == 1
    created = sorted(name for name, outcome in outcomes.items() if outcome == name)
    assert sorted(stored) == created
    assert len(created) + len(errors) == CREATES


def test_creates_timed_out_by_latency_raise_and_are_not_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The mock answers after 300 ms; the client stops reading after 100 ms. The mock
    # may have created the source by then, so sending the create again is unsafe.
    caplog.set_level(logging.INFO, logger="statsig_console")
    settings = MockSettings(faults=FaultSettings(latency_ms=300))
    with run_mock_server(settings) as base_url:
        # Only reading is short: a slow connect would be retried, which is not the point.
        timeout = httpx.Timeout(5.0, read=0.1)
        client = build_client(DEFAULT_API_KEY, base_url=base_url, retry=POLICY, timeout=timeout)
        with client:
            for index in range(5):
                with pytest.raises(httpx.ReadTimeout):
                    create_assignment_source(client, _source(f"late-{index}"))

    assert not _retries(caplog)
