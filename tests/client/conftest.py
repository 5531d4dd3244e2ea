"""Shared fixtures of the production-layer tests."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest
from statsig_console_client import AuthenticatedClient
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourceCreate,
    AssignmentSourcePatch,
    AssignmentSourceUpdate,
)

from statsig_console import (
    RetryPolicy,
    RetryTransport,
    build_client,
    create_assignment_source,
    create_assignment_source_async,
    spec,
)
from statsig_console._transport import DEFAULT_RETRY
from tests.fakes import FakeTime

from .scripted_server import Reply, scripted_server

T = TypeVar("T")
E = TypeVar("E", bound=BaseException)

CREATE = spec.load().operation("createAssignmentSource")

# Shaped like a real Console key, so that the pattern-based redaction is exercised
# as well as the exact-match one.
API_KEY = "console-T3stK3yN0tR3al9Qx"


def created_body(name: str = "exposures4") -> dict[str, Any]:
    """The spec's example 201 body, for a source named ``name``."""
    body: dict[str, Any] = copy.deepcopy(CREATE.success.examples["created"])
    body["data"]["name"] = name
    return body


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"status": status, "message": message}


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def body() -> AssignmentSourceCreate:
    """The spec's minimal example request (named exposures4), typed."""
    return AssignmentSourceCreate.from_dict(CREATE.body_examples["minimal"])


both_modes = pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])


def create(
    client: AuthenticatedClient, body: AssignmentSourceCreate, *, use_async: bool
) -> AssignmentSource:
    """Create through the sync or the async function, closing the client after."""
    if use_async:

        async def run() -> AssignmentSource:
            async with client:
                return await create_assignment_source_async(client, body)

        return asyncio.run(run())
    with client:
        return create_assignment_source(client, body)


def create_error(
    reply: Reply,
    body: AssignmentSourceCreate,
    expected: type[E],
    *,
    use_async: bool = False,
    key: str = API_KEY,
    retry: RetryPolicy | None = DEFAULT_RETRY,
) -> E:
    """The ``expected`` error a create raises when the server answers ``reply``."""
    with scripted_server(reply) as server:
        client = build_client(key, base_url=server.url, retry=retry)
        with pytest.raises(expected) as caught:
            create(client, body, use_async=use_async)
    return caught.value


UPDATE = spec.load().operation("updateAssignmentSource")
PATCH = spec.load().operation("patchAssignmentSource")
DELETE = spec.load().operation("deleteAssignmentSource")
LIST = spec.load().operation("listAssignmentSources")


def update_body(example: str = "new_query") -> AssignmentSourceUpdate:
    """One of the spec's update examples, typed."""
    return AssignmentSourceUpdate.from_dict(UPDATE.body_examples[example])


def patch_body(example: str = "mark_read_only") -> AssignmentSourcePatch:
    """One of the spec's patch examples, typed."""
    return AssignmentSourcePatch.from_dict(PATCH.body_examples[example])


def stored_body(operation: spec.Operation, name: str) -> dict[str, Any]:
    """The spec's example success body of an update or patch, for a source ``name``."""
    example: dict[str, Any] = copy.deepcopy(next(iter(operation.success.examples.values())))
    example["data"]["name"] = name
    return example


def deleted_body() -> dict[str, Any]:
    return copy.deepcopy(DELETE.success.examples["deleted"])


def page_body(names: list[str], *, number: int, size: int, last: bool) -> dict[str, Any]:
    """A list page shaped like the spec's example, holding sources named ``names``."""
    example = LIST.success.examples["first_page"]
    source = example["data"][0]

    def link(page: int) -> str:
        return f"{LIST.path}?page={page}&limit={size}"

    return {
        "message": example["message"],
        "data": [{**source, "name": name} for name in names],
        "pagination": {
            "itemsPerPage": size,
            "pageNumber": number,
            "nextPage": None if last else link(number + 1),
            "previousPage": None if number == 1 else link(number - 1),
        },
    }


def run(use_async: bool, sync: Callable[[], T], async_: Callable[[], Awaitable[T]]) -> T:
    """``sync()``, or ``async_()`` run to completion."""
    return asyncio.run(_awaited(async_)) if use_async else sync()


async def _awaited(make: Callable[[], Awaitable[T]]) -> T:
    return await make()


def fake_clock_client(url: str, fake_time: FakeTime, policy: RetryPolicy) -> AuthenticatedClient:
    """A client that retries as ``policy`` says, waiting on ``fake_time`` only."""
    transport = RetryTransport(
        policy,
        sleep=fake_time.sleep,
        async_sleep=fake_time.async_sleep,
        clock=fake_time.clock,
    )
    return AuthenticatedClient(
        base_url=url, token=API_KEY, timeout=httpx.Timeout(5.0), httpx_args={"transport": transport}
    )
