"""Create an assignment source with the generated client, fully typed.

`mypy --strict` checks this file in the test suite: every value below has a precise
type, with no casts and no `Any`.

    STATSIG_CONSOLE_API_KEY=console-... python examples/typed_usage.py
"""

from __future__ import annotations

import os

from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import create_assignment_source
from statsig_console_client.models import (
    AssignmentSourceCreate,
    CreateAssignmentSourceResponse,
    ErrorResponse,
    IdTypeMapping,
)


def first_unit_id(result: CreateAssignmentSourceResponse | ErrorResponse | None) -> str:
    """The Statsig unit ID of the first mapping of a created source."""
    if not isinstance(result, CreateAssignmentSourceResponse):
        raise RuntimeError(f"the source was not created: {result!r}")
    unit_id: str = result.data.id_type_mapping[0].statsig_unit_id
    return unit_id


def main() -> None:
    client = AuthenticatedClient(
        base_url=os.environ.get("STATSIG_API_BASE_URL", "https://statsigapi.net"),
        token=os.environ["STATSIG_CONSOLE_API_KEY"],
    )
    body = AssignmentSourceCreate(
        name="exposures4",
        sql="SELECT * FROM shoppy-sales.experiment_data.exposures",
        timestamp_column="ts",
        experiment_id_column="experiment_name",
        group_id_column="group_id",
        id_type_mapping=[IdTypeMapping(statsig_unit_id="stableID", column="user_id")],
        dry_run=True,
    )
    with client:
        result = create_assignment_source.sync(client=client, body=body)
    print(first_unit_id(result))


if __name__ == "__main__":
    main()
