"""An apply killed part-way converges when run again; injected 503s and 429s lose nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from statsig_console import API_KEY_VARIABLE, BASE_URL_VARIABLE
from statsig_console_mock import DEFAULT_API_KEY, FaultSettings, MockSettings
from statsig_console_mock.testing import run_mock_server, stored_sources

from .conftest import Cli
from .helpers import example, write

UPDATED = 50
CREATED = 150


def _files(directory: Path) -> dict[str, dict[str, Any]]:
    """200 changes once the first 50 exist: 50 updates and 150 creates."""
    wanted = {}
    for index in range(UPDATED + CREATED):
        name = f"src-{index:03}"
        body = example(name) | {"description": f"revision 2 of {name}"}
        write(directory, name, body)
        wanted[name] = body
    return wanted


def _assert_holds(base_url: str, wanted: dict[str, dict[str, Any]]) -> None:
    stored = stored_sources(base_url)
    names = [str(source["name"]) for source in stored]
    assert len(names) == len(set(names)), "a source was created twice"
    assert sorted(names) == sorted(wanted)
    for source in stored:
        body = wanted[str(source["name"])]
        assert {key: source.get(key) for key in body} == body


@pytest.fixture
def slow_mock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    # Latency on every request, so that the kill lands in the middle of the apply.
    with run_mock_server(MockSettings(faults=FaultSettings(latency_ms=10))) as base_url:
        yield Cli(base_url, monkeypatch)


def test_a_killed_apply_converges_when_run_again(slow_mock: Cli, tmp_path: Path) -> None:
    directory = tmp_path / "sources"
    directory.mkdir()
    for index in range(UPDATED):
        write(directory, f"src-{index:03}", example(f"src-{index:03}"))
    assert slow_mock("apply", directory, "--yes").code == 0
    wanted = _files(directory)
    environment = os.environ | {
        API_KEY_VARIABLE: DEFAULT_API_KEY,
        BASE_URL_VARIABLE: slow_mock.base_url,
    }
    command = [sys.executable, "-m", "statsig_console.cli", "sources", "apply", str(directory)]
    process = subprocess.Popen(
        [*command, "--yes"], env=environment, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    done = 0
    for line in process.stdout:  # ends when the process does, so the loop is bounded
        if line.startswith("["):
            done += 1
        if done == 80:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    partial = stored_sources(slow_mock.base_url)
    assert UPDATED < len(partial) < UPDATED + CREATED

    again = slow_mock("apply", directory, "--yes")

    assert again.code == 0, again.out + again.err
    assert "0 failed" in again.out
    _assert_holds(slow_mock.base_url, wanted)
    assert slow_mock("plan", directory).code == 0


@pytest.mark.parametrize(
    "faults",
    [
        FaultSettings(rate=0.2, status=503, seed=11),
        FaultSettings(rate=0.2, status=429, retry_after=0, seed=12),
    ],
    ids=["503", "429"],
)
def test_injected_failures_are_retried_without_duplicates(
    faults: FaultSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    directory = tmp_path / "sources"
    directory.mkdir()
    with run_mock_server(MockSettings(faults=faults)) as base_url:
        cli = Cli(base_url, monkeypatch)
        for index in range(20):
            write(directory, f"src-{index:03}", example(f"src-{index:03}"))
        assert cli("apply", directory, "--yes").code == 0
        wanted = {
            f"src-{index:03}": example(f"src-{index:03}") | {"description": "changed"}
            for index in range(100)
        }
        for name, body in wanted.items():
            write(directory, name, body)

        result = cli("apply", directory, "--yes", "--prune")

        assert result.code == 0, result.out + result.err
        assert "80 created, 20 updated, 0 deleted, 0 unchanged, 0 failed" in result.out
        _assert_holds(base_url, wanted)
