"""401 answers: the STATSIG-API-KEY header, and a key that is never echoed in full."""

from __future__ import annotations

import httpx

from statsig_console_mock import DEFAULT_API_KEY, MockSettings
from statsig_console_mock.testing import run_mock_server

from .helpers import ENDPOINT, SpecChecker, minimal_body


def test_missing_key_is_a_401(mock_url: str, checker: SpecChecker) -> None:
    response = httpx.post(f"{mock_url}{ENDPOINT}", json=minimal_body())

    assert response.status_code == 401
    message = checker.check(response)["message"]
    assert "STATSIG-API-KEY" in message


def test_empty_key_is_a_401(mock_url: str) -> None:
    response = httpx.post(
        f"{mock_url}{ENDPOINT}", json=minimal_body(), headers={"STATSIG-API-KEY": ""}
    )

    assert response.status_code == 401


def test_wrong_key_is_a_401_that_does_not_echo_it(mock_url: str, checker: SpecChecker) -> None:
    for wrong in ("console-abcdefghijklmnopqrstuvwxyz0123456789", "short", "x"):
        response = httpx.post(
            f"{mock_url}{ENDPOINT}", json=minimal_body(), headers={"STATSIG-API-KEY": wrong}
        )
        assert response.status_code == 401
        message = checker.check(response)["message"]
        assert "invalid key was sent" in message
        assert wrong not in message


def test_header_name_is_case_insensitive(mock_url: str) -> None:
    response = httpx.post(
        f"{mock_url}{ENDPOINT}", json=minimal_body(), headers={"statsig-api-key": DEFAULT_API_KEY}
    )

    assert response.status_code == 201


def test_the_key_is_checked_before_the_body(mock_url: str, checker: SpecChecker) -> None:
    response = httpx.post(
        f"{mock_url}{ENDPOINT}", content=b"not json", headers={"content-type": "text/plain"}
    )

    assert response.status_code == 401
    checker.check(response)


def test_configured_keys_replace_the_default(checker: SpecChecker) -> None:
    keys = ("console-first-key-000", "console-second-key-111")
    with run_mock_server(MockSettings(api_keys=keys)) as base_url:
        for key in keys:
            ok = httpx.post(
                f"{base_url}{ENDPOINT}", json=minimal_body(), headers={"STATSIG-API-KEY": key}
            )
            assert ok.status_code == 201
        refused = httpx.post(
            f"{base_url}{ENDPOINT}",
            json=minimal_body(),
            headers={"STATSIG-API-KEY": DEFAULT_API_KEY},
        )
    assert refused.status_code == 401
    checker.check(refused)
