"""The committed client is exactly what the pinned generator makes of the spec."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourceCreate,
    CreateAssignmentSourceResponse,
    DeleteAssignmentSourceResponse,
    ErrorDetail,
    ErrorResponse,
    IdTypeMapping,
    ListAssignmentSourcesResponse,
    Pagination,
    PatchAssignmentSourceResponse,
    UpdateAssignmentSourceResponse,
)
from statsig_console_client.types import Unset

from .lookup import LIFECYCLE, response_examples

PYTHON = sys.executable


def _run(command: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*.py")}


def _copy_pipeline(repo_root: Path, destination: Path) -> Path:
    """A throwaway copy of what `scripts/generate` reads and writes."""
    for folder in ("openapi", "generated_client", "scripts"):
        shutil.copytree(
            repo_root / folder,
            destination / folder,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    packaged = Path("packages", "statsig-console", "src", "statsig_console", "openapi.json")
    (destination / packaged).parent.mkdir(parents=True)
    shutil.copyfile(repo_root / packaged, destination / packaged)
    return destination


def test_committed_client_matches_the_spec(repo_root: Path) -> None:
    result = _run([PYTHON, "scripts/lib/generate.py", "--check"], cwd=repo_root)
    assert result.returncode == 0, result.stderr


def test_a_spec_edit_without_regeneration_is_caught(repo_root: Path, tmp_path: Path) -> None:
    copy = _copy_pipeline(repo_root, tmp_path)
    spec_file = copy / "openapi" / "statsig-console-api.yaml"
    spec = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    spec["components"]["schemas"]["AssignmentSourceCreate"]["properties"]["team"] = {
        "type": "integer",
        "description": "Changed in a test.",
    }
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")

    result = _run([PYTHON, "scripts/lib/generate.py", "--check"], cwd=copy)

    assert result.returncode == 1
    assert "changed: statsig_console_client/models/assignment_source_create.py" in result.stderr
    assert "Run `scripts/generate`" in result.stderr


def test_regeneration_reports_added_and_removed_files(repo_root: Path, tmp_path: Path) -> None:
    copy = _copy_pipeline(repo_root, tmp_path)
    stray = copy / "generated_client" / "statsig_console_client" / "handwritten.py"
    stray.write_text("EDITED = True\n", encoding="utf-8")
    (copy / "generated_client" / "statsig_console_client" / "models" / "owner.py").unlink()

    result = _run([PYTHON, "scripts/lib/generate.py", "--check"], cwd=copy)

    assert result.returncode == 1
    assert "extra (the generator does not produce it): statsig_console_client/handwritten.py" in (
        result.stderr
    )
    assert "missing (the generator produces it): statsig_console_client/models/owner.py" in (
        result.stderr
    )


def test_generate_rewrites_a_stale_client(repo_root: Path, tmp_path: Path) -> None:
    copy = _copy_pipeline(repo_root, tmp_path)
    model = copy / "generated_client" / "statsig_console_client" / "models" / "owner.py"
    model.write_text("# edited by hand\n", encoding="utf-8")

    assert _run([PYTHON, "scripts/lib/generate.py"], cwd=copy).returncode == 0
    result = _run([PYTHON, "scripts/lib/generate.py", "--check"], cwd=copy)

    assert result.returncode == 0, result.stderr
    assert model.read_text(encoding="utf-8") == (
        repo_root / "generated_client" / "statsig_console_client" / "models" / "owner.py"
    ).read_text(encoding="utf-8")


def test_a_broken_spec_fails_generation_and_keeps_the_client(
    repo_root: Path, tmp_path: Path
) -> None:
    copy = _copy_pipeline(repo_root, tmp_path)
    spec_file = copy / "openapi" / "statsig-console-api.yaml"
    spec = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    # A reference to a schema that does not exist makes the generator warn.
    spec["components"]["schemas"]["CreateAssignmentSourceResponse"]["properties"]["data"] = {
        "$ref": "#/components/schemas/Missing"
    }
    spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    before = _snapshot(copy / "generated_client")

    result = _run([PYTHON, "scripts/lib/generate.py"], cwd=copy)

    assert result.returncode == 2
    assert "openapi-python-client failed" in result.stderr
    assert _snapshot(copy / "generated_client") == before


def _example(spec: dict[str, Any], status: str, name: str) -> dict[str, Any]:
    value: dict[str, Any] = response_examples(spec, "createAssignmentSource", status)[name]
    return value


def test_statsig_201_example_parses_to_typed_models(spec: dict[str, Any]) -> None:
    body = _example(spec, "201", "created")

    parsed = CreateAssignmentSourceResponse.from_dict(body)

    assert isinstance(parsed.data, AssignmentSource)
    assert parsed.message == "Assignment Source created successfully"
    assert parsed.data.name == "exposures4"
    assert parsed.data.tags == []
    # Created without an owner, team or reload hour, the source comes back without them.
    assert isinstance(parsed.data.owner, Unset)
    assert isinstance(parsed.data.team_id, Unset)
    assert isinstance(parsed.data.scheduled_reload_hour, Unset)
    mapping = parsed.data.id_type_mapping[0]
    assert isinstance(mapping, IdTypeMapping)
    assert (mapping.statsig_unit_id, mapping.column) == ("stableID", "user_id")
    assert parsed.to_dict() == body


# What each success answer of the lifecycle parses to; `data`, where there is one, is
# the stored source.
SUCCESS_MODELS: dict[str, type[Any]] = {
    "listAssignmentSources": ListAssignmentSourcesResponse,
    "createAssignmentSource": CreateAssignmentSourceResponse,
    "updateAssignmentSource": UpdateAssignmentSourceResponse,
    "patchAssignmentSource": PatchAssignmentSourceResponse,
    "deleteAssignmentSource": DeleteAssignmentSourceResponse,
}


def _success_examples(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (operation_id, name, body)
        for operation_id, status in LIFECYCLE.items()
        for name, body in response_examples(spec, operation_id, status).items()
    ]


def _stored_sources(parsed: object) -> list[object]:
    """The stored sources an answer carries: a list page's items, or its one `data`."""
    if isinstance(parsed, ListAssignmentSourcesResponse):
        return list(parsed.data)
    if isinstance(
        parsed,
        CreateAssignmentSourceResponse
        | UpdateAssignmentSourceResponse
        | PatchAssignmentSourceResponse,
    ):
        return [parsed.data]
    return []


