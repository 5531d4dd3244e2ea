"""The contract target is read from the environment, and never shows the key."""

from __future__ import annotations

import pytest

from contract_tests.target import TargetError, target_from_environment
from statsig_console import DEFAULT_BASE_URL as REAL_API_BASE_URL
from statsig_console_mock import DEFAULT_API_KEY


def test_nothing_set_means_the_embedded_mock() -> None:
    target = target_from_environment({})

    assert (target.base_url, target.api_key, target.real) == (None, DEFAULT_API_KEY, False)
    assert target.embedded


def test_a_key_means_the_real_api() -> None:
    target = target_from_environment({"STATSIG_CONSOLE_API_KEY": "console-secret"})

    assert (target.base_url, target.real) == (REAL_API_BASE_URL, True)
    assert "console-secret" not in repr(target)


def test_a_base_url_alone_means_a_mock_elsewhere() -> None:
    target = target_from_environment({"STATSIG_API_BASE_URL": "http://127.0.0.1:8000/"})

    assert (target.base_url, target.real, target.api_key) == (
        "http://127.0.0.1:8000",
        False,
        DEFAULT_API_KEY,
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"STATSIG_CONSOLE_API_KEY": "  "}, "set but empty"),
        ({"STATSIG_API_BASE_URL": "statsigapi.net"}, "http:// or https://"),
        ({"STATSIG_API_BASE_URL": "https://"}, "http:// or https://"),
        # An unset variable in --base-url="$URL" must not mean Statsig's production API.
        ({"STATSIG_CONSOLE_API_KEY": "console-k", "STATSIG_API_BASE_URL": ""}, "set but empty"),
        ({"STATSIG_CONSOLE_API_KEY": "console-k", "STATSIG_API_BASE_URL": " \t"}, "set but empty"),
        ({"STATSIG_API_BASE_URL": ""}, "set but empty"),
        # Without a key, the mock's rules (persisting creates, unpaced) go to that host.
        ({"STATSIG_API_BASE_URL": "https://statsigapi.net"}, "STATSIG_CONTRACT_REMOTE_MOCK=1"),
        ({"STATSIG_API_BASE_URL": "http://10.0.0.7:8089"}, "not on this machine"),
        ({"STATSIG_API_BASE_URL": "https://a.b", "STATSIG_CONTRACT_REMOTE_MOCK": "0"}, "mock"),
    ],
)
def test_unusable_settings_are_explained(environ: dict[str, str], message: str) -> None:
    with pytest.raises(TargetError, match=message):
        target_from_environment(environ)


@pytest.mark.parametrize(
    ("environ", "on_loopback"),
    [
        ({}, True),
        ({"STATSIG_API_BASE_URL": "http://127.0.0.1:8089"}, True),
        ({"STATSIG_API_BASE_URL": "http://localhost:8089"}, True),
        ({"STATSIG_CONSOLE_API_KEY": "console-k"}, False),
        ({"STATSIG_CONSOLE_API_KEY": "console-k", "STATSIG_API_BASE_URL": "https://a.b"}, False),
    ],
)
def test_a_target_on_this_machine_is_told_apart(environ: dict[str, str], on_loopback: bool) -> None:
    # Only such a target may be sent requests faster than Statsig's pace.
    assert target_from_environment(environ).on_loopback is on_loopback


def test_a_remote_server_said_to_be_a_mock_is_tested_as_one() -> None:
    target = target_from_environment(
        {"STATSIG_API_BASE_URL": "https://mock.internal", "STATSIG_CONTRACT_REMOTE_MOCK": "1"}
    )

    assert (target.base_url, target.real) == ("https://mock.internal", False)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "[::1]"])
def test_a_mock_on_this_machine_needs_no_flag(host: str) -> None:
    target = target_from_environment({"STATSIG_API_BASE_URL": f"http://{host}:8089"})

    assert (target.real, target.on_loopback) == (False, True)


def test_a_key_that_cannot_be_a_header_is_refused_without_being_repeated() -> None:
    with pytest.raises(TargetError, match="whitespace, control or non-ASCII") as raised:
        target_from_environment({"STATSIG_CONSOLE_API_KEY": "console-se cret"})

    assert "se cret" not in str(raised.value)
