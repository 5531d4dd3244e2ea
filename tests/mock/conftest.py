"""Fixtures for the mock's own tests: a live mock on 127.0.0.1 and a spec-checking client."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from statsig_console_mock import DEFAULT_API_KEY, MockSettings
from statsig_console_mock.testing import reset_mock, run_mock_server

from .helpers import ENDPOINT, SpecChecker, load_spec, spec_path


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return load_spec(spec_path())


@pytest.fixture(scope="session")
def checker(spec: dict[str, Any]) -> SpecChecker:
    return SpecChecker(spec)


@pytest.fixture(scope="session")
def shared_mock_url() -> Iterator[str]:
    with run_mock_server(MockSettings()) as base_url:
        yield base_url


@pytest.fixture
def mock_url(shared_mock_url: str) -> str:
    """The shared mock, emptied before each test."""
    reset_mock(shared_mock_url)
    return shared_mock_url


@pytest.fixture
def client(mock_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock_url, headers={"STATSIG-API-KEY": DEFAULT_API_KEY}) as c:
        yield c


@pytest.fixture
def example(spec: dict[str, Any]) -> Any:
    """A request example from the spec, by name, as a fresh copy."""
    examples = spec["paths"][ENDPOINT]["post"]["requestBody"]["content"]["application/json"][
        "examples"
    ]

    def get(name: str) -> dict[str, Any]:
        value: dict[str, Any] = copy.deepcopy(examples[name]["value"])
        return value

    return get


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    """A writable copy of the spec, for tests that prove the mock follows edits."""
    target = tmp_path / "statsig-console-api.yaml"
    target.write_text(spec_path().read_text(encoding="utf-8"), encoding="utf-8")
    return target
