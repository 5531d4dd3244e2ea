"""The contract suite catches a broken API, and names what is broken.

For each defect the suite runs, as `scripts/contract-test` would, against a mock that
has that one defect; it must fail, with the check for that defect among the failures.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from statsig_console_mock import MockSettings, create_app
from statsig_console_mock.testing import run_mock_server

from .defects import DEFECTS, Defect, DefectMiddleware
from .runner import clean_environment, run


def run_suite(base_url: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "contract_tests/test_contract.py",
        "-p",
        "no:cacheprovider",
        "--max-examples=20",
        "--seed=7",
    ]
    return run(command, clean_environment(STATSIG_API_BASE_URL=base_url))


def failed_checks(output: str) -> dict[str, int]:
    """Per-check failure counts from the suite's summary."""
    return {
        match["name"]: int(match["failed"])
        for match in re.finditer(
            r"^\s+(?P<name>\w+)\s+\d+ run, (?P<failed>\d+) failed$", output, re.M
        )
    }


def test_the_intact_mock_passes() -> None:
    # The baseline the defects below are measured against.
    with run_mock_server(MockSettings()) as base_url:
        result = run_suite(base_url)

    assert result.returncode == 0, result.stdout[-3000:]
    assert failed_checks(result.stdout) == {}


@pytest.mark.parametrize("defect", DEFECTS, ids=[defect.name for defect in DEFECTS])
def test_the_suite_fails_on_a_broken_api(defect: Defect) -> None:
    app = create_app(MockSettings())
    app.add_middleware(DefectMiddleware, on_request=defect.on_request, on_answer=defect.on_answer)

    with run_mock_server(app=app) as base_url:
        result = run_suite(base_url)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert defect.title in output, output[-3000:]
    assert defect.check in failed_checks(result.stdout), result.stdout[-3000:]
