"""The statsig_mock fixture, as a user's test suite meets it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from statsig_console_client.models import AssignmentSourceCreate

from statsig_console import create_assignment_source
from statsig_console_mock import FaultSettings, RateLimitSettings, RateWindow
from statsig_console_mock.plugin import StatsigMock
from statsig_console_mock.seeds import SeedError

from .helpers import CREATE, KEY_HEADER, example_body


def _create(mock: StatsigMock, name: str) -> None:
    with mock.client() as client:
        create_assignment_source(client, AssignmentSourceCreate.from_dict(example_body(name)))


# Two tests that each find the mock empty, whichever runs first: fresh state per test.
@pytest.mark.parametrize("name", ["first", "second"])
def test_every_test_starts_empty_and_sees_its_own_creates(
    statsig_mock: StatsigMock, name: str
) -> None:
    assert statsig_mock.sources == []
    assert statsig_mock.requests == []

    _create(statsig_mock, name)

    assert [source["name"] for source in statsig_mock.sources] == [name]
    (entry,) = statsig_mock.requests
    assert (entry.method, entry.path, entry.status) == ("POST", CREATE.path, 201)
    assert entry.body["name"] == name


def test_one_server_serves_the_session(statsig_mock: StatsigMock) -> None:
    # Compared with the URL the parametrized test above saw, through the server registry.
    assert statsig_mock.base_url.startswith("http://127.0.0.1:")
    response = httpx.get(f"{statsig_mock.base_url}/_mock/sources")
    assert response.json() == []


def test_the_client_carries_an_accepted_key(statsig_mock: StatsigMock) -> None:
    with statsig_mock.client() as client:
        response = client.get_httpx_client().post(CREATE.url_path(), json=example_body())
    assert response.status_code == 201


def test_seed_takes_bodies_and_files_and_checks_them_as_creates(
    statsig_mock: StatsigMock, tmp_path: Path
) -> None:
    seed_file = tmp_path / "from-file.yaml"
    seed_file.write_text(yaml.safe_dump(example_body("from-file")), encoding="utf-8")

    stored = statsig_mock.seed(example_body("from-body"), seed_file)

    assert [source["name"] for source in stored] == ["from-body", "from-file"]
    # The create's defaults were applied, and seeding is not a request.
    assert all(source["tags"] == [] for source in statsig_mock.sources)
    assert statsig_mock.requests == []
    with pytest.raises(SeedError, match="already exists"):
        statsig_mock.seed(example_body("from-body"))
    with pytest.raises(SeedError, match="sql: is required"):
        statsig_mock.seed({"name": "no-sql"})


def test_reset_empties_the_mock_within_a_test(statsig_mock: StatsigMock) -> None:
    _create(statsig_mock, "gone")
    statsig_mock.reset()
    assert statsig_mock.sources == []
    assert statsig_mock.requests == []


@pytest.mark.statsig_mock(rate_limit=RateLimitSettings((RateWindow(2, 600.0),)))
def test_a_marker_switches_rate_limits_on_for_one_test(statsig_mock: StatsigMock) -> None:
    with statsig_mock.client() as client:
        http = client.get_httpx_client()
        statuses = [http.post(CREATE.url_path(), json=example_body()).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert [entry.status for entry in statsig_mock.requests] == [201, 201, 429]


def test_the_next_test_is_not_rate_limited(statsig_mock: StatsigMock) -> None:
    with statsig_mock.client() as client:
        http = client.get_httpx_client()
        statuses = {http.post(CREATE.url_path(), json=example_body()).status_code for _ in range(5)}
    assert statuses == {201}


@pytest.mark.parametrize(
    "statsig_mock", [{"faults": FaultSettings(rate=1.0, status=503)}], indirect=True
)
def test_a_fixture_argument_switches_faults_on(statsig_mock: StatsigMock) -> None:
    response = httpx.post(
        f"{statsig_mock.base_url}{CREATE.url_path()}",
        json=example_body(),
        headers={KEY_HEADER: statsig_mock.api_key},
    )
    assert response.status_code == 503
    assert statsig_mock.sources == []


@pytest.mark.statsig_mock(api_keys=("a-key-of-this-test",))
def test_other_settings_by_marker(statsig_mock: StatsigMock) -> None:
    assert statsig_mock.api_key == "a-key-of-this-test"
    _create(statsig_mock, "keyed")
    assert [source["name"] for source in statsig_mock.sources] == ["keyed"]


def test_the_transport_serves_the_same_mock_in_process(statsig_mock: StatsigMock) -> None:
    transport = statsig_mock.transport()
    with httpx.Client(transport=transport, base_url="http://statsig.invalid") as http:
        response = http.post(
            CREATE.url_path(),
            json=example_body("in-process"),
            headers={KEY_HEADER: statsig_mock.api_key},
        )
    assert response.status_code == 201
    assert [source["name"] for source in statsig_mock.sources] == ["in-process"]


def test_loading_the_plugin_imports_none_of_the_mock(tmp_path: Path) -> None:
    # pytest loads the plugin in every run where the distribution is installed.
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, statsig_console_mock.plugin;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in"
            " {'starlette', 'uvicorn', 'orjson', 'jsonschema_rs', 'httpx', 'statsig_console'}"
            " or m.startswith('statsig_console_mock.')))",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "['statsig_console_mock.plugin']"
