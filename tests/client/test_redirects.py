"""A redirect is never followed: the key goes only to the base URL's host."""

from __future__ import annotations

import asyncio

import pytest
from statsig_console_client import errors
from statsig_console_client.api.assignment_sources import create_assignment_source as generated
from statsig_console_client.models import AssignmentSourceCreate

from statsig_console import UnexpectedStatusError, build_client

from .conftest import API_KEY, CREATE, both_modes, create, create_error, created_body
from .scripted_server import Reply, scripted_server


@both_modes
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_an_error_naming_the_location_and_is_not_followed(
    body: AssignmentSourceCreate, use_async: bool, status: int
) -> None:
    with scripted_server(Reply(201, created_body())) as elsewhere:
        location = elsewhere.url + CREATE.path
        with scripted_server(Reply(status, "", {"Location": location})) as server:
            client = build_client(API_KEY, base_url=server.url)
            with pytest.raises(UnexpectedStatusError) as caught:
                create(client, body, use_async=use_async)

    assert elsewhere.attempts == 0
    assert server.attempts == 1
    assert caught.value.status == status
    assert f"redirected to {location}, not followed" in str(caught.value)
    assert f"the API key is sent only to {server.url}" in caught.value.message


def test_a_location_holding_a_key_is_redacted(body: AssignmentSourceCreate) -> None:
    reply = Reply(307, "", {"Location": f"http://127.0.0.1:1/?key={API_KEY}"})
    error = create_error(reply, body, UnexpectedStatusError)

    assert API_KEY not in str(error)
    assert "key=[redacted]" in error.message


def test_a_built_client_does_not_follow_redirects_for_the_generated_functions_either(
    body: AssignmentSourceCreate,
) -> None:
    with scripted_server(Reply(201, created_body())) as elsewhere:
        redirect = Reply(307, "", {"Location": elsewhere.url + CREATE.path})
        with scripted_server(redirect, redirect) as server:
            client = build_client(API_KEY, base_url=server.url)
            with pytest.raises(errors.UnexpectedStatus) as sync_caught, client:
                generated.sync_detailed(client=client, body=body)

            async def run() -> None:
                async with client:
                    await generated.asyncio_detailed(client=client, body=body)

            with pytest.raises(errors.UnexpectedStatus) as async_caught:
                asyncio.run(run())

    assert (sync_caught.value.status_code, async_caught.value.status_code) == (307, 307)
    assert server.attempts == 2
    assert elsewhere.attempts == 0
