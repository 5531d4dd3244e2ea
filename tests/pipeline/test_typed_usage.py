"""Code that uses the generated client type-checks strictly, with no casts and no Any."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_the_usage_example_reads_typed_fields_without_casts(repo_root: Path) -> None:
    source = (repo_root / EXAMPLE).read_text(encoding="utf-8")
    assert "result.data.id_type_mapping[0].statsig_unit_id" in source
    assert "create_assignment_source.sync(" in source
    assert "cast(" not in source
    # --disallow-any-explicit below also rejects any annotation that spells Any.

    result = _mypy(EXAMPLE, repo_root)

    assert result.returncode == 0, result.stdout


def test_the_check_rejects_untyped_access(repo_root: Path, tmp_path: Path) -> None:
    # The same check must fail on code that reaches into an untyped dict.
    probe = tmp_path / "untyped_usage.py"
    probe.write_text(
        "from statsig_console_client.models import AssignmentSource\n\n\n"
        "def extra(source: AssignmentSource) -> object:\n"
        '    return source.additional_properties["id"]\n',
        encoding="utf-8",
    )

    result = _mypy(probe, repo_root)

    assert result.returncode == 1
    assert 'Expression has type "Any"' in result.stdout


LIFECYCLE_USAGE = """
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


def hour(source: AssignmentSource) -> int | None:
    found = source.scheduled_reload_hour
    return None if isinstance(found, Unset) else found


def next_page(result: ListAssignmentSourcesResponse | ErrorResponse | None) -> str | None:
    assert isinstance(result, ListAssignmentSourcesResponse)
    hours: list[int | None] = [hour(source) for source in result.data]
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
    probe = tmp_path / "lifecycle_usage.py"
    probe.write_text(LIFECYCLE_USAGE, encoding="utf-8")

    result = _mypy(probe, repo_root)

    assert result.returncode == 0, result.stdout


def test_a_null_hour_is_part_of_the_type(repo_root: Path, tmp_path: Path) -> None:
    # Reading the hour as a plain int must not type-check: null is in its type.
    probe = tmp_path / "hour_as_int.py"
    probe.write_text(
        "from statsig_console_client.models import AssignmentSource\n"
        "from statsig_console_client.types import Unset\n\n\n"
        "def hour(source: AssignmentSource) -> int:\n"
        "    found = source.scheduled_reload_hour\n"
        "    return 0 if isinstance(found, Unset) else found\n",
        encoding="utf-8",
    )

    result = _mypy(probe, repo_root)

    assert result.returncode == 1
    assert 'Incompatible return value type (got "int | None", expected "int")' in result.stdout
