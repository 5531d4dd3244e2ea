"""The contract suite's pace, the generator's wall time and the client's import time."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from benchmarks.processes import ROOT

_CASES = re.compile(r"^cases:\s+(\d+) generated", re.MULTILINE)
_PASSED = re.compile(r"(\d+) passed")
# Prints the seconds one import takes in a fresh interpreter, start-up excluded.
_IMPORT_PROBE = (
    "import time; started = time.perf_counter(); import {module}; "
    "print(time.perf_counter() - started)"
)


@dataclass(frozen=True, slots=True)
class ContractResult:
    cases: int
    passed: int
    seconds: float

    @property
    def cases_per_s(self) -> float:
        return self.cases / self.seconds


def contract_suite(extra_args: list[str] | None = None) -> ContractResult:
    """One default run of ``scripts/contract-test``, timed from outside as a user sees it."""
    started = time.perf_counter()
    completed = subprocess.run(  # noqa: S603 - the project's own script
        [str(ROOT / "scripts" / "contract-test"), *(extra_args or [])],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(
            f"scripts/contract-test failed ({completed.returncode}):\n{completed.stdout[-3000:]}"
        )
    cases = _CASES.search(completed.stdout)
    passed = _PASSED.findall(completed.stdout)
    if cases is None or not passed:
        raise RuntimeError(f"no case count in the contract suite's output:\n{completed.stdout}")
    return ContractResult(int(cases.group(1)), int(passed[-1]), seconds)


def generation_seconds(runs: int) -> list[float]:
    """Wall times of ``scripts/generate --check``.

    ``--check`` runs the same generation (and ruff) into a temporary folder and compares
    it with the committed client, so timing it leaves ``generated_client/`` untouched.
    """
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - the project's own script
            [str(ROOT / "scripts" / "generate"), "--check"],
            capture_output=True,
            check=True,
            cwd=ROOT,
            timeout=600,
        )
        times.append(time.perf_counter() - started)
    return times


def import_seconds(modules: list[str], runs: int) -> dict[str, list[float]]:
    """Import times of each module in fresh interpreters, the modules taking turns.

    A first, unrecorded round leaves the bytecode caches written, as after any install.
    """
    times: dict[str, list[float]] = {module: [] for module in modules}
    for round_number in range(runs + 1):
        for module in modules:
            completed = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
                [sys.executable, "-c", _IMPORT_PROBE.format(module=module)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
                timeout=60,
            )
            if round_number:
                times[module].append(float(completed.stdout.strip()))
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)
