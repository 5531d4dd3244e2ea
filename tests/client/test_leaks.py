"""The API key never shows: not in a repr, not in an error message, not in DEBUG logs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import traceback
from collections.abc import Callable

import attrs
import httpx
import pytest
from statsig_console_client import AuthenticatedClient, errors
from statsig_console_client.api.assignment_sources import create_assignment_source as generated
from statsig_console_client.models import (
    AssignmentSourceCreate,
    AssignmentSourcePatch,
    AssignmentSourceUpdate,
)

from statsig_console import (
    AuthenticationError,
    InvalidRequestError,
    RetryPolicy,
    StatsigApiError,
    UnexpectedStatusError,
    build_client,
    create_assignment_source,
    create_assignment_source_async,
    delete_assignment_source,
    get_assignment_source,
    list_assignment_sources,
    patch_assignment_source,
    update_assignment_source,
)
from tests.loopback import raw_server

from .conftest import API_KEY, UPDATE, both_modes, create, create_error, created_body, error_body
from .scripted_server import Reply, scripted_server

# Long enough that no fragment of it appears anywhere by chance.
SECRET_FRAGMENT = API_KEY.removeprefix("console-")

ECHOING_401 = error_body(
    401,
    "This endpoint only accepts an active CONSOLE key, but an invalid key was sent. "
    f"Key: {API_KEY}",
)


def assert_no_key(text: str) -> None:
    assert SECRET_FRAGMENT not in text


def object_texts(client: AuthenticatedClient) -> list[str]:
    return [repr(client), str(client), f"{client}", f"{client!r}"]


def test_the_client_repr_hides_the_key_before_and_after_requests(
    body: AssignmentSourceCreate,
) -> None:
    with scripted_server(Reply(201, created_body()), Reply(201, created_body())) as server:
        client = build_client(API_KEY, base_url=server.url)
        before = object_texts(client)
        with client:
            create_assignment_source(client, body)

        async def run() -> None:
            async with client:
                await create_assignment_source_async(client, body)

        asyncio.run(run())
        after = object_texts(client)

    # The request really carried the key, so the checks below are not vacuous.
    assert server.received[0].headers["statsig-api-key"] == API_KEY
    for text in before + after:
        assert_no_key(text)
    assert "STATSIG-API-KEY" in after[0]


def test_copies_of_the_client_hide_the_key(body: AssignmentSourceCreate) -> None:
    with scripted_server(Reply(201, created_body())) as server:
        client = build_client(API_KEY, base_url=server.url)
        with client:
            create_assignment_source(client, body)
        copies = [
            client.with_headers({"x-team": "growth"}),
            client.with_cookies({"session": "1"}),
            client.with_timeout(httpx.Timeout(3.0)),
            attrs.evolve(client),
        ]

    for copy in copies:
        assert copy.token == API_KEY
        for text in object_texts(copy):
            assert_no_key(text)


def test_the_plain_generated_client_hides_the_key_too() -> None:
    client = AuthenticatedClient(base_url="http://127.0.0.1:1", token=API_KEY)
    client.get_httpx_client()  # this is when the generator puts the key in the headers

    assert_no_key(repr(client))


def test_the_retry_objects_hold_no_key() -> None:
    client = build_client(API_KEY, retry=RetryPolicy(max_attempts=2))
    transport = client.get_httpx_client()._transport

    assert_no_key(repr(transport))


@pytest.mark.parametrize(
    "reply",
    [
        Reply(401, ECHOING_401),
        Reply(401, f"<html>bad key {API_KEY}</html>"),
        Reply(520, f"proxy saw STATSIG-API-KEY: {API_KEY}"),
        Reply(201, {"message": f"created with {API_KEY}"}),
        Reply(400, "x" * 290 + API_KEY),
    ],
    ids=["statsig-401", "html-401", "520", "malformed-201", "key-at-the-excerpt-cut"],
)
def test_error_messages_hide_a_key_the_server_echoes(
    body: AssignmentSourceCreate, reply: Reply
) -> None:
    error = create_error(reply, body, StatsigApiError)

    assert API_KEY in error.response.text  # the server did echo it
    for text in (str(error), repr(error), error.message, *map(str, error.args)):
        assert_no_key(text)
    assert "console-" not in error.message.replace("console-[redacted]", "")


def test_the_401_explains_without_the_key(body: AssignmentSourceCreate) -> None:
    error = create_error(Reply(401, ECHOING_401), body, AuthenticationError)

    assert "an invalid key was sent. Key: [redacted]" in str(error)


def test_a_key_in_an_unrelated_shape_is_still_redacted_exactly(
    body: AssignmentSourceCreate,
) -> None:
    # A key that does not look like a Console key is caught by exact match.
    odd_key = "secret-9f8e7d6c5b4a"
    error = create_error(
        Reply(401, error_body(401, f"Key: {odd_key}")), body, AuthenticationError, key=odd_key
    )

    assert odd_key not in str(error)


def test_debug_logs_never_show_the_key(
    body: AssignmentSourceCreate, caplog: pytest.LogCaptureFixture
) -> None:
    script = [
        Reply(429, error_body(429, "slow down"), {"Retry-After": "0"}),
        Reply(201, created_body()),
        Reply(401, ECHOING_401),
        Reply(201, created_body()),
    ]
    caplog.set_level(logging.DEBUG)
    with scripted_server(*script) as server:
        client = build_client(API_KEY, base_url=server.url)
        with client:
            create_assignment_source(client, body)
            with pytest.raises(AuthenticationError):
                create_assignment_source(client, body)
            generated.sync_detailed(client=client, body=body)

    loggers = {record.name.split(".")[0] for record in caplog.records}
    # httpx and httpcore did log at DEBUG (request and response headers events
    # included), and so did the retry; none of it holds the key.
    assert {"httpx", "httpcore", "statsig_console"} <= loggers
    assert any("send_request_headers" in record.getMessage() for record in caplog.records)
    for record in caplog.records:
        assert_no_key(record.getMessage())
    assert_no_key(caplog.text)


def test_set_httpx_client_keeps_the_key_in_the_header(body: AssignmentSourceCreate) -> None:
    with scripted_server(Reply(201, created_body()), Reply(201, created_body())) as server:
        client = AuthenticatedClient(base_url=server.url, token=API_KEY)
        client.set_httpx_client(httpx.Client(base_url=server.url))
        with client:
            generated.sync_detailed(client=client, body=body)

        async def run() -> None:
            client.set_async_httpx_client(httpx.AsyncClient(base_url=server.url))
            async with client:
                await generated.asyncio_detailed(client=client, body=body)

        asyncio.run(run())

    assert [r.headers.get("statsig-api-key") for r in server.received] == [API_KEY, API_KEY]
    assert_no_key(repr(client))


def test_transport_errors_hold_no_key(body: AssignmentSourceCreate) -> None:
    client = build_client(API_KEY, base_url="http://127.0.0.1:1", retry=RetryPolicy(max_attempts=1))

    with pytest.raises(httpx.ConnectError) as caught, client:
        create_assignment_source(client, body)

    assert_no_key(str(caught.value))
    assert_no_key(repr(caught.value))


@pytest.mark.parametrize("status", [520, 599])
def test_a_status_outside_httpstatus_is_described_without_a_phrase(status: int) -> None:
    response = httpx.Response(status, text="ok", request=httpx.Request("POST", "http://x"))

    error = UnexpectedStatusError(status=status, message="origin error", response=response)

    assert str(error).endswith(f"(HTTP {status}): origin error")


def test_anything_shaped_like_a_console_key_is_redacted(body: AssignmentSourceCreate) -> None:
    # Another key than the one sent (a stale one from a proxy or a log line) is a
    # secret as well.
    other = "console-0therK3yFromS0mewhere"
    error = create_error(Reply(401, error_body(401, f"Key: {other}")), body, AuthenticationError)

    assert error.message == "Key: console-[redacted]"


# Responses so malformed that httpcore quotes the offending bytes in its error; here
# a server or proxy echoed the key into them.
MALFORMED = {
    "status-line": b"HTTP/1.1 2x0 " + API_KEY.encode() + b"\r\nContent-Length: 0\r\n\r\n",
    "header-line": (
        b"HTTP/1.1 201 Created\r\nX-Echo " + API_KEY.encode() + b"\r\nContent-Length: 0\r\n\r\n"
    ),
    "chunk-header": (
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\nzz " + API_KEY.encode() + b"\r\n"
    ),
}


def _error_texts(error: BaseException) -> list[str]:
    notes = getattr(error, "__notes__", ())
    shown = "".join(traceback.format_exception(error))
    return [str(error), repr(error), *notes, *map(str, error.args), shown]


@pytest.mark.parametrize("reply", MALFORMED.values(), ids=MALFORMED.keys())
def test_httpx_alone_would_show_the_key_of_a_malformed_response(reply: bytes) -> None:
    # The premise of the test below: without this project's transport, it shows.
    with (
        raw_server(reply) as url,
        httpx.Client(base_url=url) as plain,
        pytest.raises(httpx.RemoteProtocolError) as caught,
    ):
        plain.post("/", headers={"STATSIG-API-KEY": API_KEY})

    assert SECRET_FRAGMENT in str(caught.value)


@both_modes
@pytest.mark.parametrize("retry", [RetryPolicy(), None], ids=["retrying", "no-retry"])
@pytest.mark.parametrize("reply", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_response_is_reported_without_the_key(
    body: AssignmentSourceCreate, use_async: bool, retry: RetryPolicy | None, reply: bytes
) -> None:
    with raw_server(reply) as url:
        client = build_client(API_KEY, base_url=url, retry=retry)
        with pytest.raises(httpx.RemoteProtocolError) as caught:
            create(client, body, use_async=use_async)

    for text in _error_texts(caught.value):
        assert_no_key(text)
    assert "console-[redacted]" in str(caught.value)


def test_the_generated_unexpected_status_does_not_quote_the_body(
    body: AssignmentSourceCreate,
) -> None:
    with scripted_server(Reply(500, f"proxy saw STATSIG-API-KEY: {API_KEY}")) as server:
        client = AuthenticatedClient(base_url=server.url, token=API_KEY)
        with pytest.raises(errors.UnexpectedStatus) as caught, client:
            generated.sync_detailed(client=client, body=body)

    assert API_KEY.encode() in caught.value.content  # kept raw, as documented
    for text in _error_texts(caught.value):
        assert_no_key(text)
    assert str(caught.value).startswith("Unexpected status code: 500")


def _created_reply(reason: bytes, extra_header: bytes) -> bytes:
    payload = json.dumps(created_body()).encode()
    return (
        b"HTTP/1.1 201 "
        + reason
        + b"\r\nContent-Type: application/json\r\n"
        + extra_header
        + b"Content-Length: "
        + str(len(payload)).encode()
        + b"\r\n\r\n"
        + payload
    )


ECHOING_REPLIES = {
    "reason-phrase": _created_reply(b"Created for " + API_KEY.encode(), b""),
    "response-header": _created_reply(b"Created", b"X-Echo: " + API_KEY.encode() + b"\r\n"),
    **MALFORMED,
}


@both_modes
@pytest.mark.parametrize("reply", ECHOING_REPLIES.values(), ids=ECHOING_REPLIES.keys())
def test_the_http_stacks_logs_mask_a_key_the_server_echoes(
    body: AssignmentSourceCreate, caplog: pytest.LogCaptureFixture, use_async: bool, reply: bytes
) -> None:
    caplog.set_level(logging.DEBUG)
    with raw_server(reply) as url:
        client = build_client(API_KEY, base_url=url)
        with contextlib.suppress(httpx.RemoteProtocolError):
            create(client, body, use_async=use_async)

    # httpcore logged what the server sent (headers, reason phrase or the error)...
    logged = [r for r in caplog.records if r.name.startswith(("httpcore", "httpx"))]
    assert any("console-[redacted]" in record.getMessage() for record in logged)
    # ... and no record, of any logger, shows the key.
    for record in caplog.records:
        assert_no_key(record.getMessage())
    assert_no_key(caplog.text)


def _lifecycle_calls() -> dict[str, Callable[[AuthenticatedClient], object]]:
    update = AssignmentSourceUpdate.from_dict(UPDATE.body_examples["new_query"])
    return {
        "list": lambda client: list(list_assignment_sources(client)),
        "get": lambda client: get_assignment_source(client, "exposures4"),
        "update": lambda client: update_assignment_source(client, "exposures4", update),
        "patch": lambda client: patch_assignment_source(
            client, "exposures4", AssignmentSourcePatch(tags=["x"])
        ),
        "delete": lambda client: delete_assignment_source(client, "exposures4"),
    }


@pytest.mark.parametrize("operation", list(_lifecycle_calls()))
@pytest.mark.parametrize("status", [400, 401, 404])
def test_lifecycle_errors_hide_a_key_the_server_echoes(operation: str, status: int) -> None:
    echoing = {
        "status": status,
        "message": f"Key: {API_KEY}",
        "errors": [{"property": API_KEY, "errorMessage": f"was {API_KEY}"}],
    }
    with scripted_server(Reply(status, echoing)) as server:
        client = build_client(API_KEY, base_url=server.url)
        with pytest.raises(StatsigApiError) as caught, client:
            _lifecycle_calls()[operation](client)

    error = caught.value
    texts = [str(error), repr(error), error.message, *map(str, error.args)]
    if isinstance(error, InvalidRequestError):
        texts += [repr(error.errors)]
    for text in texts:
        assert_no_key(text)
