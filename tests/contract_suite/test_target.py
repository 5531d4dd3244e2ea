"""The contract target is read from the environment, and never shows the key."""

from __future__ import annotations

import pytest
from statsig_console import DEFAULT_BASE_URL as REAL_API_BASE_URL
from statsig_console_mock import DEFAULT_API_KEY

from contract_tests.target import TargetError, target_from_environment


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
