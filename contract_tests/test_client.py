"""The generated client, used as users import it, against the mock over HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import create_assignment_source
from statsig_console_client.errors import UnexpectedStatus
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourceCreate,
    CreateAssignmentSourceResponse,
    ErrorResponse,
    Owner,
)
from statsig_console_client.types import UNSET

from statsig_console_mock import (
    DEFAULT_API_KEY,
    MockSettings,
    RateLimitSettings,
    RateWindow,
    create_app,
)
from statsig_console_mock.testing import run_mock_server

from .api import example
from .endpoints import CREATE
from .session import unique_name


def mock_client(base_url: str, token: str = DEFAULT_API_KEY) -> AuthenticatedClient:
    """The generated client as users build it, redirects off whatever its default.

    A followed redirect would carry the key to wherever the answer points.
    """
    return AuthenticatedClient(base_url=base_url, token=token, follow_redirects=False)


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    with run_mock_server(MockSettings()) as base_url:
        yield base_url


@pytest.fixture
def client(mock_url: str) -> Iterator[AuthenticatedClient]:
    with mock_client(mock_url, DEFAULT_API_KEY) as authenticated:
        yield authenticated


def spec_body(example_name: str, name: str | None = None) -> AssignmentSourceCreate:
    """One of the spec's own create examples, under a fresh name unless one is given."""
    return AssignmentSourceCreate.from_dict(
        {**example(CREATE, example_name), "name": name or unique_name()}
    )


def minimal_body(name: str | None = None) -> AssignmentSourceCreate:
    return spec_body("minimal", name)


def complete_body() -> AssignmentSourceCreate:
    # Every optional field set.
    return spec_body("complete")


def created(result: CreateAssignmentSourceResponse | ErrorResponse | None) -> AssignmentSource:
    assert isinstance(result, CreateAssignmentSourceResponse), result
    return result.data


def stored(mock_url: str) -> list[dict[str, Any]]:
    sources: list[dict[str, Any]] = httpx.get(f"{mock_url}/_mock/sources").json()
    return sources


def test_every_request_field_round_trips(client: AuthenticatedClient, mock_url: str) -> None:
    body = complete_body()

    data = created(create_assignment_source.sync(client=client, body=body))

    assert data.to_dict() == body.to_dict()
    assert isinstance(data.owner, Owner)
    assert data.owner.owner_email == "ada@example.com"
    assert data.id_type_mapping[1].statsig_unit_id == "companyID"
    assert body.to_dict() in stored(mock_url)


def test_omitted_fields_come_back_with_statsig_defaults(client: AuthenticatedClient) -> None:
    data = created(create_assignment_source.sync(client=client, body=minimal_body()))

    assert data.description == ""
    assert data.tags == []
    # Left out, the nullable fields come back absent or null: the spec allows both
    # (Statsig's examples show each), so the client must read either.
    for value in (data.owner, data.team, data.team_id):
        assert value is None or value is UNSET
    assert data.group_name_column is UNSET


def test_null_owner_and_team_round_trip(client: AuthenticatedClient) -> None:
    body = minimal_body()
    body.owner = None
    body.team = None
    body.team_id = None

    response = create_assignment_source.sync_detailed(client=client, body=body)

    raw = json.loads(response.content)["data"]
    assert (raw["owner"], raw["team"], raw["teamID"]) == (None, None, None)
    data = created(response.parsed)
    assert (data.owner, data.team, data.team_id) == (None, None, None)


def test_a_dry_run_returns_the_source_and_stores_nothing(
    client: AuthenticatedClient, mock_url: str
) -> None:
    body = minimal_body()
    body.dry_run = True

    data = created(create_assignment_source.sync(client=client, body=body))

    assert data.name == body.name
    assert "dryRun" not in data.to_dict()
    assert all(source["name"] != body.name for source in stored(mock_url))


def test_a_400_parses_to_the_error_model(client: AuthenticatedClient) -> None:
    body = minimal_body()
    created(create_assignment_source.sync(client=client, body=body))

    response = create_assignment_source.sync_detailed(client=client, body=body)

    assert response.status_code == 400
    assert isinstance(response.parsed, ErrorResponse)
    assert response.parsed.status == 400
    assert "already exists" in response.parsed.message


