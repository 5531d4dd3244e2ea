"""What each lifecycle operation may do after an ambiguous failure, sync and async alike.

An ambiguous failure is one the server may have acted on: a read timeout, a 502, a
504. Only a request that may be sent twice is retried after one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import httpx
import pytest
from statsig_console_client import AuthenticatedClient
from statsig_console_client.models import (
    AssignmentSourceCreate,
    AssignmentSourcePatch,
)

from statsig_console import (
    NotFoundError,
    RetryPolicy,
    UnexpectedStatusError,
    create_assignment_source,
    create_assignment_source_async,
    delete_assignment_source,
    delete_assignment_source_async,
    list_assignment_sources,
    list_assignment_sources_async,
    patch_assignment_source,
    patch_assignment_source_async,
    spec,
    update_assignment_source,
    update_assignment_source_async,
)
from statsig_console._repeatable import change_is_repeatable
from tests.fakes import FakeTime

from .conftest import (
    CREATE,
    PATCH,
    UPDATE,
    both_modes,
    created_body,
    deleted_body,
    error_body,
    fake_clock_client,
    page_body,
    patch_body,
    stored_body,
    update_body,
)
from .scripted_server import Reply, scripted_server

NAME = "exposures4"
# The names the spec's "rename" update and patch examples give the source.
UPDATE_RENAMED: str = UPDATE.body_examples["rename"]["name"]
PATCH_RENAMED: str = PATCH.body_examples["rename"]["name"]


def _dry_run_rename() -> Any:
    body = update_body("rename")
    body.dry_run = True
    return body


Sync = Callable[[AuthenticatedClient], object]
Async = Callable[[AuthenticatedClient], Awaitable[object]]


async def _listed(client: AuthenticatedClient) -> list[str]:
    return [source.name async for source in list_assignment_sources_async(client)]


# How an update and a patch are called, sync and async.
_CHANGE_CALLS: dict[str, tuple[Callable[..., object], Callable[..., Awaitable[object]]]] = {
    UPDATE.operation_id: (update_assignment_source, update_assignment_source_async),
    PATCH.operation_id: (patch_assignment_source, patch_assignment_source_async),
}


def _change(
    operation: spec.Operation, name: str, body: Callable[[], object], stored_as: str
) -> tuple[Sync, Async, dict[str, Any]]:
    """An update or patch of ``name`` sending a fresh ``body()``, answered with the
    source now named ``stored_as``."""
    call, call_async = _CHANGE_CALLS[operation.operation_id]
    return (
        lambda c: call(c, name, body()),
        lambda c: call_async(c, name, body()),
        stored_body(operation, stored_as),
    )


# Each operation: how to call it sync and async, and the answer it succeeds with.
OPERATIONS: dict[str, tuple[Sync, Async, dict[str, Any]]] = {
    "list": (
        lambda c: [s.name for s in list_assignment_sources(c)],
        _listed,
        page_body([NAME], number=1, size=100, last=True),
    ),
    "create": (
        lambda c: create_assignment_source(c, _create_body()),
        lambda c: create_assignment_source_async(c, _create_body()),
        created_body(),
    ),
    "update": _change(UPDATE, NAME, update_body, NAME),
    "update renaming": _change(UPDATE, NAME, partial(update_body, "rename"), UPDATE_RENAMED),
    "update renaming, dry run": _change(UPDATE, NAME, _dry_run_rename, UPDATE_RENAMED),
    "update keeping its name": _change(
        UPDATE, UPDATE_RENAMED, partial(update_body, "rename"), UPDATE_RENAMED
    ),
    "patch": _change(PATCH, NAME, patch_body, NAME),
    "patch renaming": _change(PATCH, NAME, partial(patch_body, "rename"), PATCH_RENAMED),
    "delete": (
        lambda c: delete_assignment_source(c, NAME),
        lambda c: delete_assignment_source_async(c, NAME),
        deleted_body(),
    ),
}
REPEATABLE = [
    "list",
    "update",
    "update renaming, dry run",
    "update keeping its name",
    "patch",
    "delete",
]
NOT_REPEATABLE = ["create", "update renaming", "patch renaming"]


def _create_body() -> Any:

    return AssignmentSourceCreate.from_dict(CREATE.body_examples["minimal"])


def perform(operation: str, client: AuthenticatedClient, *, use_async: bool) -> object:
    sync, async_, _ = OPERATIONS[operation]
    if use_async:

        async def run() -> object:
            async with client:
                return await async_(client)

        return asyncio.run(run())
    with client:
        return sync(client)


def client_for(
    url: str, fake_time: FakeTime, policy: RetryPolicy | None = None
) -> AuthenticatedClient:
    # A read that takes longer than 0.5 s times out; the scripted delay is 2.5 s. The
    # margin keeps an ordinary answer on a loaded machine from timing out as well.
    return fake_clock_client(url, fake_time, policy or RetryPolicy()).with_timeout(
        httpx.Timeout(5.0, read=0.5)
    )


def failure(kind: str, success: dict[str, Any]) -> Reply:
    if kind == "read timeout":
        return Reply(200, success, delay=2.5)
    status = int(kind)
    return Reply(status, error_body(status, "bad gateway"))


@both_modes
@pytest.mark.parametrize("kind", ["502", "504", "read timeout"])
@pytest.mark.parametrize("operation", REPEATABLE)
def test_a_repeatable_request_is_retried_after_an_ambiguous_failure(
    operation: str, kind: str, use_async: bool, fake_time: FakeTime
) -> None:
    success = OPERATIONS[operation][2]
    status = 201 if operation == "create" else 200
    with scripted_server(failure(kind, success), Reply(status, success)) as server:
        perform(operation, client_for(server.url, fake_time), use_async=use_async)

    assert server.attempts == 2
    assert len(fake_time.sleeps) == 1
    first, second = server.received
    assert (first.method, first.path, first.body) == (second.method, second.path, second.body)


@both_modes
@pytest.mark.parametrize("kind", ["502", "read timeout"])
@pytest.mark.parametrize("operation", NOT_REPEATABLE)
def test_a_create_or_rename_is_not_retried_after_an_ambiguous_failure(
    operation: str, kind: str, use_async: bool, fake_time: FakeTime
) -> None:
    success = OPERATIONS[operation][2]
    expected = httpx.ReadTimeout if kind == "read timeout" else UnexpectedStatusError
    with (
        scripted_server(failure(kind, success), Reply(200, success)) as server,
        pytest.raises(expected),
    ):
        perform(operation, client_for(server.url, fake_time), use_async=use_async)

    assert server.attempts == 1
    assert fake_time.sleeps == []


@both_modes
@pytest.mark.parametrize("operation", NOT_REPEATABLE)
def test_a_rate_limit_is_waited_out_by_every_operation(
    operation: str, use_async: bool, fake_time: FakeTime
) -> None:
    # A 429 was not processed at all, so even a create or a rename may be sent again.
    success = OPERATIONS[operation][2]
    status = 201 if operation == "create" else 200
    limited = Reply(429, error_body(429, "Too many requests."), {"Retry-After": "2"})
    with scripted_server(limited, Reply(status, success)) as server:
        perform(operation, client_for(server.url, fake_time), use_async=use_async)

    assert server.attempts == 2
    assert fake_time.sleeps == [2.0]


NOT_FOUND = Reply(404, error_body(404, "Not Found. The requested resource could not be found."))


@both_modes
@pytest.mark.parametrize("kind", ["502", "read timeout"])
def test_a_delete_whose_retry_finds_nothing_was_deleted(
    kind: str, use_async: bool, fake_time: FakeTime
) -> None:
    with scripted_server(failure(kind, deleted_body()), NOT_FOUND) as server:
        result = perform("delete", client_for(server.url, fake_time), use_async=use_async)

    assert result is None
    assert server.attempts == 2


@both_modes
def test_a_delete_that_finds_nothing_at_once_raises(use_async: bool, fake_time: FakeTime) -> None:
    with scripted_server(NOT_FOUND) as server, pytest.raises(NotFoundError) as caught:
        perform("delete", client_for(server.url, fake_time), use_async=use_async)

    assert server.attempts == 1
    assert "could not delete the assignment source" in str(caught.value)


@both_modes
def test_a_404_after_only_rate_limits_is_still_raised(use_async: bool, fake_time: FakeTime) -> None:
    # A 429 was not processed: the source never existed, whatever the retries.
    limited = Reply(429, error_body(429, "Too many requests."), {"Retry-After": "1"})
    with scripted_server(limited, NOT_FOUND) as server, pytest.raises(NotFoundError):
        perform("delete", client_for(server.url, fake_time), use_async=use_async)

    assert server.attempts == 2


@both_modes
def test_ambiguous_retries_can_be_switched_off(use_async: bool, fake_time: FakeTime) -> None:
    script = [Reply(502, error_body(502, "bad gateway")), Reply(200, deleted_body())]
    with scripted_server(*script) as server:
        client = client_for(server.url, fake_time, RetryPolicy(retry_ambiguous=False))
        with pytest.raises(UnexpectedStatusError) as caught:
            perform("delete", client, use_async=use_async)

    assert server.attempts == 1
    assert str(caught.value).startswith(
        "Statsig's Console API answered the request to delete the assignment source with an "
        "undocumented status (HTTP 502 Bad Gateway)"
    )


@both_modes
def test_a_500_is_not_retried_even_for_a_read(use_async: bool, fake_time: FakeTime) -> None:
    success = OPERATIONS["list"][2]
    script = [Reply(500, error_body(500, "internal")), Reply(200, success)]
    with scripted_server(*script) as server, pytest.raises(UnexpectedStatusError):
        perform("list", client_for(server.url, fake_time), use_async=use_async)

    assert server.attempts == 1


@both_modes
def test_ambiguous_failures_stop_at_max_attempts(use_async: bool, fake_time: FakeTime) -> None:
    script = [Reply(504, error_body(504, "timeout"))] * 3
    with scripted_server(*script) as server:
        client = client_for(server.url, fake_time, RetryPolicy(max_attempts=3))
        with pytest.raises(UnexpectedStatusError) as caught:
            perform("patch", client, use_async=use_async)

    assert server.attempts == 3
    assert "after 3 attempt(s); HTTP 504 on the last of max_attempts=3" in str(caught.value)


def test_patch_bodies_keep_their_own_rename_rule() -> None:
    # The same name in the body is no rename: such a patch stays repeatable.
    assert change_is_repeatable(NAME, AssignmentSourcePatch(name=NAME))
    assert change_is_repeatable(NAME, AssignmentSourcePatch(tags=["x"]))
    assert not change_is_repeatable(NAME, AssignmentSourcePatch(name="other"))
    assert change_is_repeatable(NAME, AssignmentSourcePatch(name="other", dry_run=True))
