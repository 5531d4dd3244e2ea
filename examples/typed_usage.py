"""An assignment source's whole lifecycle with the generated client, fully typed.

Create, rename with a full update, patch, list every page, delete: each call's
result is narrowed to its success model before a field is read. `mypy --strict
--disallow-any-expr` checks this file in the test suite: every value below has a
precise type, with no casts and no `Any`.

    STATSIG_CONSOLE_API_KEY=console-... python examples/typed_usage.py

It creates a real source (and deletes it at the end): point it at the mock or at a
test project.
"""

from __future__ import annotations

import os

from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import (
    create_assignment_source,
    delete_assignment_source,
    list_assignment_sources,
    patch_assignment_source,
    update_assignment_source,
)
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourceCreate,
    AssignmentSourcePatch,
    AssignmentSourceUpdate,
    CreateAssignmentSourceResponse,
    DeleteAssignmentSourceResponse,
    ErrorResponse,
    IdTypeMapping,
    ListAssignmentSourcesResponse,
    PatchAssignmentSourceResponse,
    UpdateAssignmentSourceResponse,
)
from statsig_console_client.types import Unset

API_VERSION = "20240601"
# A project with more pages than this is not one to run an example against.
MAX_PAGES = 100


def first_unit_id(result: CreateAssignmentSourceResponse | ErrorResponse | None) -> str:
    """The Statsig unit ID of the first mapping of a created source."""
    if not isinstance(result, CreateAssignmentSourceResponse):
        raise RuntimeError(f"the source was not created: {explain(result)}")
    unit_id: str = result.data.id_type_mapping[0].statsig_unit_id
    return unit_id


def explain(result: ErrorResponse | None) -> str:
    """Statsig's message and field details, or why there is none."""
    if result is None:
        return "no answer the spec documents"
    details = [] if isinstance(result.errors, Unset) else result.errors
    fields = "; ".join(f"{detail.property_}: {detail.error_message}" for detail in details)
    return f"HTTP {result.status}: {result.message}" + (f" ({fields})" if fields else "")


def stored(
    result: UpdateAssignmentSourceResponse | PatchAssignmentSourceResponse | ErrorResponse | None,
) -> AssignmentSource:
    """The source an update or patch answered."""
    if isinstance(result, UpdateAssignmentSourceResponse | PatchAssignmentSourceResponse):
        return result.data
    raise RuntimeError(f"the source was not changed: {explain(result)}")


def every_source(client: AuthenticatedClient) -> list[AssignmentSource]:
    """All sources, page by page, until a page names no next one."""
    sources: list[AssignmentSource] = []
    for page in range(1, MAX_PAGES + 1):
        result = list_assignment_sources.sync(
            client=client, limit=100, page=page, statsig_api_version=API_VERSION
        )
        if not isinstance(result, ListAssignmentSourcesResponse):
            raise RuntimeError(f"page {page} was not listed: {explain(result)}")
        sources.extend(result.data)
        if result.pagination.next_page is None:
            return sources
    raise RuntimeError(f"more than {MAX_PAGES} pages of sources")


def reload_hour(source: AssignmentSource) -> int | None:
    """The UTC hour of the source's scheduled reload; None when it has none."""
    hour = source.scheduled_reload_hour
    return None if isinstance(hour, Unset) else hour


def main() -> None:
    client = AuthenticatedClient(
        base_url=os.environ.get("STATSIG_API_BASE_URL", "https://statsigapi.net"),
        token=os.environ["STATSIG_CONSOLE_API_KEY"],
    )
    body = AssignmentSourceCreate(
        name="typed-usage-example",
        sql="SELECT * FROM shoppy-sales.experiment_data.exposures",
        timestamp_column="ts",
        experiment_id_column="experiment_name",
        group_id_column="group_id",
        id_type_mapping=[IdTypeMapping(statsig_unit_id="stableID", column="user_id")],
    )
    with client:
        result = create_assignment_source.sync(
            client=client, body=body, statsig_api_version=API_VERSION
        )
        print(first_unit_id(result))
        # A full update replaces the source, so it restates the columns it keeps; its
        # `name` renames it.
        renamed = stored(
            update_assignment_source.sync(
                body.name,
                client=client,
                body=AssignmentSourceUpdate(
                    name="typed-usage-example-v2",
                    sql="SELECT * FROM shoppy-sales.experiment_data.exposures_v2",
                    timestamp_column=body.timestamp_column,
                    experiment_id_column=body.experiment_id_column,
                    group_id_column=body.group_id_column,
                    id_type_mapping=body.id_type_mapping,
                ),
                statsig_api_version=API_VERSION,
            )
        )
        print(renamed.name)
        patched = stored(
            patch_assignment_source.sync(
                renamed.name,
                client=client,
                body=AssignmentSourcePatch(is_read_only=True, tags=["managed-in-code"]),
                statsig_api_version=API_VERSION,
            )
        )
        print(patched.is_read_only, patched.tags)
        listed = {source.name: reload_hour(source) for source in every_source(client)}
        print(patched.name in listed)
        deleted = delete_assignment_source.sync(
            patched.name, client=client, statsig_api_version=API_VERSION
        )
        if not isinstance(deleted, DeleteAssignmentSourceResponse):
            raise RuntimeError(f"the source was not deleted: {explain(deleted)}")
        print(deleted.message)


if __name__ == "__main__":
    main()
