"""Each distribution installs on its own, with only what its own code imports.

Installed into fresh virtual environments from this checkout, as a user would (with
the workspace's pinned uv, whose cache keeps this fast; `pip install` takes the same
paths): the production layer must come without the mock's server stack or a YAML
parser, and must still read its packaged spec; the mock's distribution brings its
stack and its console script.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = str(Path(sys.executable).with_name("uv"))
CLIENT = ROOT / "generated_client"
PRODUCTION = ROOT / "packages" / "statsig-console"
MOCK = ROOT / "packages" / "statsig-console-mock"
# The mock's server stack and the YAML parser: none of them may come with the
# production layer.
MOCK_STACK = {"starlette", "uvicorn", "jsonschema-rs", "httptools", "uvloop", "orjson", "pyyaml"}

pytestmark = pytest.mark.slow


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def _venv_with(tmp_path: Path, *distributions: Path) -> Path:
    venv = tmp_path / "venv"
    created = _run([UV, "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    # Run from outside the checkout, so nothing is found through the workspace.
    installed = _run(
        [
            UV,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(venv / "bin" / "python"),
            *map(str, distributions),
        ],
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv


def _installed_names(venv: Path) -> set[str]:
    python = str(venv / "bin" / "python")
    listed = _run([UV, "pip", "list", "--format=freeze", "--python", python], cwd=venv)
    assert listed.returncode == 0, listed.stderr
    return {line.split("==")[0].lower().replace("_", "-") for line in listed.stdout.split()}


def test_the_production_layer_installs_without_the_mock_stack_or_yaml(tmp_path: Path) -> None:
    venv = _venv_with(tmp_path, CLIENT, PRODUCTION)

    names = _installed_names(venv)
    assert {"statsig-console", "statsig-console-client", "httpx", "attrs"} <= names
    assert names.isdisjoint(MOCK_STACK), sorted(names & MOCK_STACK)
    probe = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sys, statsig_console, statsig_console.spec as s;"
            "op = s.load().operation('createAssignmentSource');"
            "print(op.method, op.key_header, sorted(m for m in sys.modules"
            " if m.split('.')[0] in {'yaml', 'starlette', 'uvicorn', 'statsig_console_mock'}))",
        ],
        cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == ["POST", "STATSIG-API-KEY", "[]"]


def test_the_mock_distribution_brings_its_stack_and_console_script(tmp_path: Path) -> None:
    venv = _venv_with(tmp_path, CLIENT, PRODUCTION, MOCK)

    assert {"starlette", "uvicorn", "pyyaml"} <= _installed_names(venv)
    shown = _run([str(venv / "bin" / "statsig-console-mock"), "--help"], cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "--port" in shown.stdout
