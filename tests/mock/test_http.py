"""HTTP-level answers: unknown paths and methods, body size and slow clients."""

from __future__ import annotations

import itertools
import json
import socket
import time

import httpx
import pytest

from statsig_console import spec as console_spec
from statsig_console_mock import DEFAULT_API_KEY, MockSettings, create_app, mock_state
from statsig_console_mock.handlers import HANDLERS, Answer, Call, HandlerContext
from statsig_console_mock.spec import CompiledOperation
from statsig_console_mock.testing import run_mock_server

from .helpers import (
    CREATE,
    ENDPOINT,
    SpecChecker,
    minimal_body,
    raw_create,
    raw_exchange,
    status_of,
)

HEADERS = {"STATSIG-API-KEY": DEFAULT_API_KEY}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        ENDPOINT.rsplit("/", 1)[0],
        f"{ENDPOINT}/",
        # Two segments more: not an operation even once the spec adds one per source.
        f"{ENDPOINT}/extra/more",
        ENDPOINT.rsplit("/", 2)[0] + "/gates",
        "/_mock",
    ],
)
def test_other_paths_are_json_404s(mock_url: str, checker: SpecChecker, path: str) -> None:
    response = httpx.post(f"{mock_url}{path}", json={}, headers=HEADERS)

    assert response.status_code == 404
    assert path in checker.check(response)["message"]


# The methods the spec declares on the collection path, in the spec's order.
DECLARED = [op.method for op in console_spec.load() if op.path == ENDPOINT]
UNDECLARED = [m for m in ("GET", "PUT", "POST", "PATCH", "DELETE", "OPTIONS") if m not in DECLARED]


@pytest.mark.parametrize("method", UNDECLARED)
def test_other_methods_are_405s_with_allow(
    mock_url: str, checker: SpecChecker, method: str
) -> None:
    response = httpx.request(method, f"{mock_url}{ENDPOINT}", headers=HEADERS)

    assert response.status_code == 405
    assert response.headers["allow"] == ", ".join(DECLARED)
    checker.check(response)


def test_head_is_a_405_without_body(mock_url: str) -> None:
    response = httpx.head(f"{mock_url}{ENDPOINT}", headers=HEADERS)

    assert response.status_code == 405
    assert response.headers["allow"] == ", ".join(DECLARED)


def test_mock_routes_have_their_own_methods(mock_url: str) -> None:
    assert httpx.post(f"{mock_url}/_mock/sources").status_code == 405
    assert httpx.get(f"{mock_url}/_mock/reset").status_code == 405


@pytest.fixture(scope="module")
def small_mock() -> object:
    with run_mock_server(MockSettings(max_body_bytes=1000, body_timeout_s=0.5)) as base_url:
        yield base_url


def test_a_declared_oversize_body_is_refused_before_it_is_sent(small_mock: str) -> None:
    # Headers promise 100 MB; only they are sent. A 413 proves nothing was awaited.
    answer = raw_exchange(small_mock, raw_create(100_000_000))

    assert status_of(answer) == 413
    assert b"connection: close" in answer.lower()
    assert b'"status":413' in answer


def test_a_chunked_oversize_body_is_cut_off_while_streaming(
    small_mock: str, checker: SpecChecker
) -> None:
    def endless() -> object:
        # Bounded: far past the limit, yet finite if the server never answered.
        for _ in range(2_000):
            yield b" " * 100

    response = httpx.post(
        f"{small_mock}{ENDPOINT}",
        content=endless(),  # type: ignore[arg-type]
        headers={**HEADERS, "content-type": "application/json"},
    )

    assert response.status_code == 413
    checker.check(response)


def test_a_body_at_the_limit_is_read(small_mock: str) -> None:
    body = minimal_body()
    encoded = httpx.Request("POST", "/", json=body).content
    padded = encoded[:-1] + b" " * (1000 - len(encoded)) + b"}"
    assert len(padded) == 1000

    response = httpx.post(
        f"{small_mock}{ENDPOINT}",
        content=padded,
        headers={**HEADERS, "content-type": "application/json"},
    )

    assert response.status_code == 201


def test_a_stalled_body_is_answered_408_and_closed(small_mock: str) -> None:
    answer = raw_exchange(small_mock, raw_create(50, b'{"name":'))

    assert status_of(answer) == 408
    assert b'"status":408' in answer


def test_a_client_that_leaves_mid_body_does_not_hurt_the_server(small_mock: str) -> None:
    host, port = small_mock.removeprefix("http://").split(":")
    for _ in range(20):
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(raw_create(500, b"{"))
    # Let the server notice the disconnects before checking that it still serves.
    time.sleep(0.1)
    response = httpx.post(f"{small_mock}{ENDPOINT}", json=minimal_body(), headers=HEADERS)
    assert response.status_code == 201


def test_a_malformed_content_length_is_a_4xx(small_mock: str) -> None:
    answer = raw_exchange(small_mock, raw_create("ten", b"{}", close=True))

    assert 400 <= status_of(answer) < 500


def test_a_bug_in_a_handler_is_a_json_500_and_the_server_lives_on(checker: SpecChecker) -> None:
    calls = itertools.count()

    class Broken:
        def __init__(self, operation: CompiledOperation, context: HandlerContext) -> None:
            self._real = HANDLERS[CREATE.operation_id](operation, context)

        def __call__(self, call: Call) -> Answer:
            if next(calls) == 0:
                raise RuntimeError("a deliberate bug")
            return self._real(call)

    app = create_app(handlers={CREATE.operation_id: Broken})
    with run_mock_server(app=app) as base_url:
        response = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)
        after = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)

    assert response.status_code == 500
    assert "deliberate" not in response.text
    checker.check(response)
    assert after.status_code == 201


def test_a_bug_in_the_endpoint_is_a_json_500_and_the_server_lives_on(
    checker: SpecChecker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bug below the handler, in the store, gets the same answer.
    app = create_app()
    store = mock_state(app).store

    def broken_add(name: str, record: bytes) -> bool:
        raise RuntimeError("a deliberate bug")

    with run_mock_server(app=app) as base_url:
        monkeypatch.setattr(store, "add", broken_add)
        response = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)
        monkeypatch.undo()
        after = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)

    assert response.status_code == 500
    assert response.json()["status"] == 500
    assert "deliberate" not in response.text
    checker.check(response)
    assert after.status_code == 201


@pytest.mark.parametrize("padding", [" ", "\t", "  \t"])
def test_spaces_around_the_key_are_not_part_of_it(small_mock: str, padding: str) -> None:
    # Parsers differ (h11 trims them, httptools does not); the answer must not.
    body = json.dumps(minimal_body()).encode()
    request = raw_create(len(body), body, close=True, padding=padding)

    answer = raw_exchange(small_mock, request)

    assert status_of(answer) == 201, answer
