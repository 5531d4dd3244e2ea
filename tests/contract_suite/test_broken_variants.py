"""The contract suite catches a broken API, and names what is broken.

For each defect the suite runs, as `scripts/contract-test` would, against a mock that
has that one defect; it must fail, with the check or the behaviour test for that
defect among the failures. The intact mock, and a variant of it whose every message
says something else, pass the whole suite.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from statsig_console_mock import MockSettings, create_app
from statsig_console_mock.testing import run_mock_server

from .defects import (
    DEFECTS,
    LIFECYCLE_DEFECTS,
    Defect,
    DefectMiddleware,
    LifecycleDefect,
    rewords_every_message,
)
from .runner import clean_environment, run


def run_suite(
    base_url: str, *files: str, max_examples: int = 20
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        *(files or ["contract_tests/test_contract.py"]),
        "-p",
        "no:cacheprovider",
        f"--max-examples={max_examples}",
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


EVERY_FILE = (
    "contract_tests/test_contract.py",
    "contract_tests/test_behaviours.py",
    "contract_tests/test_stateful.py",
)


@pytest.mark.parametrize("wording", ["the mock's", "another server's"])
def test_a_correct_server_passes_whatever_its_wording(wording: str) -> None:
    # The baseline the defects below are measured against: the intact mock, and an
    # independent correct server whose every message (and field error) reads otherwise.
    app = create_app(MockSettings())
    if wording != "the mock's":
        app.add_middleware(DefectMiddleware, on_answer=rewords_every_message, every_path=True)

    with run_mock_server(app=app) as base_url:
        result = run_suite(base_url, *EVERY_FILE)

    assert result.returncode == 0, result.stdout[-3000:]
    assert failed_checks(result.stdout) == {}
    assert " passed" in result.stdout


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


def failed_tests(output: str) -> set[str]:
    """The names of the tests pytest reports as failed (parameters left out)."""
    return set(re.findall(r"^FAILED \S+::(\w+)", output, re.M))


@pytest.mark.parametrize(
    "defect", LIFECYCLE_DEFECTS, ids=[defect.name for defect in LIFECYCLE_DEFECTS]
)
def test_the_suite_fails_on_a_broken_lifecycle(defect: LifecycleDefect) -> None:
    app = create_app(MockSettings())
    app.add_middleware(
        DefectMiddleware, on_request=defect.on_request, on_answer=defect.on_answer, every_path=True
    )

    with run_mock_server(app=app) as base_url:
        if defect.by_check:
            result = run_suite(base_url, defect.suite, max_examples=30)
        else:
            result = run_suite(base_url, defect.suite)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    if defect.by_check:
        assert defect.caught_by in failed_checks(result.stdout), result.stdout[-3000:]
    else:
        assert defect.caught_by in failed_tests(result.stdout), result.stdout[-3000:]
