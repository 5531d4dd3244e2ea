"""Building a client: from the environment or an explicit key, with finite timeouts."""

from __future__ import annotations

import math
from collections.abc import Callable

import httpx
import pytest
from statsig_console_client import AuthenticatedClient
from statsig_console_client.models import AssignmentSourceCreate

from statsig_console import (
    API_VERSION,
    DEFAULT_BASE_URL,
    ConfigurationError,
    KeySafeTransport,
    RetryPolicy,
    RetryTransport,
    build_client,
    client_from_env,
    create_assignment_source,
    spec,
)

from .conftest import API_KEY, CREATE, created_body
from .scripted_server import Reply, scripted_server


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STATSIG_CONSOLE_API_KEY", raising=False)
    monkeypatch.delenv("STATSIG_API_BASE_URL", raising=False)


def _timeouts(client: AuthenticatedClient) -> list[float | None]:
    timeout = client.get_httpx_client().timeout
    return [timeout.connect, timeout.read, timeout.write, timeout.pool]


def test_the_environment_gives_key_and_default_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", API_KEY)

    client = client_from_env()

    assert client.token == API_KEY
    assert client.auth_header_name == "STATSIG-API-KEY"
    assert client.prefix == ""
    assert client.get_httpx_client().base_url == httpx.URL(DEFAULT_BASE_URL)
    assert DEFAULT_BASE_URL == "https://statsigapi.net"


def test_the_environment_can_point_elsewhere(
    monkeypatch: pytest.MonkeyPatch, body: AssignmentSourceCreate
) -> None:
    with scripted_server(Reply(201, created_body())) as server:
        monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", f"  {API_KEY}\n")
        monkeypatch.setenv("STATSIG_API_BASE_URL", server.url)
        with client_from_env() as client:
            create_assignment_source(client, body)

    # Surrounding whitespace, as left by `echo key > file`, is not part of the key.
    assert server.received[0].headers["statsig-api-key"] == API_KEY


def test_an_explicit_base_url_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", API_KEY)
    monkeypatch.setenv("STATSIG_API_BASE_URL", "http://127.0.0.1:1")

    client = client_from_env(base_url="http://127.0.0.1:2")

    assert client.get_httpx_client().base_url == httpx.URL("http://127.0.0.1:2")


@pytest.mark.parametrize("value", [None, "", "   "], ids=["unset", "empty", "blank"])
def test_a_missing_key_fails_before_any_request(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    with scripted_server() as server:
        monkeypatch.setenv("STATSIG_API_BASE_URL", server.url)
        if value is not None:
            monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", value)
        with pytest.raises(ConfigurationError, match="STATSIG_CONSOLE_API_KEY is not set or empty"):
            client_from_env()

    assert server.attempts == 0


@pytest.mark.parametrize("key", ["console-abc def", "console-abc\u00e9", "console-\tabc"])
def test_a_key_that_cannot_be_a_header_is_refused_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", key)

    with pytest.raises(ConfigurationError) as caught:
        client_from_env()

    assert "STATSIG_CONSOLE_API_KEY contains whitespace" in str(caught.value)
    assert "abc" not in str(caught.value)


def test_an_explicit_key_works(body: AssignmentSourceCreate) -> None:
    with (
        scripted_server(Reply(201, created_body())) as server,
        build_client(API_KEY, base_url=server.url) as client,
    ):
        create_assignment_source(client, body)

    assert server.received[0].headers["statsig-api-key"] == API_KEY


def test_an_explicit_empty_key_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="the API key is empty"):
        build_client("  ")


