"""The sources-as-code command against the mock: a no-change plan, and a paced apply.

- ``plan`` of N files against N identical live sources: the requests the mock received
  (the goal: the list pages only, no mutation) and the command's wall time.
- ``apply`` of M creates against the mock's rate-limit emulation with scaled windows:
  the mutation rate achieved as a share of the most the windows allow, and the 429s.

The mock runs as its own process with its access log on, so every request it received
(retries included) is counted from its side; the command runs as a user would run it.
"""

from __future__ import annotations

import contextlib
import copy
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import httpx

from benchmarks.processes import ROOT
from statsig_console import API_KEY_VARIABLE, BASE_URL_VARIABLE, spec
from statsig_console.cli.files import dump_yaml
from statsig_console_mock import DEFAULT_API_KEY
from statsig_console_mock.testing import mock_command, serve_command

if TYPE_CHECKING:
    from benchmarks.report import Target

CREATE = spec.load().operation("createAssignmentSource")
# Statsig's two windows scaled down so a run takes seconds, both of them binding:
# the short one for the first 200 mutations, the long one after.
SCALED_WINDOWS: tuple[tuple[int, float], ...] = ((50, 1.0), (200, 10.0))
_LOG_SETTLE_POLLS = 100
_START_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class LoggedMock:
    base_url: str
    log: Path

    def requests(self) -> list[tuple[str, int]]:
        """(method, status) of every request the mock has logged so far."""
        found = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            # uvicorn: INFO:     127.0.0.1:PORT - "METHOD /path HTTP/1.1" STATUS
            if ' - "' not in line:
                continue
            request, _, rest = line.partition(' - "')[2].partition('" ')
            status = rest.split(" ", 1)[0]
            if request and status.isdigit():
                found.append((request.split(" ", 1)[0], int(status)))
        return found

    def settled_requests(self) -> list[tuple[str, int]]:
        # The log is written by another process: read until it stops growing (bounded).
        seen = self.requests()
        for _ in range(_LOG_SETTLE_POLLS):
            time.sleep(0.05)
            again = self.requests()
            if len(again) == len(seen):
                return again
            seen = again
        return seen


@contextlib.contextmanager
def logged_mock(directory: Path, extra: Sequence[str] = ()) -> Iterator[LoggedMock]:
    log = directory / "mock-access.log"
    with (
        log.open("wb") as sink,
        serve_command(mock_command("--access-log", *extra), cwd=ROOT, stderr=sink) as (url, _),
    ):
        yield LoggedMock(url, log)


def _body(name: str) -> dict[str, Any]:
    body: dict[str, Any] = copy.deepcopy(CREATE.body_examples["minimal"])
    return body | {"name": name, "isReadOnly": True}


def _command(base_url: str, *args: str) -> tuple[list[str], dict[str, str]]:
    environment = os.environ | {API_KEY_VARIABLE: DEFAULT_API_KEY, BASE_URL_VARIABLE: base_url}
    return [sys.executable, "-m", "statsig_console.cli", "sources", *args], environment


def _run(base_url: str, *args: str) -> tuple[int, float, str]:
    command, environment = _command(base_url, *args)
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        command, env=environment, capture_output=True, text=True, check=False
    )
    return done.returncode, time.perf_counter() - started, done.stdout + done.stderr


