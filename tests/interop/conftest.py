"""The other generator's client: generated once per session, one API object per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from statsig_console_mock.plugin import StatsigMock
from tests.upstream.helpers import LIFECYCLE

from .other_client import DefaultApi, Generated, generate, imported


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """The client generated from Statsig's lifecycle document, imported for the session."""
    folder = tmp_path_factory.mktemp("other-generator")
    generate(LIFECYCLE, folder)
    with imported(folder) as client:
        yield client


@pytest.fixture
def api(generated: Generated, statsig_mock: StatsigMock) -> DefaultApi:
    """The generated `DefaultApi`, pointed at an empty mock with an accepted key."""
    return generated.api(statsig_mock.base_url, statsig_mock.api_key)
