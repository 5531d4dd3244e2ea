"""Shared fixtures of the production-layer tests."""

from __future__ import annotations

import asyncio
from typing import Any

import attrs
import pytest
from statsig_console_client import AuthenticatedClient
from statsig_console_client.models import AssignmentSource, AssignmentSourceCreate, IdTypeMapping

from statsig_console import create_assignment_source, create_assignment_source_async

# Shaped like a real Console key, so that the pattern-based redaction is exercised
# as well as the exact-match one.
API_KEY = "console-T3stK3yN0tR3al9Qx"


def created_body(name: str = "exposures4") -> dict[str, Any]:
    return {
        "message": "Assignment Source created successfully",
        "data": {
            "name": name,
            "description": "",
            "tags": [],
            "sql": "SELECT * FROM shoppy-sales.experiment_data.exposures",
            "timestampColumn": "ts",
            "experimentIDColumn": "experiment_name",
            "groupIDColumn": "group_id",
            "idTypeMapping": [{"statsigUnitID": "stableID", "column": "user_id"}],
            "owner": None,
            "team": None,
            "teamID": None,
        },
    }


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"status": status, "message": message}


@attrs.define
class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    now: float = 1000.0
    sleeps: list[float] = attrs.field(factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def body() -> AssignmentSourceCreate:
    return AssignmentSourceCreate(
        name="exposures4",
        sql="SELECT * FROM shoppy-sales.experiment_data.exposures",
        timestamp_column="ts",
        experiment_id_column="experiment_name",
        group_id_column="group_id",
        id_type_mapping=[IdTypeMapping(statsig_unit_id="stableID", column="user_id")],
    )


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