def measure_plan(files: int, page_size: int = 100) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as work, logged_mock(Path(work)) as mock:
        headers = {CREATE.key_header or "": DEFAULT_API_KEY}
        with httpx.Client(base_url=mock.base_url, headers=headers, timeout=30) as http:
            for index in range(files):
                answer = http.post(CREATE.url_path(), json=_body(f"bench-{index:05}"))
                answer.raise_for_status()
        directory = Path(work) / "sources"
        code, _, output = _run(mock.base_url, "export", str(directory))
        if code != 0:
            raise RuntimeError(f"export failed: {output}")
        before = len(mock.settled_requests())
        code, seconds, output = _run(
            mock.base_url, "plan", str(directory), "--page-size", str(page_size)
        )
        if code != 0:
            raise RuntimeError(f"plan of an export should find nothing to do: {output}")
        received = mock.settled_requests()[before:]
    return {
        "files": files,
        "page_size": page_size,
        "wall_s": seconds,
        "requests": len(received),
        "list_pages": sum(method == "GET" for method, _ in received),
        "mutations": sum(method != "GET" for method, _ in received),
        "expected_pages": -(-files // page_size),
    }


def ideal_span(count: int, windows: Sequence[tuple[int, float]]) -> float:
    """Seconds from the first to the last of ``count`` instant requests the windows allow."""
    times: list[float] = []
    for index in range(count):
        start = max(
            [0.0] + [times[index - limit] + seconds for limit, seconds in windows if index >= limit]
        )
        times.append(start)
    return times[-1] - times[0]


def _timed_lines(stream: IO[str]) -> list[float]:
    stamps = []
    for line in stream:  # ends with the process, so the loop is bounded
        if line.startswith("["):
            stamps.append(time.perf_counter())
    return stamps


def measure_apply(changes: int, windows: Sequence[tuple[int, float]]) -> dict[str, Any]:
    flags = [f"{limit}/{seconds:g}" for limit, seconds in windows]
    mock_flags = [part for flag in flags for part in ("--rate-limit-window", flag)]
    with tempfile.TemporaryDirectory() as work, logged_mock(Path(work), mock_flags) as mock:
        directory = Path(work) / "sources"
        directory.mkdir()
        for index in range(changes):
            name = f"bench-{index:05}"
            (directory / f"{name}.yaml").write_text(dump_yaml(_body(name)), encoding="utf-8")
        pacing = [part for flag in flags for part in ("--rate-window", flag)]
        command, environment = _command(mock.base_url, "apply", str(directory), "--yes", *pacing)
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
            command, env=environment, stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        stamps = _timed_lines(process.stdout)
        code = process.wait(timeout=600)
        process.stdout.close()
        wall = time.perf_counter() - started
        received = mock.settled_requests()
    if code != 0 or len(stamps) != changes:
        raise RuntimeError(f"apply exited {code} after {len(stamps)} of {changes} changes")
    # Between the first answer and the last: the span the windows decide.
    measured = stamps[-1] - stamps[0]
    ideal = ideal_span(changes, windows)
    return {
        "changes": changes,
        "windows": flags,
        "wall_s": wall,
        "mutation_span_s": measured,
        "ideal_span_s": ideal,
        "rate_share": ideal / measured if measured > 0 else 0.0,
        "mutations_received": sum(method != "GET" for method, _ in received),
        "responses_429": sum(status == 429 for _, status in received),
    }


def section(plan_files: int, apply_changes: int) -> dict[str, Any]:
    return {
        "plan": measure_plan(plan_files),
        "apply": measure_apply(apply_changes, SCALED_WINDOWS),
    }


def lines(results: dict[str, Any]) -> list[str]:
    plan, apply = results["plan"], results["apply"]
    return [
        f"Sources: plan of {plan['files']:,} files against as many identical sources: "
        f"{plan['wall_s']:.2f} s, {plan['requests']} requests ({plan['list_pages']} list "
        f"pages of {plan['page_size']}, {plan['mutations']} mutations)",
        f"Sources: apply of {apply['changes']} creates, windows {', '.join(apply['windows'])}: "
        f"{apply['mutation_span_s']:.2f} s for a best possible {apply['ideal_span_s']:.2f} s "
        f"({apply['rate_share']:.0%} of the allowed rate), {apply['responses_429']} x 429, "
        f"{apply['mutations_received']} mutations received",
    ]


def targets(results: dict[str, Any] | None) -> list[Target]:
    # Here, not at the top: the report module imports this one for its lines.
    from benchmarks.report import Target

    if results is None:
        return []
    plan, apply = results["plan"], results["apply"]
    return [
        Target(f"sources plan of {plan['files']:,} files (s)", plan["wall_s"], " s", "<", 5.0),
        Target(
            "sources plan requests beyond the list pages",
            plan["requests"] - plan["expected_pages"],
            "",
            "<=",
            0,
        ),
        Target("sources apply rate vs allowed", apply["rate_share"], "%", ">=", 0.90),
        Target(
            "sources apply 429s per 100 changes",
            100 * apply["responses_429"] / apply["changes"],
            "",
            "<=",
            1.0,
        ),
    ]
