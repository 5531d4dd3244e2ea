"""``--seed`` and ``--state`` on the command line, and a state that survives SIGKILL."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import orjson
import pytest
import yaml

from statsig_console_mock import DEFAULT_API_KEY
from statsig_console_mock.testing import mock_command, serve_command

from .helpers import CREATE, KEY_HEADER, example_body

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT_S = 15
KEY = {KEY_HEADER: DEFAULT_API_KEY}


@contextmanager
def serving(args: Sequence[str]) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    with serve_command(mock_command(*args), cwd=ROOT) as served:
        yield served


def _names(url: str) -> list[str]:
    return [source["name"] for source in httpx.get(f"{url}/_mock/sources").json()]


def test_a_seed_folder_loads_yaml_and_json_files_with_the_creates_defaults(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(example_body("from-yaml")), encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(example_body("from-json")), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a seed", encoding="utf-8")
    with serving(["--seed", str(tmp_path)]) as (url, _):
        sources = httpx.get(f"{url}/_mock/sources").json()
        # Seeded sources are real: a create of the same name is refused.
        taken = httpx.post(f"{url}{CREATE.url_path()}", json=example_body("from-yaml"), headers=KEY)
    assert [source["name"] for source in sources] == ["from-json", "from-yaml"]
    assert all(source["description"] == "" for source in sources)
    assert taken.status_code == 400


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("name: only-a-name\n", "sql: is required"),
        ("- a\n- list\n", "a seed must be a mapping"),
        ("name: [unclosed\n", "is not valid YAML"),
    ],
)
def test_a_bad_seed_stops_start_up_naming_the_file(
    tmp_path: Path, content: str, problem: str
) -> None:
    seed = tmp_path / "broken.yaml"
    seed.write_text(content, encoding="utf-8")
    done = subprocess.run(
        mock_command("--seed", str(seed)), capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert str(seed) in done.stderr
    assert problem in done.stderr
    assert "Traceback" not in done.stderr


def test_the_state_survives_a_restart_and_seeds_do_not_repeat(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    seed = tmp_path / "seed.yaml"
    seed.write_text(yaml.safe_dump(example_body("seeded")), encoding="utf-8")
    args = ["--state", str(state), "--seed", str(seed)]
    with serving(args) as (url, process):
        created = httpx.post(f"{url}{CREATE.url_path()}", json=example_body("kept"), headers=KEY)
        assert created.status_code == 201
        process.send_signal(signal.SIGTERM)
    with serving(args) as (url, _):
        assert _names(url) == ["seeded", "kept"]
        assert httpx.post(f"{url}/_mock/reset", headers=KEY).status_code == 200
    with serving(["--state", str(state)]) as (url, _):
        assert _names(url) == []


def test_a_state_file_that_is_not_the_mocks_stops_start_up(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    done = subprocess.run(
        mock_command("--state", str(state)), capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert str(state) in done.stderr


def test_a_state_path_that_cannot_be_written_stops_start_up(tmp_path: Path) -> None:
    state = tmp_path / "no-such-folder" / "state.json"
    done = subprocess.run(
        mock_command("--state", str(state)), capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert f"{state}: cannot be written" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_change_that_cannot_be_saved_is_not_acknowledged(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    state = folder / "state.json"
    with serving(["--state", str(state)]) as (url, _):
        # Root may write anywhere, so the folder goes away instead of losing its rights.
        shutil.rmtree(folder)
        answer = httpx.post(f"{url}{CREATE.url_path()}", json=example_body("lost"), headers=KEY)
        after = httpx.get(f"{url}{CREATE.url_path()}", headers=KEY)

    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["status"] == 503
    assert f"{state}: cannot be written" in answer.json()["message"]
    # The mock stays up and says what it holds.
    assert after.status_code == 200


WRITERS = 4
WRITES_PER_WRITER = 150
KILL_AFTER_ACKS = 120


def test_sigkill_during_a_burst_loses_no_acknowledged_write(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    acknowledged: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    with serving(["--state", str(state)]) as (url, process):

        def write(writer: int) -> None:
            with httpx.Client(base_url=url, headers=KEY, timeout=30) as http:
                for index in range(WRITES_PER_WRITER):
                    name = f"w{writer}-{index}"
                    try:
                        response = http.post(CREATE.url_path(), json=example_body(name))
                    except httpx.TransportError:
                        return  # killed
                    if response.status_code == 201:
                        with lock:
                            acknowledged.append(name)
                            if len(acknowledged) >= KILL_AFTER_ACKS:
                                enough.set()

        threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
        for thread in threads:
            thread.start()
        # Every writer is still sending when the kill lands, unless they all finished.
        enough.wait(timeout=120)
        os.kill(process.pid, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=120)
        with lock:
            seen = list(acknowledged)

    assert len(seen) >= KILL_AFTER_ACKS
    assert len(seen) < WRITERS * WRITES_PER_WRITER, "the burst ended before the kill"
    saved = orjson.loads(state.read_bytes())  # readable, whole
    assert set(seen) <= {source["name"] for source in saved["sources"]}
    # No temporary file of an interrupted write is taken for the state.
    with serving(["--state", str(state)]) as (url, _):
        assert set(seen) <= set(_names(url))
