"""A mock on 127.0.0.1 for the command, and a way to run the command in-process."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from statsig_console import API_KEY_VARIABLE, BASE_URL_VARIABLE
from statsig_console.cli.command import run
from statsig_console_mock import DEFAULT_API_KEY
from statsig_console_mock.plugin import StatsigMock


@dataclass
class Result:
    code: int
    out: str
    err: str


class Cli:
    """Runs ``statsig-console`` against one mock, as a user's shell would."""

    def __init__(self, base_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.base_url = base_url
        monkeypatch.setenv(API_KEY_VARIABLE, DEFAULT_API_KEY)
        monkeypatch.setenv(BASE_URL_VARIABLE, base_url)

    def __call__(self, *args: str | Path) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = run(["sources", *map(str, args)], stdout=out, stderr=err)
        return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def mock_url(statsig_mock: StatsigMock) -> str:
    """The mock plugin's shared server, emptied before each test."""
    return statsig_mock.base_url


@pytest.fixture
def cli(mock_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(mock_url, monkeypatch)


@pytest.fixture
def sources_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "sources"
    directory.mkdir()
    return directory
