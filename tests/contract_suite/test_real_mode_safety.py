"""Real mode is safe by construction: proven against the mock standing in for Statsig.

`scripts/contract-test` runs with the mock's key as the "real" key and the base URL
pointed at the mock. Afterwards the mock must have stored nothing, every request it
saw must have been a dry run, and the key must appear in nothing the run produced.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from starlette.types import Scope

from statsig_console_mock import MockSettings, create_app, mock_state
from statsig_console_mock.testing import run_mock_server

from .defects import DefectMiddleware

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Seen:
    method: str
    body: bytes


@dataclass
class Recorder:
    """Keeps every request that reaches the endpoint, body read in full."""

    seen: list[Seen] = field(default_factory=list)

    def __call__(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        self.seen.append(Seen(scope["method"], body))
        return scope, body


def test_real_mode_sends_only_dry_runs_and_never_shows_the_key(tmp_path: Path) -> None:
    key = f"console-safety-{secrets.token_hex(12)}"
    app = create_app(MockSettings(api_keys=(key,)))
    recorder = Recorder()
    # Not a defect: the middleware only reads each request in full and passes it on.
    app.add_middleware(DefectMiddleware, on_request=recorder)
    report = tmp_path / "reports" / "contract.xml"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STATSIG_", "PYTEST_"))}

    with run_mock_server(app=app) as base_url:
        env |= {
            "STATSIG_CONSOLE_API_KEY": key,
            "STATSIG_API_BASE_URL": base_url,
            "STATSIG_CONTRACT_MIN_INTERVAL_S": "0",
        }
        result = subprocess.run(
            [
                str(ROOT / "scripts" / "contract-test"),
                "--max-examples=10",
                f"--junitxml={report}",
                f"--basetemp={tmp_path / 'pytest'}",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert f"real API at {base_url} (dry runs only)" in output

    # Nothing was stored.
    assert len(mock_state(app).store) == 0

    # Every request that reached the endpoint was a JSON object carrying dryRun: true.
    posts = [seen for seen in recorder.seen if seen.method == "POST"]
    assert len(posts) > 20
    for seen in posts:
        body = json.loads(seen.body)
        assert isinstance(body, dict), seen
        assert body.get("dryRun") is True, seen

    # The summary's count is every request sent, so the bound on requests is real.
    sent = re.search(r"^requests: (\d+) sent", result.stdout, re.M)
    assert sent is not None, result.stdout[-2000:]
    assert int(sent[1]) == len(recorder.seen)

    # The key is in no output and no file the run wrote.
    assert key not in output
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert report in written
    for path in written:
        assert key.encode() not in path.read_bytes(), path
