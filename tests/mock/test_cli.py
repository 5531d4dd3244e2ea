"""scripts/mock-server as users run it: a subprocess, its printed URL and its exit."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from statsig_console_mock import DEFAULT_API_KEY
from statsig_console_mock.testing import mock_command, serve_command

from .helpers import ENDPOINT, minimal_body

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT_S = 15


@contextmanager
def serving(
    args: Sequence[str], env: dict[str, str] | None = None, script: bool = False
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    command = (
        [str(ROOT / "scripts" / "mock-server"), "--port", "0", *args]
        if script
        else mock_command(*args)
    )
    with serve_command(command, env=env, cwd=ROOT) as served:
        yield served


# One client for the module: building one per request costs more than the request.
_http = httpx.Client()


def _create(url: str, key: str = DEFAULT_API_KEY) -> httpx.Response:
    return _http.post(f"{url}{ENDPOINT}", json=minimal_body(), headers={"STATSIG-API-KEY": key})


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_script_serves_and_stops_cleanly(stop: signal.Signals) -> None:
    with serving([], script=True) as (url, process):
        assert _create(url).status_code == 201
        process.send_signal(stop)
        assert process.wait(timeout=STOP_TIMEOUT_S) == 0


def test_api_keys_from_flags_and_the_full_key_is_never_printed() -> None:
    key = "console-cli-flag-key-0123456789"
    with serving(["--api-key", key, "--api-key", "console-other-key-42"]) as (url, process):
        assert _create(url, key).status_code == 201
        assert _create(url, "console-other-key-42").status_code == 201
        assert _create(url).status_code == 401
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=STOP_TIMEOUT_S)
    assert process.returncode == 0
    assert key not in out + err


def test_api_keys_from_the_environment() -> None:
    env = {"STATSIG_MOCK_API_KEYS": "console-env-one, console-env-two"}
    with serving([], env=env) as (url, _):
        assert _create(url, "console-env-two").status_code == 201
        assert _create(url).status_code == 401


def test_rate_limit_flags() -> None:
    with serving(["--rate-limit-window", "2/60"]) as (url, _):
        assert [_create(url).status_code for _ in range(3)] == [201, 201, 429]
    with serving(["--rate-limit", "statsig"]) as (url, _):
        assert {_create(url).status_code for _ in range(100)} == {201}
        assert _create(url).status_code == 429


def test_project_flag_shares_one_budget() -> None:
    other = "console-cli-second-key"
    args = ["--api-key", DEFAULT_API_KEY, "--api-key", other, "--rate-limit-window", "2/60"]
    with serving([*args, "--project", f"{DEFAULT_API_KEY},{other}"]) as (url, _):
        assert [_create(url).status_code, _create(url, other).status_code] == [201, 201]
        assert _create(url, other).status_code == 429


def test_fault_flags() -> None:
    args = ["--fault-rate", "1", "--fault-status", "429", "--fault-retry-after", "3"]
    with serving(args) as (url, _):
        response = _create(url)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3"


def test_body_limit_flag() -> None:
    with serving(["--max-body-bytes", "100"]) as (url, _):
        assert _create(url).status_code == 413


@pytest.mark.parametrize(
    "args",
    [
        ["--fault-rate", "2"],
        ["--rate-limit-window", "many"],
        ["--rate-limit", "sometimes"],
        ["--project", "console-mock-development-key,"],
        ["--project", "console-unknown-project-key"],
        ["--spec", "/nonexistent/spec.yaml"],
        # Not "no latency": a value the mock cannot honour is refused, not ignored.
        ["--latency-ms", "nan"],
        ["--latency-ms", "-5"],
        ["--fault-rate", "-0.5"],
    ],
)
def test_bad_options_exit_2_with_a_message(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "statsig_console_mock", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=STOP_TIMEOUT_S,
        cwd=ROOT,
        check=False,
    )

    assert result.returncode == 2
    assert "error" in result.stderr
    assert result.stdout == ""


def test_the_access_log_goes_to_stderr_so_stdout_stays_the_url() -> None:
    with serving(["--access-log"]) as (url, process):
        assert _create(url).status_code == 201
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=STOP_TIMEOUT_S)

    assert stdout == ""  # the URL line was read already; nothing follows it
    assert f"POST {ENDPOINT}" in stderr
