"""Injected faults: a chosen share of requests fails with a chosen status."""

from __future__ import annotations

import httpx
import pytest

from statsig_console_mock import DEFAULT_API_KEY, FaultSettings, MockSettings, RateWindow
from statsig_console_mock.testing import reset_mock, run_mock_server

from .helpers import ENDPOINT, SpecChecker, minimal_body

HEADERS = {"STATSIG-API-KEY": DEFAULT_API_KEY}


def _statuses(base_url: str, count: int) -> list[int]:
    with httpx.Client(base_url=base_url, headers=HEADERS) as client:
        return [client.post(ENDPOINT, json=minimal_body()).status_code for _ in range(count)]


def test_every_request_can_fail_with_503(checker: SpecChecker) -> None:
    settings = MockSettings(faults=FaultSettings(rate=1.0, status=503))
    with run_mock_server(settings) as base_url:
        response = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)
        stored = httpx.get(f"{base_url}/_mock/sources").json()

    assert response.status_code == 503
    assert "retry-after" not in response.headers
    checker.check(response)
    assert stored == []


def test_injected_429s_carry_retry_after(checker: SpecChecker) -> None:
    settings = MockSettings(faults=FaultSettings(rate=1.0, status=429, retry_after=7))
    with run_mock_server(settings) as base_url:
        response = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)

    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    checker.check(response)


def test_a_429_without_a_chosen_delay_still_says_when_to_retry() -> None:
    settings = MockSettings(faults=FaultSettings(rate=1.0, status=429))
    with run_mock_server(settings) as base_url:
        response = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)

    assert response.headers["retry-after"] == "1"


def test_a_seeded_fraction_fails_repeatably() -> None:
    settings = MockSettings(faults=FaultSettings(rate=0.5, status=503, seed=42))
    with run_mock_server(settings) as base_url:
        first = _statuses(base_url, 60)
        reset_mock(base_url)
        second = _statuses(base_url, 60)

    assert set(first) == {201, 503}
    assert first == second


def test_mock_routes_are_never_faulted() -> None:
    settings = MockSettings(faults=FaultSettings(rate=1.0, status=500))
    with run_mock_server(settings) as base_url:
        assert httpx.get(f"{base_url}/_mock/sources").status_code == 200
        reset_mock(base_url)


def test_latency_alone_changes_no_answer() -> None:
    settings = MockSettings(faults=FaultSettings(latency_ms=20))
    with run_mock_server(settings) as base_url:
        assert _statuses(base_url, 3) == [201, 201, 201]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rate": 1.5},
        {"rate": -0.1},
        {"status": 200},
        {"retry_after": -1},
        {"latency_ms": -5},
        {"latency_ms": float("nan")},
        {"latency_ms": float("inf")},
    ],
)
def test_nonsense_fault_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        FaultSettings(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("seconds", [0, -1, float("nan"), float("inf")])
def test_a_rate_window_needs_a_finite_positive_length(seconds: float) -> None:
    # NaN and infinity would pass a bare comparison and break the limiter at run time.
    with pytest.raises(ValueError, match="positive number"):
        RateWindow(1, seconds)


@pytest.mark.parametrize("seconds", [0, float("nan"), float("inf")])
def test_a_body_timeout_needs_a_finite_positive_length(seconds: float) -> None:
    with pytest.raises(ValueError, match="positive number"):
        MockSettings(body_timeout_s=seconds)
