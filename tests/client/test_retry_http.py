"""Retries against a real local HTTP server scripted per test, sync and async alike."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest
from statsig_console_client.api.assignment_sources import create_assignment_source as generated
from statsig_console_client.models import AssignmentSourceCreate

from statsig_console import (
    InvalidRequestError,
    RateLimitedError,
    RetryPolicy,
    UnexpectedStatusError,
    build_client,
    client_from_env,
    create_assignment_source,
)
from tests.fakes import FakeTime

from .conftest import API_KEY, both_modes, create, created_body, error_body, fake_clock_client
from .scripted_server import Reply, scripted_server

RATE_LIMITED = error_body(429, "Too many requests. Please retry after 1 seconds.")


@both_modes
def test_429_twice_then_201_takes_three_attempts(
    body: AssignmentSourceCreate, fake_time: FakeTime, use_async: bool
) -> None:
    script = [Reply(429, RATE_LIMITED, {"Retry-After": "1"})] * 2 + [Reply(201, created_body())]
    with scripted_server(*script) as server:
        client = fake_clock_client(server.url, fake_time, RetryPolicy())
        source = create(client, body, use_async=use_async)

    assert source.name == "exposures4"
    assert server.attempts == 3
    assert fake_time.sleeps == [1.0, 1.0]
    # The same body and key are sent each time.
    assert len({(r.body, r.headers["statsig-api-key"]) for r in server.received}) == 1


@both_modes
def test_a_real_wait_lasts_at_least_retry_after(
    body: AssignmentSourceCreate, use_async: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The only test that sleeps for real: the default client, a 1-second Retry-After.
    script = [Reply(429, RATE_LIMITED, {"Retry-After": "1"}), Reply(201, created_body())]
    with scripted_server(*script) as server:
        monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", API_KEY)
        monkeypatch.setenv("STATSIG_API_BASE_URL", server.url)
        create(client_from_env(), body, use_async=use_async)

    first, second = server.received
    assert second.at - first.at >= 1.0


@both_modes
@pytest.mark.parametrize(
    ("status", "error_class"), [(400, InvalidRequestError), (500, UnexpectedStatusError)]
)
def test_400_and_500_are_not_retried(
    body: AssignmentSourceCreate,
    fake_time: FakeTime,
    use_async: bool,
    status: int,
    error_class: type[Exception],
) -> None:
    script = [Reply(status, error_body(status, "no")), Reply(201, created_body())]
    with scripted_server(*script) as server:
        client = fake_clock_client(server.url, fake_time, RetryPolicy())
        with pytest.raises(error_class):
            create(client, body, use_async=use_async)

    assert server.attempts == 1
    assert fake_time.sleeps == []


@both_modes
def test_503_is_retried_then_succeeds(
    body: AssignmentSourceCreate, fake_time: FakeTime, use_async: bool
) -> None:
    script = [Reply(503, "unavailable"), Reply(201, created_body())]
    with scripted_server(*script) as server:
        client = fake_clock_client(server.url, fake_time, RetryPolicy())
        create(client, body, use_async=use_async)

    assert server.attempts == 2
    assert len(fake_time.sleeps) == 1


@both_modes
def test_a_rate_limit_that_outlasts_the_policy_is_raised_with_the_count(
    body: AssignmentSourceCreate, fake_time: FakeTime, use_async: bool
) -> None:
    script = [Reply(429, RATE_LIMITED, {"Retry-After": "1"})] * 3
    with scripted_server(*script) as server:
        client = fake_clock_client(server.url, fake_time, RetryPolicy(max_attempts=3))
        with pytest.raises(RateLimitedError) as caught:
            create(client, body, use_async=use_async)

    assert server.attempts == 3
    assert caught.value.attempts == 3
    assert "after 3 attempt(s)" in str(caught.value)


@both_modes
def test_total_time_is_bounded(
    body: AssignmentSourceCreate, fake_time: FakeTime, use_async: bool
) -> None:
    script = [Reply(429, RATE_LIMITED, {"Retry-After": "3"})] * 10
    policy = RetryPolicy(max_attempts=10, max_elapsed=10)
    with scripted_server(*script) as server:
        client = fake_clock_client(server.url, fake_time, policy)
        with pytest.raises(RateLimitedError) as caught:
            create(client, body, use_async=use_async)

    assert server.attempts == 4
    assert sum(fake_time.sleeps) <= 10
    assert "max_elapsed" in str(caught.value)


@both_modes
def test_a_read_timeout_is_not_retried(
    body: AssignmentSourceCreate, fake_time: FakeTime, use_async: bool
) -> None:
    script = [Reply(201, created_body(), delay=1.0), Reply(201, created_body())]
    with scripted_server(*script) as server:
        client = fake_clock_client(server.url, fake_time, RetryPolicy()).with_timeout(
            httpx.Timeout(5.0, read=0.2)
        )
        with pytest.raises(httpx.ReadTimeout):
            create(client, body, use_async=use_async)

    assert server.attempts == 1
    assert fake_time.sleeps == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@both_modes
def test_a_refused_connection_is_retried_up_to_max_attempts(
    body: AssignmentSourceCreate, fake_time: FakeTime, use_async: bool
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    client = fake_clock_client(url, fake_time, RetryPolicy(max_attempts=4))

    with pytest.raises(httpx.ConnectError) as caught:
        create(client, body, use_async=use_async)

    assert len(fake_time.sleeps) == 3
    assert any("gave up after 4 attempt(s)" in note for note in caught.value.__notes__)


@both_modes
def test_retries_can_be_switched_off(body: AssignmentSourceCreate, use_async: bool) -> None:
    script = [Reply(429, RATE_LIMITED, {"Retry-After": "0"}), Reply(201, created_body())]
    with scripted_server(*script) as server:
        client = build_client(API_KEY, base_url=server.url, retry=None)
        with pytest.raises(RateLimitedError) as caught:
            create(client, body, use_async=use_async)

    assert server.attempts == 1
    assert caught.value.attempts is None


def test_the_generated_functions_retry_through_a_built_client(body: AssignmentSourceCreate) -> None:
    # Retry-After: 0 keeps the default client's real sleep instantaneous.
    script = [Reply(429, RATE_LIMITED, {"Retry-After": "0"}), Reply(201, created_body())]
    with scripted_server(*script) as server:
        client = build_client(API_KEY, base_url=server.url)
        with client:
            response = generated.sync_detailed(client=client, body=body)

    assert response.status_code == 201
    assert server.attempts == 2


def test_the_generated_async_functions_retry_through_a_built_client(
    body: AssignmentSourceCreate,
) -> None:
    script = [Reply(503, "busy", {"Retry-After": "0"}), Reply(201, created_body())]

    async def run(url: str) -> int:
        async with build_client(API_KEY, base_url=url) as client:
            response = await generated.asyncio_detailed(client=client, body=body)
        return response.status_code

    with scripted_server(*script) as server:
        assert asyncio.run(run(server.url)) == 201
    assert server.attempts == 2


def test_a_client_survives_evolve_with_its_retries(body: AssignmentSourceCreate) -> None:
    script = [Reply(429, RATE_LIMITED, {"Retry-After": "0"}), Reply(201, created_body())]
    with scripted_server(*script) as server:
        client = build_client(API_KEY, base_url=server.url).with_headers({"x-team": "growth"})
        with client:
            create_assignment_source(client, body)

    assert server.attempts == 2
    assert server.received[1].headers["x-team"] == "growth"
