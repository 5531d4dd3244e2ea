"""Running the contract suite in a child process, as a user would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any setting that could pick the target."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STATSIG_", "PYTEST_"))
    }
    return env | settings


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
