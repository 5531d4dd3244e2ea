"""The production client against the project's mock: its auth, faults and rate limits."""

from __future__ import annotations

import asyncio
import time

import attrs
import httpx
import pytest
from statsig_console_client import AuthenticatedClient
from statsig_console_client.models import AssignmentSourceCreate

from statsig_console import (
    AuthenticationError,
    InvalidRequestError,
    RateLimitedError,
    RetryPolicy,
    RetryTransport,
    client_from_env,
    create_assignment_source,
    create_assignment_source_async,
)
from statsig_console_mock import (
    DEFAULT_API_KEY,
    FaultSettings,
    MockSettings,
    RateLimitSettings,
    RateWindow,
    create_app,
    mock_state,
)
from statsig_console_mock.testing import run_mock_server
from tests.fakes import FakeTime
from tests.mock.helpers import minimal_body

from .conftest import API_KEY


def source(name: str) -> AssignmentSourceCreate:
    return AssignmentSourceCreate.from_dict(minimal_body(name))


@attrs.define
class Counting:
    """Inner transports that count what really reaches the mock."""

    sent: int = 0

    def transports(self) -> tuple[httpx.BaseTransport, httpx.AsyncBaseTransport]:
        counter = self

        class Sync(httpx.HTTPTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                counter.sent += 1
                return super().handle_request(request)

        class Async(httpx.AsyncHTTPTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                counter.sent += 1
                return await super().handle_async_request(request)

        return Sync(), Async()


def counted_client(
    url: str, fake_time: FakeTime, policy: RetryPolicy, counting: Counting
) -> AuthenticatedClient:
    sync_transport, async_transport = counting.transports()
    transport = RetryTransport(
        policy,
        transport=sync_transport,
        async_transport=async_transport,
        sleep=fake_time.sleep,
        async_sleep=fake_time.async_sleep,
        clock=fake_time.clock,
    )
    return AuthenticatedClient(
        base_url=url, token=DEFAULT_API_KEY, httpx_args={"transport": transport}
    )


def create_all(client: AuthenticatedClient, names: list[str], *, use_async: bool) -> None:
    """Create one source per name, one after the other, in sync or async code."""
    if use_async:

        async def run() -> None:
            async with client:
                for name in names:
                    await create_assignment_source_async(client, source(name))

        asyncio.run(run())
        return
    with client:
        for name in names:
            create_assignment_source(client, source(name))


def test_the_one_call_creates_a_source_in_the_mock(monkeypatch: pytest.MonkeyPatch) -> None:
    with run_mock_server(MockSettings(api_keys=(API_KEY,))) as url:
        monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", API_KEY)
        monkeypatch.setenv("STATSIG_API_BASE_URL", url)
        with client_from_env() as client:
            created = create_assignment_source(client, source("exposures4"))
            with pytest.raises(InvalidRequestError) as duplicate:
                create_assignment_source(client, source("exposures4"))

    assert created.name == "exposures4"
    assert created.description == ""
    assert created.tags == []
    assert duplicate.value.status == 400
    assert "already exists" in duplicate.value.message


def test_a_refused_key_is_explained_without_showing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    with run_mock_server() as url:
        monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", API_KEY)
        with client_from_env(base_url=url) as client, pytest.raises(AuthenticationError) as caught:
            create_assignment_source(client, source("exposures4"))

    # The mock, like Statsig, echoes (part of) the key it was sent.
    assert API_KEY[:12] in caught.value.response.text
    assert API_KEY[:12] not in str(caught.value)
    assert "Key: console-[redacted]" in caught.value.message


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_injected_503s_are_retried_until_every_create_succeeds_once(
    fake_time: FakeTime, use_async: bool
) -> None:
    app = create_app(MockSettings(faults=FaultSettings(rate=0.5, status=503, seed=7)))
    names = [f"source_{index}" for index in range(12)]
    counting = Counting()
    with run_mock_server(app=app) as url:
        client = counted_client(url, fake_time, RetryPolicy(max_attempts=30), counting)
        create_all(client, names, use_async=use_async)
        stored = mock_state(app).store.list()

    # Some requests were failed by the mock, each retried: one attempt per wait more
    # than one per source, and every source exists exactly once.
    assert fake_time.sleeps
    assert counting.sent == len(names) + len(fake_time.sleeps)
    assert sorted(item["name"] for item in stored) == sorted(names)


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_an_injected_429_storm_ends_in_a_rate_limit_error(
    fake_time: FakeTime, use_async: bool
) -> None:
    settings = MockSettings(faults=FaultSettings(rate=1.0, status=429, retry_after=2))
    counting = Counting()
    with run_mock_server(settings) as url:
        client = counted_client(url, fake_time, RetryPolicy(max_attempts=3), counting)
        with pytest.raises(RateLimitedError) as caught:
            create_all(client, ["storm"], use_async=use_async)

    assert counting.sent == 3
    assert fake_time.sleeps == [2.0, 2.0]
    assert caught.value.retry_after == 2.0
    assert caught.value.attempts == 3


def test_the_mocks_rate_limit_is_waited_out(monkeypatch: pytest.MonkeyPatch) -> None:
    # One request per second: the second create is answered 429 with Retry-After: 1
    # and must succeed after really waiting for it.
    limit = RateLimitSettings(windows=(RateWindow(limit=1, seconds=1.0),))
    with run_mock_server(MockSettings(rate_limit=limit)) as url:
        monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", DEFAULT_API_KEY)
        with client_from_env(base_url=url) as client:
            create_assignment_source(client, source("first"))
            started = time.monotonic()
            second = create_assignment_source(client, source("second"))
            waited = time.monotonic() - started

    assert second.name == "second"
    assert waited >= 1.0