def test_every_success_example_parses_to_typed_models(spec: dict[str, Any]) -> None:
    examples = _success_examples(spec)
    assert {operation_id for operation_id, _, _ in examples} == set(LIFECYCLE)
    for operation_id, name, body in examples:
        where = f"{operation_id} {name}"

        parsed = SUCCESS_MODELS[operation_id].from_dict(body)

        assert isinstance(parsed, SUCCESS_MODELS[operation_id]), where
        sources = _stored_sources(parsed)
        expected = body.get("data", [])
        assert len(sources) == (len(expected) if isinstance(expected, list) else 1), where
        for source in sources:
            assert isinstance(source, AssignmentSource), where
            # Every field the example sends is a declared, typed one.
            assert not source.additional_properties, where
            assert all(isinstance(m, IdTypeMapping) for m in source.id_type_mapping), where
        assert not parsed.additional_properties, where
        # Nothing is lost or added on the way back.
        assert parsed.to_dict() == body, where


def test_the_list_answer_parses_to_typed_pagination(spec: dict[str, Any]) -> None:
    examples = response_examples(spec, "listAssignmentSources", "200")

    first = ListAssignmentSourcesResponse.from_dict(examples["first_page"])
    last = ListAssignmentSourcesResponse.from_dict(examples["last_page"])

    assert isinstance(first.pagination, Pagination)
    assert (first.pagination.items_per_page, first.pagination.page_number) == (1, 1)
    assert first.pagination.total_items == 13
    assert isinstance(first.pagination.next_page, str)
    assert first.pagination.previous_page is None
    assert isinstance(first.pagination.all_, str)
    assert last.pagination.next_page is None
    assert isinstance(last.pagination.previous_page, str)
    # Statsig may leave these two out.
    assert isinstance(last.pagination.total_items, Unset)
    assert isinstance(last.pagination.all_, Unset)


def test_a_null_scheduled_reload_hour_parses_to_none(spec: dict[str, Any]) -> None:
    hours = {
        f"{operation_id} {name}": source.get("scheduledReloadHour", "absent")
        for operation_id, name, body in _success_examples(spec)
        for source in (body["data"] if isinstance(body.get("data"), list) else [body.get("data")])
        if isinstance(source, dict)
    }
    # The examples show both: the hour as Statsig's 2026 document allows it.
    assert None in hours.values()
    assert 6 in hours.values()
    body: dict[str, Any] = response_examples(spec, "updateAssignmentSource", "200")["renamed"]
    assert body["data"]["scheduledReloadHour"] is None

    parsed = UpdateAssignmentSourceResponse.from_dict(body)

    assert parsed.data.scheduled_reload_hour is None
    assert parsed.to_dict()["data"]["scheduledReloadHour"] is None
    set_hour = UpdateAssignmentSourceResponse.from_dict(
        {**body, "data": {**body["data"], "scheduledReloadHour": 6}}
    )
    assert set_hour.data.scheduled_reload_hour == 6
    absent = {key: value for key, value in body["data"].items() if key != "scheduledReloadHour"}
    assert isinstance(
        UpdateAssignmentSourceResponse.from_dict(
            {**body, "data": absent}
        ).data.scheduled_reload_hour,
        Unset,
    )


