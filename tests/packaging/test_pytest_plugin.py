"""Installing the mock's distribution is all a user's test suite needs for ``statsig_mock``.

In a fresh virtual environment outside this checkout, with the client, the production
layer, the mock and pytest installed, a five-line test file using the fixture passes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .test_distributions import CLIENT, MOCK, PRODUCTION, UV

pytestmark = pytest.mark.slow

# The user's whole test file: five lines.
USER_TEST = "\n".join(
    [
        "from statsig_console import spec",
        "def test_create(statsig_mock):",
        '    op = spec.load().operation("createAssignmentSource")',
        "    sent = statsig_mock.client().get_httpx_client()"
        '.post(op.url_path(), json=op.body_examples["minimal"])',
        "    assert sent.status_code == 201 and [r.status for r in statsig_mock.requests] == [201]",
    ]
)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def test_a_five_line_test_using_the_fixture_passes_in_a_fresh_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    python = str(venv / "bin" / "python")
    created = _run([UV, "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    # The workspace's pytest version, so the installer's cache serves it.
    installed = _run(
        [
            *(UV, "pip", "install", "--quiet", "--python", python),
            *(f"pytest=={pytest.__version__}", str(CLIENT), str(PRODUCTION), str(MOCK)),
        ],
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    project = tmp_path / "user-project"
    project.mkdir()
    (project / "test_sync.py").write_text(USER_TEST, encoding="utf-8")

    ran = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project)

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout
    assert len(USER_TEST.splitlines()) == 5
