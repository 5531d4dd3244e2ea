"""Code that uses the generated client type-checks strictly, with no casts and no Any."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path("examples") / "typed_usage.py"
STRICT_NO_ANY = [
    sys.executable,
    "-m",
    "mypy",
    "--strict",
    "--disallow-any-expr",
    "--disallow-any-explicit",
    "--no-incremental",
]


def _mypy(target: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STRICT_NO_ANY, str(target)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _mypy_probe(source: str, repo_root: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The same check on code written for one test."""
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    return _mypy(probe, repo_root)


def test_the_usage_example_reads_typed_fields_without_casts(repo_root: Path) -> None:
    source = (repo_root / EXAMPLE).read_text(encoding="utf-8")
    assert "result.data.id_type_mapping[0].statsig_unit_id" in source
    # The whole lifecycle, each call's result narrowed before a field is read.
    for operation in ("create", "update", "patch", "delete"):
        assert f"{operation}_assignment_source.sync(" in source
    assert "list_assignment_sources.sync(" in source
    assert "result.pagination.next_page" in source
    assert "cast(" not in source
    # --disallow-any-explicit below also rejects any annotation that spells Any.

    result = _mypy(EXAMPLE, repo_root)

    assert result.returncode == 0, result.stdout


# Code the check must fail, and the error it must name.
REJECTED = {
    # Reaching into an untyped dict.
    "untyped-access": (
        "from statsig_console_client.models import AssignmentSource\n\n\n"
        "def extra(source: AssignmentSource) -> object:\n"
        '    return source.additional_properties["id"]\n',
        'Expression has type "Any"',
    ),
    # Reading the hour as a plain int: null is part of its type.
    "null-hour-as-int": (
        "from statsig_console_client.models import AssignmentSource\n"
        "from statsig_console_client.types import Unset\n\n\n"
        "def hour(source: AssignmentSource) -> int:\n"
        "    found = source.scheduled_reload_hour\n"
        "    return 0 if isinstance(found, Unset) else found\n",
        'Incompatible return value type (got "int | None", expected "int")',
    ),
}


@pytest.mark.parametrize(("source", "error"), REJECTED.values(), ids=REJECTED.keys())
def test_the_check_rejects_loosely_typed_reads(
    repo_root: Path, tmp_path: Path, source: str, error: str
) -> None:
    result = _mypy_probe(source, repo_root, tmp_path)

    assert result.returncode == 1
    assert error in result.stdout


# The corners of the lifecycle the example leaves out: calls without the version
# header, a create with a null hour, the page's counts. Appended to the example, so it
# reuses the example's imports and helpers.
LIFECYCLE_CORNERS = """

def next_page(result: ListAssignmentSourcesResponse | ErrorResponse | None) -> str | None:
    assert isinstance(result, ListAssignmentSourcesResponse)
    hours: list[int | None] = [reload_hour(source) for source in result.data]
    total: float = result.pagination.items_per_page * len(hours)
    assert total >= 0
    return result.pagination.next_page


def walk(client: AuthenticatedClient) -> str:
    mapping = [IdTypeMapping(statsig_unit_id="stableID", column="user_id")]
    created = create_assignment_source.sync(
        client=client,
        body=AssignmentSourceCreate(
            name="exposures4", sql="SELECT 1", timestamp_column="ts",
            experiment_id_column="experiment_name", group_id_column="group_id",
            id_type_mapping=mapping, scheduled_reload_hour=None,
        ),
        statsig_api_version="20240601",
    )
    assert isinstance(created, CreateAssignmentSourceResponse)
    updated = update_assignment_source.sync(
        created.data.name,
        client=client,
        body=AssignmentSourceUpdate(
            name="exposures5", sql="SELECT 2", timestamp_column="ts",
            experiment_id_column="experiment_name", group_id_column="group_id",
            id_type_mapping=mapping,
        ),
    )
    assert isinstance(updated, UpdateAssignmentSourceResponse)
    patched = patch_assignment_source.sync(
        updated.data.name, client=client, body=AssignmentSourcePatch(is_read_only=True)
    )
    assert isinstance(patched, PatchAssignmentSourceResponse)
    deleted = delete_assignment_source.sync(patched.data.name, client=client)
    assert isinstance(deleted, DeleteAssignmentSourceResponse)
    page = next_page(list_assignment_sources.sync(client=client, limit=10, page=1))
    return deleted.message + (page or "")
"""


def test_the_whole_lifecycle_reads_typed_fields(repo_root: Path, tmp_path: Path) -> None:
    example = (repo_root / EXAMPLE).read_text(encoding="utf-8")

    result = _mypy_probe(example + LIFECYCLE_CORNERS, repo_root, tmp_path)

    assert result.returncode == 0, result.stdout


PRODUCTION_USAGE = """
from statsig_console import (
    FieldError,
    InvalidRequestError,
    NotFoundError,
    build_client,
    create_assignment_source,
    delete_assignment_source,
    get_assignment_source,
    list_assignment_sources,
    list_assignment_sources_async,
    patch_assignment_source,
    update_assignment_source,
)
from statsig_console_client import AuthenticatedClient, models


def fields(error: InvalidRequestError) -> list[str]:
    found: tuple[FieldError, ...] = error.errors
    return [f"{detail.property}: {detail.message}" for detail in found]


def walk(client: AuthenticatedClient) -> list[str]:
    mapping = [models.IdTypeMapping(statsig_unit_id="stableID", column="user_id")]
    try:
        created: models.AssignmentSource = create_assignment_source(
            client,
            models.AssignmentSourceCreate(
                name="exposures4", sql="SELECT 1", timestamp_column="ts",
                experiment_id_column="experiment_name", group_id_column="group_id",
                id_type_mapping=mapping,
            ),
        )
    except InvalidRequestError as error:
        return fields(error)
    updated = update_assignment_source(
        client, created.name,
        models.AssignmentSourceUpdate(
            name="exposures5", sql="SELECT 2", timestamp_column="ts",
            experiment_id_column="experiment_name", group_id_column="group_id",
            id_type_mapping=mapping,
        ),
        respect_review_settings=True,
    )
    patched = patch_assignment_source(
        client, updated.name, models.AssignmentSourcePatch(tags=["x"])
    )
    names = [source.name for source in list_assignment_sources(client, page_size=50)]
    found: models.AssignmentSource | None = get_assignment_source(client, patched.name)
    try:
        delete_assignment_source(client, patched.name)
    except NotFoundError as error:
        names.append(error.message)
    return names + ([] if found is None else [found.sql])


async def names_async(client: AuthenticatedClient) -> list[str]:
    return [source.name async for source in list_assignment_sources_async(client)]


def client() -> AuthenticatedClient:
    return build_client("console-x", api_version=None)
"""


def test_the_production_layer_is_typed_without_any(repo_root: Path, tmp_path: Path) -> None:
    result = _mypy_probe(PRODUCTION_USAGE, repo_root, tmp_path)

    assert result.returncode == 0, result.stdout
