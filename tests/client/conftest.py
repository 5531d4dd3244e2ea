"""Shared fixtures of the production-layer tests."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import pytest
from statsig_console_client import AuthenticatedClient
from statsig_console_client.models import AssignmentSource, AssignmentSourceCreate

from statsig_console import create_assignment_source, create_assignment_source_async, spec
from tests.fakes import FakeTime

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
