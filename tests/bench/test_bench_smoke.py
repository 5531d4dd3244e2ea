"""The benchmark code runs, with tiny counts and no figure checked (scripts/bench measures).

wrk and Prism are not needed by the test suite: the wrk run is skipped without it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from benchmarks import client_overhead, tooling
from benchmarks.load import (
    DELETE,
    LIST,
    PRELOADED,
    REQUEST_BODY,
    SCENARIOS,
    lua_script,
    parse_wrk_output,
    run_wrk,
)
from benchmarks.processes import ENDPOINT, ROOT, serve_mock, serve_noop
from benchmarks.report import Target, render
from benchmarks.run import main, preload
from statsig_console_mock.testing import stored_sources


@pytest.fixture
def wrk() -> str:
    """The wrk executable; a test that needs it is skipped without it."""
    found = shutil.which("wrk")
    if found is None:
        pytest.skip("wrk is installed by scripts/bench")
    return found


def test_the_noop_ceiling_answers_like_the_mock() -> None:
    with serve_noop() as noop, serve_mock() as mock:
        body = {**REQUEST_BODY, "name": "bench-000000000"}
        headers = {"STATSIG-API-KEY": "console-mock-development-key"}
        ceiling = httpx.post(f"{noop.base_url}{ENDPOINT}", json=body, headers=headers)
        ours = httpx.post(f"{mock.base_url}{ENDPOINT}", json=body, headers=headers)

    assert ceiling.status_code == ours.status_code == 201
    # Same bytes on the wire, so the ceiling is not cheaper for writing less.
    assert len(ceiling.content) == len(ours.content)
    assert ceiling.json() == ours.json()


def test_the_wrk_script_sends_a_new_name_per_request() -> None:
    script = lua_script("run7")

    assert '"run7"' in script
    assert "counter = counter + 1" in script
    assert "@NAME@" not in script


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_each_scenario_script_sends_its_operations_method(scenario: str) -> None:
    script = lua_script("run8", scenario=scenario)

    method = {"create": "POST", "list": LIST.method, "delete": DELETE.method}.get(scenario)
    if method is not None:
        assert f'wrk.method = "{method}"' in script
    assert "@NAME@" not in script


def test_an_unknown_scenario_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        lua_script("run9", scenario="upsert")


@pytest.mark.parametrize("scenario", ["list", "update", "patch"])
def test_short_runs_on_a_preloaded_mock_are_all_2xx_and_keep_the_store(
    wrk: str, scenario: str
) -> None:
    with serve_mock() as mock:
        preload(mock.base_url, PRELOADED)
        result = run_wrk(
            wrk, mock.base_url, run_id="smoke", connections=2, seconds=1, scenario=scenario
        )
        stored = stored_sources(mock.base_url)

    assert result.requests > 0
    assert result.non_2xx_share == 0
    assert len(stored) == PRELOADED


def test_a_delete_run_takes_the_names_a_create_run_stored(wrk: str) -> None:
    with serve_mock() as mock:
        created = run_wrk(wrk, mock.base_url, run_id="pair", connections=2, seconds=2)
        deleted = run_wrk(
            wrk, mock.base_url, run_id="pair", connections=2, seconds=1, scenario="delete"
        )
        stored = len(stored_sources(mock.base_url))

    assert deleted.requests > 0
    assert set(deleted.statuses) == {200}
    # wrk stops each run with up to one request per connection in flight, which the mock
    # may still serve uncounted: a stored create (+1) or a done delete (-1) per connection.
    assert abs(stored - (created.statuses[201] - deleted.statuses[200])) <= 2


def test_wrk_output_is_parsed_with_its_statuses() -> None:
    result = parse_wrk_output(
        "Running 1s test\nBENCH_RESULT "
        + json.dumps(
            {
                "requests": 300,
                "duration_us": 1_500_000,
                "p50_us": 1200,
                "p99_us": 4000,
                "socket_errors": 0,
                "statuses": {"201": 270, "400": 30},
            }
        )
    )

    assert result.requests_per_s == 200
    assert result.p99_ms == 4.0
    assert result.non_2xx_share == pytest.approx(0.1)


def test_a_short_wrk_run_against_the_mock_is_all_201s(wrk: str) -> None:
    with serve_mock() as mock:
        result = run_wrk(wrk, mock.base_url, run_id="smoke", connections=2, seconds=1)
        stored = len(stored_sources(mock.base_url))

    assert result.requests > 0
    assert set(result.statuses) == {201}
    assert 0 <= stored - result.statuses[201] <= 2


def test_client_overhead_measures_every_variant() -> None:
    with serve_mock() as mock:
        result = client_overhead.measure(mock.base_url, calls=10, run_id="smoke")
        stored = len(stored_sources(mock.base_url))

    assert set(result.median_us) == set(client_overhead.VARIANTS)
    assert result.calls_per_variant == client_overhead.BLOCK
    # Warm-up and measured calls, each a distinct create.
    assert stored == 2 * len(client_overhead.VARIANTS) * client_overhead.BLOCK


def test_import_times_come_from_fresh_interpreters() -> None:
    times = tooling.import_seconds(["json", "httpx"], runs=1)

    assert {module: len(values) for module, values in times.items()} == {"json": 1, "httpx": 1}


def test_the_table_says_which_targets_are_met() -> None:
    target = Target("throughput", 0.3, "%", ">=", 0.4)
    results = {
        "date": "2026-01-01T00:00:00+00:00",
        "machine": {"cores": 2, "cpu": "Test CPU", "python": "3.11.7", "system": "Linux"},
        "targets": [
            {"name": "ratio", "measured": 1.1, "unit": "x", "comparison": "<=", "goal": 1.15},
            {"name": "throughput", "measured": 0.3, "unit": "%", "comparison": ">=", "goal": 0.4},
        ],
    }

    table = render(results)

    assert not target.met
    assert "1.10x  <= 1.15x      met" in table
    assert "30%    >= 40%  NOT MET" in table


def test_the_command_writes_its_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "results.json"

    assert main(["--only", "client", "--calls", "10", "--output", str(output)]) == 0

    written = json.loads(output.read_text(encoding="utf-8"))
    assert written["client_overhead"]["calls_per_variant"] == client_overhead.BLOCK
    assert written["targets"][0]["name"].startswith("generated sync vs raw httpx")
    assert "Client overhead" in capsys.readouterr().out


@pytest.mark.usefixtures("wrk")
def test_the_mock_section_runs_without_prism(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "results.json"
    args = ["--only", "mock", "--seconds", "1", "--warmup", "1", "--rounds", "1"]

    assert main([*args, "--prism", str(tmp_path / "no-prism"), "--output", str(output)]) == 0

    section = json.loads(output.read_text(encoding="utf-8"))["mock_throughput"]
    assert set(section["servers"]) == {"mock", "no-op"}
    assert section["servers"]["mock"]["stored_matches_201s"] is True
    assert "Prism not measured" in capsys.readouterr().out


def test_a_run_writes_under_reports_and_only_save_touches_the_committed_figures() -> None:
    from benchmarks.run import DEFAULT_OUTPUT, SAVED_OUTPUT, build_parser

    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", str(SAVED_OUTPUT)],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert tracked.returncode == 0, "the saved figures are a committed file"
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(DEFAULT_OUTPUT)], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0, "a plain run writes where git does not look"
    assert build_parser().parse_args([]).output == DEFAULT_OUTPUT
    assert build_parser().parse_args(["--save"]).output == SAVED_OUTPUT
