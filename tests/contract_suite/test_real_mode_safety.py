"""Real mode is safe by construction: proven against the mock standing in for Statsig.

`scripts/contract-test` runs with a key set and the base URL pointed at the mock, which
holds sources of its own, as a real project does. Afterwards those must be unchanged
and nothing else stored; every request the mock saw must have been a GET of the list
or a dry run, every dry-run update and patch must have addressed a name that did not
exist, and no DELETE was sent. The key must appear in nothing the run produced, even when the
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
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from starlette.types import Scope

from contract_tests.writes import CONFIRM_ENV, CONFIRM_VALUE, WRITE_MARKER, WRITE_PREFIX
from statsig_console import spec
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

CONFIRMED = {CONFIRM_ENV: CONFIRM_VALUE}

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
    tmp_path: Path,
    key: str,
    base_url: str,
    *options: str,
    max_examples: int = 10,
    env: dict[str, str] | None = None,
) -> RealRun:
    env = clean_environment(
        STATSIG_CONSOLE_API_KEY=key,
        STATSIG_API_BASE_URL=base_url,
        STATSIG_CONTRACT_MIN_INTERVAL_S="0",
        **(env or {}),
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


SPEC = spec.load()
LIST_PATH = SPEC.operation("listAssignmentSources").path
SOURCE_PREFIX = SPEC.operation("updateAssignmentSource").path.partition("{")[0]
# Sources the project holds before the run: the spec's own example names.
EXISTING = tuple(
    example["name"]
    for example in SPEC.operation("createAssignmentSource").body_examples.values()
    if not example.get("dryRun")
)


def assert_only_reads_and_dry_runs(seen: list[Seen], existing: tuple[str, ...] = ()) -> None:
    """Only list GETs and dry runs; changes only ever to names that did not exist."""
    for request in seen:
        if request.method == "GET":
            assert request.path == LIST_PATH, request
            continue
        assert request.method in ("POST", "PATCH"), request
        body = json.loads(request.body)
        assert isinstance(body, dict), request
        assert body.get("dryRun") is True, request
        if request.method == "POST" and request.path == ENDPOINT:
            continue
        assert request.raw_path.startswith(SOURCE_PREFIX), request
        name = unquote(request.raw_path.removeprefix(SOURCE_PREFIX))
        assert name not in existing, request
        assert "~ct" in name, request


@dataclass
class Mocked:
    run: RealRun
    seen: list[Seen]
    before: list[dict[str, Any]]
    after: list[dict[str, Any]]


def seed(base_url: str, key: str) -> None:
    header = SPEC.operation("createAssignmentSource").key_header or ""
    for example in SPEC.operation("createAssignmentSource").body_examples.values():
        if not example.get("dryRun"):
            response = httpx.post(base_url + ENDPOINT, json=example, headers={header: key})
            assert response.status_code == 201, response.text


def run_against_mock(
    tmp_path: Path, *options: str, key_accepted: bool, env: dict[str, str] | None = None
) -> Mocked:
    key = new_key()
    accepted = key if key_accepted else f"console-other-{secrets.token_hex(6)}"
    recorder = Recorder()
    # Not a defect: Statsig's 401 quotes the refused key.
    app = recording_mock(recorder, (accepted,), quote_the_key_like_statsig)
    with run_mock_server(app=app) as base_url:
        seed(base_url, accepted)
        before = mock_state(app).store.list()
        recorder.seen.clear()
        real_run = run_suite(tmp_path, key, base_url, *options, env=env)
    return Mocked(real_run, recorder.seen, before, mock_state(app).store.list())


def test_real_mode_sends_only_reads_and_dry_runs_and_never_shows_the_key(
    tmp_path: Path,
) -> None:
    mocked = run_against_mock(tmp_path, key_accepted=True)
    real_run = mocked.run

    assert real_run.result.returncode == 0, real_run.output[-4000:]
    assert re.search(r"real API at http://127\.0\.0\.1:\d+ \(dry runs only\)", real_run.output)
    # The project's sources are as they were, and nothing was added.
    assert mocked.after == mocked.before
    assert len(mocked.before) == len(EXISTING) > 0
    # Only list reads and dry runs reached the server: no delete, no live name.
    assert len(mocked.seen) > 20
    assert_only_reads_and_dry_runs(mocked.seen, EXISTING)
    methods = {(request.method, request.path == ENDPOINT) for request in mocked.seen}
    # Every kind of safe request was exercised: list, create, update and patch.
    assert {("GET", True), ("POST", True), ("POST", False), ("PATCH", False)} <= methods
    # The summary's count is every request sent, so the bound on requests is real.
    assert real_run.sent == len(mocked.seen)
    assert_the_key_is_nowhere(real_run, tmp_path)


def test_a_refused_key_quoted_back_by_the_server_is_never_shown(tmp_path: Path) -> None:
    mocked = run_against_mock(tmp_path, key_accepted=False)

    # Every create is refused, so the run fails, and its report quotes the answers.
    assert mocked.run.result.returncode == 1, mocked.run.output[-4000:]
    assert "console-[redacted]" in mocked.run.output
    assert mocked.after == mocked.before
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
    assert_only_reads_and_dry_runs(api.seen)
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
    safe = (
        f"GET {LIST_PATH}",
        f"POST {ENDPOINT} ",
        f"POST {SOURCE_PREFIX}",
        f"PATCH {SOURCE_PREFIX}",
    )
    for head in heads:
        assert head.startswith(tuple(start.encode() for start in safe)), head[:200]
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
    assert_only_reads_and_dry_runs(recorder.seen)
    assert real_run.sent == len(recorder.seen)
    assert_the_key_is_nowhere(real_run, tmp_path)


def test_half_of_the_write_switches_writes_nothing(tmp_path: Path) -> None:
    confirmed_only = run_against_mock(tmp_path / "confirmed", key_accepted=True, env=CONFIRMED)
    flag_only = run_against_mock(tmp_path / "flag", "--allow-writes", key_accepted=True)

    assert confirmed_only.run.result.returncode == 0, confirmed_only.run.output[-4000:]
    assert confirmed_only.after == confirmed_only.before
    assert_only_reads_and_dry_runs(confirmed_only.seen, EXISTING)
    # The flag without the confirmation is refused before anything is sent.
    assert flag_only.run.result.returncode != 0
    assert CONFIRM_ENV in flag_only.run.output
    assert flag_only.seen == []
    assert flag_only.after == flag_only.before


def test_write_mode_removes_what_it_created_and_only_its_own_leftovers(tmp_path: Path) -> None:
    key = new_key()
    header = SPEC.operation("createAssignmentSource").key_header or ""
    minimal = SPEC.operation("createAssignmentSource").body_examples["minimal"]
    leftover = {**minimal, "name": f"{WRITE_PREFIX}left-over", "tags": [WRITE_MARKER]}
    users_own = {**minimal, "name": f"{WRITE_PREFIX}users-own", "tags": ["mine"]}
    recorder = Recorder()
    app = recording_mock(recorder, (key,))
    with run_mock_server(app=app) as base_url:
        seed(base_url, key)
        for body in (leftover, users_own):
            stored = httpx.post(base_url + ENDPOINT, json=body, headers={header: key})
            assert stored.status_code == 201, stored.text
        recorder.seen.clear()
        real_run = run_suite(tmp_path, key, base_url, "--allow-writes", env=CONFIRMED)
        after = {source["name"] for source in mock_state(app).store.list()}

    assert real_run.result.returncode == 0, real_run.output[-4000:]
    # The leftover of an earlier run is swept; the user's source is kept.
    assert after == {*EXISTING, users_own["name"]}
    assert re.search(r"swept 1 leftover.*left-over", real_run.output)
    created = re.search(r"^ +created (\d+):", real_run.output, re.M)
    deleted = re.search(r"^ +deleted (\d+):", real_run.output, re.M)
    assert created is not None, real_run.output[-3000:]
    assert deleted is not None, real_run.output[-3000:]
    assert int(created[1]) > 0
    assert "NOT DELETED" not in real_run.output
    # Nothing that existed before was changed for real.
    for request in recorder.seen:
        body = json.loads(request.body) if request.body else {}
        if request.path.startswith(SOURCE_PREFIX) and not body.get("dryRun"):
            name = unquote(request.raw_path.removeprefix(SOURCE_PREFIX))
            assert name.startswith(WRITE_PREFIX), request
            assert name != users_own["name"], request
    assert_the_key_is_nowhere(real_run, tmp_path)
