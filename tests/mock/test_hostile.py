"""No client input yields a 5xx or stops the server."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statsig_console_mock import DEFAULT_API_KEY

from .helpers import ENDPOINT, SpecChecker, minimal_body, parse_raw, raw_exchange, status_of

HEADERS = {"STATSIG-API-KEY": DEFAULT_API_KEY}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
field_names = st.sampled_from([*minimal_body(), "owner", "tags", "dryRun", "team"])


@pytest.fixture(scope="module")
def http(shared_mock_url: str) -> Any:
    with httpx.Client(base_url=shared_mock_url, headers=HEADERS) as client:
        yield client


@FUZZ
@given(field=field_names, value=json_values)
def test_any_value_in_any_field(
    http: httpx.Client, checker: SpecChecker, field: str, value: Any
) -> None:
    body = minimal_body(**{field: value})

    response = http.post(
        ENDPOINT, content=json.dumps(body), headers={"content-type": "application/json"}
    )

    assert response.status_code in (201, 400)
    checker.check(response)


@FUZZ
@given(value=json_values)
def test_any_json_document(http: httpx.Client, checker: SpecChecker, value: Any) -> None:
    response = http.post(
        ENDPOINT, content=json.dumps(value), headers={"content-type": "application/json"}
    )

    assert response.status_code in (201, 400)
    checker.check(response)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_any_bytes(http: httpx.Client, checker: SpecChecker, raw: bytes) -> None:
    response = http.post(ENDPOINT, content=raw, headers={"content-type": "application/json"})

    assert response.status_code in (201, 400)
    checker.check(response)


header_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=80,
)


@FUZZ
@given(content_type=header_text, key=st.just(DEFAULT_API_KEY) | header_text)
def test_any_header_values(
    shared_mock_url: str, checker: SpecChecker, content_type: str, key: str
) -> None:
    body = json.dumps(minimal_body()).encode()
    # Raw bytes: HTTP clients refuse to send some of these values at all.
    request = (
        f"POST {ENDPOINT} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Type: {content_type}\r\nSTATSIG-API-KEY: {key}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1") + body

    response = parse_raw(raw_exchange(shared_mock_url, request))

    assert response.status_code in (400, 401)
    message = checker.check(response)["message"]
    received = key.strip(" \t")
    if "Key: " in message:
        shown = message.split("Key: ", 1)[1]
        assert shown.endswith("...")
        assert len(shown) - 3 < len(received)


_POST = b"POST " + ENDPOINT.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
GARBAGE_REQUESTS = {
    "not-http": b"GARBAGE\r\n\r\n",
    "unknown-version": b"POST / HTTP/9.9\r\n\r\n",
    "negative-length": _POST + b"Content-Length: -1\r\n\r\n",
    "bad-chunk": _POST + b"Transfer-Encoding: chunked\r\n\r\nZZ\r\n",
    "length-and-chunked": _POST
    + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "huge-header": _POST + b"X: " + b"a" * 200_000 + b"\r\n\r\n",
    "odd-path": b"POST /"
    + b"%" * 5000
    + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    "binary": b"\x00\xff" * 100,
}


@pytest.mark.parametrize(
    "request_bytes", list(GARBAGE_REQUESTS.values()), ids=list(GARBAGE_REQUESTS)
)
def test_broken_http_leaves_the_server_serving(shared_mock_url: str, request_bytes: bytes) -> None:
    try:
        answer = raw_exchange(shared_mock_url, request_bytes, timeout=10)
    except (TimeoutError, ConnectionResetError, BrokenPipeError):
        answer = b""
    if answer:
        assert status_of(answer) < 500

    response = httpx.post(f"{shared_mock_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)
    assert response.status_code == 201
