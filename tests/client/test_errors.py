"""create_assignment_source returns the created source or raises an error that explains itself."""

from __future__ import annotations

import asyncio
import json

import pytest
from statsig_console_client import AuthenticatedClient, errors
from statsig_console_client.api.assignment_sources import create_assignment_source as generated
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourceCreate,
    CreateAssignmentSourceResponse,
    ErrorResponse,
)
from statsig_console_client.types import Unset

from statsig_console import (
    AuthenticationError,
    FieldError,
    InvalidRequestError,
    MalformedResponseError,
    RateLimitedError,
    StatsigApiError,
    UnexpectedStatusError,
    build_client,
    create_assignment_source,
)

from .conftest import API_KEY, CREATE, both_modes, create, create_error, created_body, error_body
from .scripted_server import Reply, scripted_server

PATH = CREATE.path


@both_modes
def test_a_created_source_comes_back_typed(body: AssignmentSourceCreate, use_async: bool) -> None:
    with scripted_server(Reply(201, created_body("exposures4"))) as server:
        source = create(build_client(API_KEY, base_url=server.url), body, use_async=use_async)

    assert isinstance(source, AssignmentSource)
    assert source.name == "exposures4"
    assert source.id_type_mapping[0].statsig_unit_id == "stableID"
    # The answer leaves the owner out (created through the Console API): unset, not None.
    assert isinstance(source.owner, Unset)
    [request] = server.received
    assert request.path == PATH
    assert request.headers["statsig-api-key"] == API_KEY
    assert json.loads(request.body)["timestampColumn"] == "ts"
    assert "x-respect-review-settings" not in request.headers


def test_review_settings_are_sent_when_asked(body: AssignmentSourceCreate) -> None:
    with scripted_server(Reply(201, created_body())) as server:
        client = build_client(API_KEY, base_url=server.url)
        with client:
            create_assignment_source(client, body, respect_review_settings=True)

    assert server.received[0].headers["x-respect-review-settings"] == "true"


@both_modes
@pytest.mark.parametrize(
    ("status", "error_class", "message"),
    [
        (
            400,
            InvalidRequestError,
            "Invalid request. Please check the request input and try again.",
        ),
        (401, AuthenticationError, "This endpoint only accepts an active CONSOLE key."),
        (429, RateLimitedError, "Too many requests. Please retry after 10 seconds."),
    ],
)
def test_documented_errors_have_their_own_type(
    body: AssignmentSourceCreate,
    use_async: bool,
    status: int,
    error_class: type[StatsigApiError],
    message: str,
) -> None:
    with scripted_server(Reply(status, error_body(status, message))) as server:
        client = build_client(API_KEY, base_url=server.url, retry=None)
        with pytest.raises(error_class) as caught:
            create(client, body, use_async=use_async)

    error = caught.value
    assert error.status == status
    assert error.message == message
    assert error.response.status_code == status
    assert error.response.json()["message"] == message
    assert message in str(error)
    assert f"HTTP {status}" in str(error)
    assert server.attempts == 1


def test_a_rate_limit_error_tells_how_long_to_wait(body: AssignmentSourceCreate) -> None:
    reply = Reply(429, error_body(429, "Too many requests."), {"Retry-After": "900"})
    error = create_error(reply, body, RateLimitedError)

    assert error.retry_after == 900.0
    assert error.attempts == 1
    assert "more than max_retry_after" in str(error)


@both_modes
@pytest.mark.parametrize("status", [200, 418, 500, 502, 503, 504, 520, 599])
def test_any_other_status_is_an_unexpected_status_error(
    body: AssignmentSourceCreate, use_async: bool, status: int
) -> None:
    reply = Reply(status, "<html>origin error</html>")
    error = create_error(reply, body, UnexpectedStatusError, use_async=use_async, retry=None)

    assert error.status == status
    assert error.message == "<html>origin error</html>"
    assert f"HTTP {status}" in str(error)


@pytest.mark.parametrize(
    "reply",
    [
        Reply(201, "not json"),
        Reply(201, {"message": "created"}),
        Reply(201, {"message": "created", "data": "exposures4"}),
        Reply(201, []),
    ],
    ids=["not-json", "no-data", "data-not-an-object", "a-list"],
)
def test_a_201_that_does_not_match_the_spec_says_so(
    body: AssignmentSourceCreate, reply: Reply
) -> None:
    error = create_error(reply, body, MalformedResponseError)

    assert error.status == 201
    assert "does not match the spec" in str(error)


def test_an_error_body_that_is_not_statsigs_is_quoted_briefly(body: AssignmentSourceCreate) -> None:
    page = "<html>" + "x" * 5000 + "</html>"
    error = create_error(Reply(400, page), body, InvalidRequestError)

    assert error.message.startswith("<html>xxx")
    assert error.message.endswith("...")
    assert len(error.message) < 400


