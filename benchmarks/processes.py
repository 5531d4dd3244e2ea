"""Servers under test, each a child process that is always stopped by its own pid."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from statsig_console import spec as console_spec
from statsig_console_mock.testing import mock_command, serve_command

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi" / "statsig-console-api.yaml"
# The create's path: what the no-op ceiling and the client overhead are measured on.
ENDPOINT = console_spec.load().operation("createAssignmentSource").path
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


class ServerError(RuntimeError):
    """A server did not start, or stopped on its own."""


@dataclass(frozen=True, slots=True)
class Server:
    name: str
    base_url: str
    pid: int

    def rss_bytes(self) -> int:
        return rss_bytes(self.pid)


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, from /proc (Linux only, like the benchmark)."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise ServerError(f"no VmRSS line for pid {pid}")


def free_port() -> int:
    # For servers that cannot be handed a socket (Prism); the race with another
    # process taking the port in between is acceptable on a benchmark machine.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_S)


def _wait_ready(
    process: subprocess.Popen[str] | subprocess.Popen[bytes], base_url: str, name: str
) -> None:
    """Until the server answers any HTTP at all (Prism prints its URL before it does)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise ServerError(f"{name} exited with status {process.returncode} during start-up")
        try:
            httpx.get(f"{base_url}/", timeout=2.0)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise ServerError(f"{name} did not answer within {START_TIMEOUT_S:g} s") from None
            time.sleep(0.1)


@contextlib.contextmanager
def serve_printing_url(name: str, command: Sequence[str]) -> Iterator[Server]:
    """A server that prints its base URL as its first stdout line (the mock's contract)."""
    served = serve_command(
        command, env={"PYTHONPATH": str(ROOT)}, cwd=ROOT, stderr=subprocess.DEVNULL
    )
    with served as (url, process):
        _wait_ready(process, url, name)
        yield Server(name, url, process.pid)


def serve_mock() -> contextlib.AbstractContextManager[Server]:
    return serve_printing_url("mock", mock_command())


def serve_noop() -> contextlib.AbstractContextManager[Server]:
    return serve_printing_url("no-op", [sys.executable, "-m", "benchmarks.noop_server"])


@contextlib.contextmanager
def serve_prism(prism: Path) -> Iterator[Server]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    # Warnings only: Prism logs every request at its default level, which the mock
    # (without --access-log) does not, and the comparison would measure logging.
    command = [str(prism), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "warn", str(SPEC)]
    process = subprocess.Popen(  # noqa: S603 - a fixed command built by this package
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    )
    try:
        _wait_ready(process, base_url, "prism")
        yield Server("prism", base_url, process.pid)
    finally:
        _stop(process)
