"""Fixtures of the hardening tests: the mock as users run it, in its own process."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from statsig_console_mock.testing import mock_command, reset_mock, serve_command, stored_sources

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT_S = 15


@dataclass(frozen=True, slots=True)
class MockProcess:
    base_url: str
    pid: int

    def rss_bytes(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise AssertionError(f"no VmRSS for pid {self.pid}")

    def stored(self) -> list[dict[str, object]]:
        return stored_sources(self.base_url)

    def reset(self) -> None:
        reset_mock(self.base_url)


@pytest.fixture(scope="module")
def mock_process() -> Iterator[MockProcess]:
    """``python -m statsig_console_mock --port 0``, so its memory is its own to measure."""
    with serve_command(
        mock_command("--body-timeout", "1"), cwd=ROOT, stderr=subprocess.DEVNULL
    ) as (url, process):
        yield MockProcess(url, process.pid)


@pytest.fixture
def fresh_mock(mock_process: MockProcess) -> MockProcess:
    mock_process.reset()
    return mock_process
