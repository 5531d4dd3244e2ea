"""Real mode is safe by construction: proven against the mock standing in for Statsig.

`scripts/contract-test` runs with a key set and the base URL pointed at the mock.
Afterwards the mock must have stored nothing, every request it saw must have been a
dry-run create, and the key must appear in nothing the run produced, even when the
server quotes it back as Statsig's 401 does, escaped or in another charset, redirects,
hangs up or is not there at all, and whatever traceback options are added.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.types import Scope

from statsig_console_mock import mock_state
from statsig_console_mock.testing import run_mock_server

from .defects import ENDPOINT, KEY_HEADER, Answer
from .hostile import (
    Recorder,
    Seen,
    dead_port,
    hanging_up_server,
    quote_the_key_escaped,
    recording_mock,
    redirecting_to,
)
from .runner import ROOT, clean_environment, run

# The suite's bound on requests to the real API (contract_tests/conftest.py).
MAX_REQUESTS = 400
# Every option that makes pytest show more of a failure.
LOUD = ["--tb=long", "-l", "-vv", "--full-trace", "-o", "junit_logging=all"]
NATIVE = ["--tb=native", "-s"]


def quote_the_key_like_statsig(scope: Scope, body: bytes, answer: Answer) -> None:
    if answer.status == 401:
        sent = dict(scope["headers"]).get(KEY_HEADER, b"").decode("latin-1")
        answer.set_json(
            {
                "status": 401,
                "message": "This endpoint only accepts an active CONSOLE key, but an "
                f"invalid key was sent. Key: {sent}",
            }
        )


@dataclass
class RealRun:
    key: str
    result: subprocess.CompletedProcess[str]
    files: list[Path]

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    @property
    def sent(self) -> int:
        sent = re.search(r"^requests: (\d+) sent", self.result.stdout, re.M)
        assert sent is not None, self.result.stdout[-2000:]
        return int(sent[1])


def new_key() -> str:
    return f"console-safety-{secrets.token_hex(12)}"


def run_suite(
    tmp_path: Path, key: str, base_url: str, *options: str, max_examples: int = 10
) -> RealRun:
    env = clean_environment(
        STATSIG_CONSOLE_API_KEY=key,
        STATSIG_API_BASE_URL=base_url,
        STATSIG_CONTRACT_MIN_INTERVAL_S="0",
    )
    command = [
        str(ROOT / "scripts" / "contract-test"),
        f"--max-examples={max_examples}",
        f"--junitxml={tmp_path / 'reports' / 'contract.xml'}",
        f"--basetemp={tmp_path / 'pytest'}",
        *options,
    ]
    result = run(command, env)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    return RealRun(key, result, files)


def assert_the_key_is_nowhere(run: RealRun, tmp_path: Path) -> None:
    assert run.key not in run.output
    # Nor any long part of it (a repr cut short by pytest).
    secret_part = run.key.removeprefix("console-")
    assert secret_part[:12] not in run.output
    assert secret_part[-12:] not in run.output
    assert tmp_path / "reports" / "contract.xml" in run.files
    for path in run.files:
        content = path.read_bytes()
        assert run.key.encode() not in content, path
        assert secret_part[-12:].encode() not in content, path


def assert_only_dry_run_creates(seen: list[Seen]) -> None:
    for request in seen:
        assert (request.method, request.path) == ("POST", ENDPOINT), request
        body = json.loads(request.body)
        assert isinstance(body, dict), request
        assert body.get("dryRun") is True, request


@dataclass
class Mocked:
    run: RealRun
    seen: list[Seen]
    stored: int


def run_against_mock(tmp_path: Path, *options: str, key_accepted: bool) -> Mocked:
    key = new_key()
    accepted = key if key_accepted else f"console-other-{secrets.token_hex(6)}"
    recorder = Recorder()
    # Not a defect: Statsig's 401 quotes the refused key.
    app = recording_mock(recorder, (accepted,), quote_the_key_like_statsig)
    with run_mock_server(app=app) as base_url:
        real_run = run_suite(tmp_path, key, base_url, *options)
    return Mocked(real_run, recorder.seen, len(mock_state(app).store))


def test_real_mode_sends_only_dry_run_creates_and_never_shows_the_key(tmp_path: Path) -> None:
    mocked = run_against_mock(tmp_path, key_accepted=True)
    real_run = mocked.run

    assert real_run.result.returncode == 0, real_run.output[-4000:]
    assert re.search(r"real API at http://127\.0\.0\.1:\d+ \(dry runs only\)", real_run.output)
    assert mocked.stored == 0
    # Only dry-run creates reached the server: no other method, path or body.
    assert len(mocked.seen) > 20
    assert_only_dry_run_creates(mocked.seen)
    # The summary's count is every request sent, so the bound on requests is real.
    assert real_run.sent == len(mocked.seen)
    assert_the_key_is_nowhere(real_run, tmp_path)


def test_a_refused_key_quoted_back_by_the_server_is_never_shown(tmp_path: Path) -> None:
    mocked = run_against_mock(tmp_path, key_accepted=False)

    # Every create is refused, so the run fails, and its report quotes the answers.
    assert mocked.run.result.returncode == 1, mocked.run.output[-4000:]
    assert "console-[redacted]" in mocked.run.output
    assert mocked.stored == 0
    assert_the_key_is_nowhere(mocked.run, tmp_path)


@contextlib.contextmanager
def redirecting_api(status: int, to: str, key: str) -> Iterator[tuple[str, Recorder, Recorder]]:
    """The API answering every request with a redirect; ``to`` names where it points."""
    api, elsewhere = Recorder(), Recorder()
    urls: dict[str, str] = {}

    def location() -> str:
        return {
            "another path": f"{urls['api']}{ENDPOINT}-moved",
            "another server": f"{urls['elsewhere']}{ENDPOINT}",
            "itself": f"{urls['api']}{ENDPOINT}",
        }[to]

    app = recording_mock(api, (key,), redirecting_to(status, location))
    with (
        run_mock_server(app=recording_mock(elsewhere, (key,))) as urls["elsewhere"],
        run_mock_server(app=app) as urls["api"],
    ):
        yield urls["api"], api, elsewhere


@pytest.mark.slow
@pytest.mark.parametrize(
    ("status", "to"),
    [(301, "another path"), (302, "another server"), (307, "another server"), (308, "itself")],
)
def test_a_redirect_is_a_failure_and_is_never_followed(
    tmp_path: Path, status: int, to: str
) -> None:
    key = new_key()
    with redirecting_api(status, to, key) as (base_url, api, elsewhere):
        real_run = run_suite(tmp_path, key, base_url)

    assert real_run.result.returncode == 1, real_run.output[-4000:]
    assert f"was answered {status}, redirecting to http://127.0.0.1:" in real_run.output
    # The key went nowhere it was not configured for; one request, then nothing.
    assert elsewhere.seen == []
    assert len(api.seen) == real_run.sent == 1
    assert_only_dry_run_creates(api.seen)
    assert_the_key_is_nowhere(real_run, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("options", [LOUD, NATIVE], ids=["long-locals-full-trace", "native-s"])
def test_a_server_that_hangs_up_never_sees_the_key_shown(
    tmp_path: Path, options: list[str]
) -> None:
    key = new_key()
    with hanging_up_server() as (base_url, heads):
        real_run = run_suite(tmp_path, key, base_url, *options, max_examples=3)

    assert real_run.result.returncode == 1, real_run.output[-4000:]
    assert "failed before an answer came" in real_run.output
    assert 0 < len(heads) == real_run.sent <= MAX_REQUESTS
    for head in heads:
        assert head.startswith(f"POST {ENDPOINT} HTTP/1.1".encode()), head[:200]
    assert_the_key_is_nowhere(real_run, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("options", [[], LOUD, NATIVE], ids=["default", "long-locals", "native-s"])
def test_a_dead_port_never_gets_the_key_shown(tmp_path: Path, options: list[str]) -> None:
    real_run = run_suite(tmp_path, new_key(), dead_port(), *options, max_examples=3)

    assert real_run.result.returncode == 1, real_run.output[-4000:]
    assert "Connection refused" in real_run.output
    assert real_run.sent <= MAX_REQUESTS
    assert_the_key_is_nowhere(real_run, tmp_path)


@pytest.mark.slow
def test_the_key_quoted_escaped_or_in_utf16_is_never_shown(tmp_path: Path) -> None:
    key = new_key()
    recorder = Recorder()
    app = recording_mock(recorder, (key,), quote_the_key_escaped)
    with run_mock_server(app=app) as base_url:
        real_run = run_suite(tmp_path, key, base_url, *LOUD)

    assert real_run.result.returncode == 1, real_run.output[-4000:]
    assert "console-[redacted]" in real_run.output
    escaped = key.replace("-", "\\u002d")
    assert escaped not in real_run.output
    assert_only_dry_run_creates(recorder.seen)
    assert real_run.sent == len(recorder.seen)
    assert_the_key_is_nowhere(real_run, tmp_path)