def test_a_401_parses_to_the_error_model(mock_url: str) -> None:
    wrong_key = "console-not-a-key-of-this-mock"
    with mock_client(mock_url, wrong_key) as client:
        result = create_assignment_source.sync(client=client, body=minimal_body())

    assert isinstance(result, ErrorResponse)
    assert result.status == 401
    assert wrong_key not in result.message


def test_a_429_parses_to_the_error_model_with_retry_after() -> None:
    settings = MockSettings(rate_limit=RateLimitSettings(windows=(RateWindow(1, 60.0),)))
    with (
        run_mock_server(settings) as base_url,
        mock_client(base_url, DEFAULT_API_KEY) as client,
    ):
        created(create_assignment_source.sync(client=client, body=minimal_body()))
        response = create_assignment_source.sync_detailed(client=client, body=minimal_body())

    assert response.status_code == 429
    assert isinstance(response.parsed, ErrorResponse)
    assert response.parsed.status == 429
    assert int(response.headers["Retry-After"]) > 0


class _AddResponseFields:
    """Adds fields the spec does not list, as a newer Statsig might."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        start: Message = {}

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            payload = json.loads(message["body"])
            payload["requestID"] = "req-1"
            if "data" in payload:
                payload["data"]["id"] = "4nYbZ2xS1Yc8rJ2dGiGnbs"
                payload["data"]["createdTime"] = 1733000000000
            body = json.dumps(payload).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)


def test_extra_response_fields_are_tolerated_and_kept() -> None:
    app = create_app(MockSettings())
    app.add_middleware(_AddResponseFields)
    with (
        run_mock_server(app=app) as base_url,
        mock_client(base_url, DEFAULT_API_KEY) as client,
    ):
        result = create_assignment_source.sync(client=client, body=minimal_body())

    assert isinstance(result, CreateAssignmentSourceResponse)
    assert result.additional_properties == {"requestID": "req-1"}
    assert result.data.additional_properties == {
        "id": "4nYbZ2xS1Yc8rJ2dGiGnbs",
        "createdTime": 1733000000000,
    }
    assert result.data.to_dict()["id"] == "4nYbZ2xS1Yc8rJ2dGiGnbs"


def test_the_async_functions_behave_like_the_sync_ones(mock_url: str) -> None:
    body = complete_body()
    duplicate = minimal_body()

    async def scenario() -> tuple[
        CreateAssignmentSourceResponse | ErrorResponse | None,
        int,
        CreateAssignmentSourceResponse | ErrorResponse | None,
    ]:
        async with mock_client(mock_url, DEFAULT_API_KEY) as client:
            first = await create_assignment_source.asyncio(client=client, body=body)
            await create_assignment_source.asyncio(client=client, body=duplicate)
            again = await create_assignment_source.asyncio_detailed(client=client, body=duplicate)
            return first, again.status_code, again.parsed

    first, status, error = asyncio.run(scenario())

    assert created(first).to_dict() == body.to_dict()
    assert status == 400
    assert isinstance(error, ErrorResponse)
    assert "already exists" in error.message


def test_a_redirect_is_returned_not_followed() -> None:
    reached: list[str] = []

    async def elsewhere(request: Request) -> Response:
        reached.append(request.url.path)
        return Response(status_code=201)

    other = Starlette(routes=[Route("/{path:path}", elsewhere, methods=["GET", "POST"])])
    with run_mock_server(app=other) as other_url:

        async def moved(request: Request) -> Response:
            return Response(status_code=307, headers={"Location": other_url + request.url.path})

        api = Starlette(routes=[Route("/{path:path}", moved, methods=["POST"])])
        with (
            run_mock_server(app=api) as api_url,
            mock_client(api_url) as client,
            pytest.raises(UnexpectedStatus) as raised,
        ):
            create_assignment_source.sync_detailed(client=client, body=minimal_body())

    assert raised.value.status_code == 307
    assert reached == []