def test_an_empty_error_body_is_named(body: AssignmentSourceCreate) -> None:
    error = create_error(Reply(401, ""), body, AuthenticationError)

    assert error.message == "(empty body)"
    assert "Console API key" in str(error)


# The generated functions keep working, and with this project's templates they raise
# instead of returning None or crashing on a status outside HTTPStatus.


@pytest.mark.parametrize("status", [418, 520, 599])
def test_generated_sync_detailed_raises_unexpected_status(
    body: AssignmentSourceCreate, status: int
) -> None:
    with scripted_server(Reply(status, "<html>cf</html>")) as server:
        client = AuthenticatedClient(base_url=server.url, token=API_KEY)
        with pytest.raises(errors.UnexpectedStatus) as caught, client:
            generated.sync_detailed(client=client, body=body)

    assert caught.value.status_code == status


@pytest.mark.parametrize("status", [418, 520])
def test_generated_sync_raises_instead_of_returning_none(
    body: AssignmentSourceCreate, status: int
) -> None:
    with scripted_server(Reply(status, "teapot")) as server:
        client = AuthenticatedClient(base_url=server.url, token=API_KEY)
        with pytest.raises(errors.UnexpectedStatus), client:
            generated.sync(client=client, body=body)


def test_generated_asyncio_detailed_raises_on_520(body: AssignmentSourceCreate) -> None:
    async def run(url: str) -> None:
        async with AuthenticatedClient(base_url=url, token=API_KEY) as client:
            await generated.asyncio_detailed(client=client, body=body)

    with scripted_server(Reply(520, "origin")) as server, pytest.raises(errors.UnexpectedStatus):
        asyncio.run(run(server.url))


def test_generated_sync_still_returns_parsed_bodies(body: AssignmentSourceCreate) -> None:
    with scripted_server(Reply(201, created_body()), Reply(400, error_body(400, "bad"))) as server:
        client = build_client(API_KEY, base_url=server.url)
        with client:
            created = generated.sync(client=client, body=body)
            rejected = generated.sync_detailed(client=client, body=body)

    assert isinstance(created, CreateAssignmentSourceResponse)
    assert created.data.name == "exposures4"
    assert rejected.status_code == 400
    assert isinstance(rejected.parsed, ErrorResponse)
    assert rejected.parsed.message == "bad"


FIELD_ERRORS = CREATE.responses[400].examples["field_errors"]


@both_modes
def test_field_errors_come_as_typed_pairs(body: AssignmentSourceCreate, use_async: bool) -> None:
    error = create_error(Reply(400, FIELD_ERRORS), body, InvalidRequestError, use_async=use_async)

    expected = tuple(
        FieldError(property=entry["property"], message=entry["errorMessage"])
        for entry in FIELD_ERRORS["errors"]
    )
    assert error.errors == expected
    assert error.errors[0].property == "idTypeMapping"
    assert "(idTypeMapping: idTypeMapping must be an array; timestampColumn: " in str(error)


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        (None, ()),
        ("not a list", ()),
        ([], ()),
        (["text", 3, None], ()),
        ([{"property": "sql"}], (FieldError(property="sql", message=""),)),
        ([{"errorMessage": "bad", "property": 7}], (FieldError(property="", message="bad"),)),
    ],
    ids=["absent", "not a list", "empty", "no objects", "no message", "no property"],
)
def test_field_errors_that_are_not_statsigs_shape_do_not_break_the_error(
    body: AssignmentSourceCreate, errors: object, expected: tuple[FieldError, ...]
) -> None:
    answer: dict[str, object] = {"status": 400, "message": "Invalid request."}
    if errors is not None:
        answer["errors"] = errors
    error = create_error(Reply(400, answer), body, InvalidRequestError)

    assert error.errors == expected
    assert error.message == "Invalid request."


def test_a_key_echoed_in_a_field_error_is_masked(body: AssignmentSourceCreate) -> None:
    answer = {
        "status": 400,
        "message": "Invalid request.",
        "errors": [{"property": f"key {API_KEY}", "errorMessage": f"{API_KEY} is not allowed"}],
    }
    error = create_error(Reply(400, answer), body, InvalidRequestError)

    assert API_KEY not in str(error)
    assert API_KEY not in repr(error.errors)
    assert error.errors[0].message.endswith("is not allowed")


def test_errors_name_the_operation_that_failed(body: AssignmentSourceCreate) -> None:
    error = create_error(Reply(400, error_body(400, "Invalid request.")), body, InvalidRequestError)

    assert error.operation_id == "createAssignmentSource"
    assert str(error) == (
        "Statsig rejected the request to create the assignment source as invalid "
        "(HTTP 400 Bad Request): Invalid request."
    )