@pytest.mark.parametrize("model", [AssignmentSource, AssignmentSourceCreate])
def test_the_hour_is_typed_int_or_none(model: type[Any]) -> None:
    # The annotation mypy reads: null is part of the type, not dropped without a word.
    # (The models import their nested models only for type checking, so the annotation
    # is compared as written; test_typed_usage.py has mypy read it.)
    annotation: object = attrs.fields_dict(model)["scheduled_reload_hour"].type
    assert annotation == "int | None | Unset"


def test_error_examples_parse_with_their_field_details(spec: dict[str, Any]) -> None:
    for status in ("400", "401", "404", "429"):
        operation_id = "deleteAssignmentSource"
        for name, body in response_examples(spec, operation_id, status).items():
            parsed = ErrorResponse.from_dict(body)
            assert parsed.status == int(status), name
            assert parsed.to_dict() == body, name
    detailed = ErrorResponse.from_dict(
        response_examples(spec, "createAssignmentSource", "400")["field_errors"]
    )
    assert not isinstance(detailed.errors, Unset)
    assert all(isinstance(detail, ErrorDetail) for detail in detailed.errors)
    assert [detail.property_ for detail in detailed.errors] == ["idTypeMapping", "timestampColumn"]
    # Each detail's keys are optional: an answer missing one still parses.
    partial = ErrorResponse.from_dict(
        {"status": 400, "message": "m", "errors": [{"property": "sql"}]}
    )
    assert not isinstance(partial.errors, Unset)
    assert isinstance(partial.errors[0].error_message, Unset)


def test_the_calls_are_named_for_their_operations() -> None:
    for operation_id in LIFECYCLE:
        # listAssignmentSources is the module list_assignment_sources, and so on.
        module_name = re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()
        module = importlib.import_module(
            f"statsig_console_client.api.assignment_sources.{module_name}"
        )
        for call in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
            assert callable(getattr(module, call)), f"{operation_id}.{call}"


INSTALL_PROBE = """
import json, sys
from statsig_console_client.models import CreateAssignmentSourceResponse
from statsig_console_client.api.assignment_sources import (
    create_assignment_source, delete_assignment_source, list_assignment_sources,
    patch_assignment_source, update_assignment_source,
)
calls = (create_assignment_source, delete_assignment_source, list_assignment_sources,
         patch_assignment_source, update_assignment_source)
parsed = CreateAssignmentSourceResponse.from_dict(json.loads(sys.argv[1]))
print(type(parsed.data).__name__, type(parsed.data.id_type_mapping[0]).__name__,
      all(callable(call.sync_detailed) for call in calls))
"""


def _probe(python: Path, spec: dict[str, Any]) -> str:
    body = json.dumps(_example(spec, "201", "created"))
    result = _run([str(python), "-c", INSTALL_PROBE, body], cwd=python.parent)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow
def test_pip_installs_the_client_on_its_own(
    repo_root: Path, tmp_path: Path, spec: dict[str, Any]
) -> None:
    venv = tmp_path / "venv"
    assert _run([PYTHON, "-m", "venv", str(venv)], cwd=tmp_path).returncode == 0
    source = shutil.copytree(repo_root / "generated_client", tmp_path / "generated_client")
    installed = _run(
        [
            str(venv / "bin" / "pip"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(source),
        ],
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stderr

    assert _probe(venv / "bin" / "python", spec) == "AssignmentSource IdTypeMapping True"


@pytest.mark.slow
def test_the_client_installs_from_a_git_url_subdirectory(
    repo_root: Path, tmp_path: Path, spec: dict[str, Any]
) -> None:
    # A repository laid out like this one, so the test does not depend on what is committed.
    repository = tmp_path / "repository"
    shutil.copytree(repo_root / "generated_client", repository / "generated_client")
    for command in (
        ["git", "init", "--quiet", "--initial-branch=main"],
        ["git", "add", "generated_client"],
        [
            "git",
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
            "commit",
            "-qm",
            "client",
        ],
    ):
        assert _run(command, cwd=repository).returncode == 0
    venv = tmp_path / "venv"
    uv = shutil.which("uv", path=str(Path(PYTHON).parent))
    assert uv is not None
    assert _run([uv, "venv", "--quiet", str(venv)], cwd=tmp_path).returncode == 0
    requirement = f"statsig-console-client @ git+file://{repository}#subdirectory=generated_client"
    installed = _run(
        [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), requirement],
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stderr

    assert _probe(venv / "bin" / "python", spec) == "AssignmentSource IdTypeMapping True"
