"""Real mode is safe by construction: proven against the mock standing in for Statsig.

`scripts/contract-test` runs with a key set and the base URL pointed at the mock.
Afterwards the mock must have stored nothing, every request it saw must have been a
dry-run create, and the key must appear in nothing the run produced, even when the
server quotes it back as Statsig's 401 does.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from starlette.types import Scope

from statsig_console_mock import MockSettings, create_app, mock_state
from statsig_console_mock.testing import run_mock_server

from .defects import ENDPOINT, KEY_HEADER, Answer, DefectMiddleware
from .runner import ROOT, clean_environment, run


@dataclass
class Seen:
    method: str
    path: str
    body: bytes


@dataclass
class Recorder:
    """Keeps every request the mock receives, body read in full."""

    seen: list[Seen] = field(default_factory=list)

    def __call__(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        self.seen.append(Seen(scope["method"], scope["path"], body))
        return scope, body


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
    seen: list[Seen]
    stored: int
    files: list[Path]

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr


def run_real_mode(tmp_path: Path, *, key_accepted: bool) -> RealRun:
    key = f"console-safety-{secrets.token_hex(12)}"
    accepted = key if key_accepted else f"console-other-{secrets.token_hex(6)}"
    app = create_app(MockSettings(api_keys=(accepted,)))
    recorder = Recorder()
    # Not defects: one reads each request in full, the other quotes a refused key.
    app.add_middleware(DefectMiddleware, on_request=recorder, every_path=True)
    app.add_middleware(DefectMiddleware, on_answer=quote_the_key_like_statsig)
    with run_mock_server(app=app) as base_url:
        env = clean_environment(
            STATSIG_CONSOLE_API_KEY=key,
            STATSIG_API_BASE_URL=base_url,
            STATSIG_CONTRACT_MIN_INTERVAL_S="0",
        )
        command = [
            str(ROOT / "scripts" / "contract-test"),
            "--max-examples=10",
            f"--junitxml={tmp_path / 'reports' / 'contract.xml'}",
            f"--basetemp={tmp_path / 'pytest'}",
        ]
        result = run(command, env)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    return RealRun(key, result, recorder.seen, len(mock_state(app).store), files)


def assert_the_key_is_nowhere(run: RealRun, tmp_path: Path) -> None:
    assert run.key not in run.output
    assert tmp_path / "reports" / "contract.xml" in run.files
    for path in run.files:
        assert run.key.encode() not in path.read_bytes(), path


def test_real_mode_sends_only_dry_run_creates_and_never_shows_the_key(tmp_path: Path) -> None:
    run = run_real_mode(tmp_path, key_accepted=True)

    assert run.result.returncode == 0, run.output[-4000:]
    assert re.search(r"real API at http://127\.0\.0\.1:\d+ \(dry runs only\)", run.output)
    assert run.stored == 0
    # Only dry-run creates reached the server: no other method, path or body.
    assert len(run.seen) > 20
    for seen in run.seen:
        assert (seen.method, seen.path) == ("POST", ENDPOINT), seen
        body = json.loads(seen.body)
        assert isinstance(body, dict), seen
        assert body.get("dryRun") is True, seen
    # The summary's count is every request sent, so the bound on requests is real.
    sent = re.search(r"^requests: (\d+) sent", run.result.stdout, re.M)
    assert sent is not None, run.result.stdout[-2000:]
    assert int(sent[1]) == len(run.seen)
    assert_the_key_is_nowhere(run, tmp_path)


def test_a_refused_key_quoted_back_by_the_server_is_never_shown(tmp_path: Path) -> None:
    run = run_real_mode(tmp_path, key_accepted=False)

    # Every create is refused, so the run fails, and its report quotes the answers.
    assert run.result.returncode == 1, run.output[-4000:]
    assert "console-[redacted]" in run.output
    assert run.stored == 0
    assert_the_key_is_nowhere(run, tmp_path)