@pytest.mark.parametrize("base_url", ["statsigapi.net", "ftp://statsigapi.net", "https://"])
def test_a_base_url_that_is_not_http_is_refused(base_url: str) -> None:
    with pytest.raises(ConfigurationError, match="base URL"):
        build_client(API_KEY, base_url=base_url)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: build_client(API_KEY), id="default"),
        pytest.param(lambda: build_client(API_KEY, timeout=7.5), id="seconds"),
        pytest.param(lambda: build_client(API_KEY, retry=None), id="no-retry"),
    ],
)
def test_every_timeout_is_finite(make: Callable[[], AuthenticatedClient]) -> None:
    client = make()
    for timeout in (client.get_httpx_client().timeout, client.get_async_httpx_client().timeout):
        phases = [timeout.connect, timeout.read, timeout.write, timeout.pool]
        assert all(value is not None and math.isfinite(value) and value > 0 for value in phases)


def test_a_timeout_in_seconds_applies_to_every_phase() -> None:
    assert _timeouts(build_client(API_KEY, timeout=7.5)) == [7.5, 7.5, 7.5, 7.5]


def test_the_retry_policy_reaches_the_transport() -> None:
    policy = RetryPolicy(max_attempts=2)

    client = build_client(API_KEY, retry=policy)

    transport = client.get_httpx_client()._transport
    assert isinstance(transport, RetryTransport)
    assert transport.policy is policy
    assert not isinstance(
        build_client(API_KEY, retry=None).get_httpx_client()._transport, RetryTransport
    )


@pytest.mark.parametrize("value", ["", "   ", "\n"], ids=["empty", "blank", "newline"])
def test_a_set_but_blank_base_url_is_refused_not_taken_for_production(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", API_KEY)
    monkeypatch.setenv("STATSIG_API_BASE_URL", value)

    with pytest.raises(ConfigurationError, match="STATSIG_API_BASE_URL is set but empty"):
        client_from_env()


def test_an_explicit_base_url_is_used_even_when_the_variable_is_blank(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", API_KEY)
    monkeypatch.setenv("STATSIG_API_BASE_URL", " ")

    client = client_from_env(base_url="http://127.0.0.1:2")

    assert client.get_httpx_client().base_url == httpx.URL("http://127.0.0.1:2")


def test_a_client_without_retries_still_sends_through_the_key_safe_transport() -> None:
    transport = build_client(API_KEY, retry=None).get_httpx_client()._transport

    assert isinstance(transport, KeySafeTransport)


def _minimal() -> dict[str, object]:
    example: dict[str, object] = dict(CREATE.body_examples["minimal"])
    return example


@pytest.mark.parametrize(
    ("api_version", "expected"),
    [(API_VERSION, "20240601"), ("20990101", "20990101"), (None, None)],
    ids=["default", "changed", "dropped"],
)
def test_the_api_version_header_is_pinned_and_can_be_changed_or_dropped(
    api_version: str | None, expected: str | None
) -> None:
    with scripted_server(Reply(201, created_body()), Reply(201, created_body())) as server:
        built = build_client(API_KEY, base_url=server.url, api_version=api_version)
        with built:
            create_assignment_source(built, AssignmentSourceCreate.from_dict(_minimal()))
        default = build_client(API_KEY, base_url=server.url)
        with default:
            create_assignment_source(default, AssignmentSourceCreate.from_dict(_minimal()))

    assert server.received[0].headers.get("statsig-api-version") == expected
    assert server.received[1].headers["statsig-api-version"] == "20240601"


def test_the_pinned_version_is_the_one_the_spec_describes() -> None:
    assert spec.load().document["info"]["version"] == API_VERSION


def test_the_environment_client_sends_the_version_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", API_KEY)
    with scripted_server(Reply(201, created_body())) as server:
        monkeypatch.setenv("STATSIG_API_BASE_URL", server.url)
        with client_from_env(api_version="20250101") as client:
            create_assignment_source(client, AssignmentSourceCreate.from_dict(_minimal()))

    assert server.received[0].headers["statsig-api-version"] == "20250101"


@pytest.mark.parametrize("version", ["", "2024 06 01", "20240601\n"])
def test_an_api_version_that_cannot_be_a_header_is_refused(version: str) -> None:
    with pytest.raises(ConfigurationError, match="API version"):
        build_client(API_KEY, api_version=version)
