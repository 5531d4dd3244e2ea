"""The committed client is exactly what the pinned generator makes of the spec."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from statsig_console_client.models import (
    AssignmentSource,
    CreateAssignmentSourceResponse,
    IdTypeMapping,
)

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
    operation = spec["paths"]["/console/v1/experiments/assignment_sources"]["post"]
    value: dict[str, Any] = operation["responses"][status]["content"]["application/json"][
        "examples"
    ][name]["value"]
    return value


def test_statsig_201_example_parses_to_typed_models(spec: dict[str, Any]) -> None:
    body = _example(spec, "201", "created")

    parsed = CreateAssignmentSourceResponse.from_dict(body)

    assert isinstance(parsed.data, AssignmentSource)
    assert parsed.message == "Assignment Source created successfully"
    assert parsed.data.name == "exposures4"
    assert parsed.data.tags == []
    assert parsed.data.owner is None
    mapping = parsed.data.id_type_mapping[0]
    assert isinstance(mapping, IdTypeMapping)
    assert (mapping.statsig_unit_id, mapping.column) == ("stableID", "user_id")
    assert parsed.to_dict() == body


INSTALL_PROBE = """
import json, sys
from statsig_console_client.models import CreateAssignmentSourceResponse
from statsig_console_client.api.assignment_sources import create_assignment_source
parsed = CreateAssignmentSourceResponse.from_dict(json.loads(sys.argv[1]))
print(type(parsed.data).__name__, type(parsed.data.id_type_mapping[0]).__name__,
      callable(create_assignment_source.sync_detailed))
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
