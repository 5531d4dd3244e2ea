"""Run the mock on a free loopback port for the length of a ``with`` block."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import httpx
import uvicorn
from starlette.types import ASGIApp

from statsig_console_mock.app import create_app
from statsig_console_mock.server import uvicorn_config
from statsig_console_mock.settings import DEFAULT_API_KEY, MockSettings

_START_TIMEOUT_S = 10.0
_STOP_TIMEOUT_S = 15.0
ADMIN_KEY_HEADER = "STATSIG-API-KEY"


def reset_mock(base_url: str, api_key: str = DEFAULT_API_KEY, *, timeout: float = 30.0) -> None:
    """Empty a running mock (``POST /_mock/reset``, which needs an accepted key)."""
    response = httpx.post(
        f"{base_url}/_mock/reset", headers={ADMIN_KEY_HEADER: api_key}, timeout=timeout
    )
    response.raise_for_status()


def stored_sources(base_url: str, *, timeout: float = 60.0) -> list[dict[str, object]]:
    """What a running mock holds (``GET /_mock/sources``), in creation order."""
    response = httpx.get(f"{base_url}/_mock/sources", timeout=timeout)
    response.raise_for_status()
    sources: list[dict[str, object]] = response.json()
    return sources


@contextlib.contextmanager
def run_mock_server(
    settings: MockSettings | None = None, *, app: ASGIApp | None = None
) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:<port>``) of a mock serving in a thread.

    Pass ``app`` to serve an app built beforehand (to keep a handle on its state).
    The port is bound here, before the thread starts, so it cannot be taken meanwhile.
    """
    application = app if app is not None else create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(application, "127.0.0.1", port))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="statsig-console-mock", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the mock server stopped during start-up; see its log")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the mock server did not start within {_START_TIMEOUT_S} s")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=_START_TIMEOUT_S)
        if thread.is_alive():
            # Past uvicorn's graceful shutdown: drop the connections still open.
            server.force_exit = True
            thread.join(timeout=_START_TIMEOUT_S)
        sock.close()
        if thread.is_alive():
            raise RuntimeError("the mock server thread did not stop")


def mock_command(*args: str) -> list[str]:
    """The mock's command line on a free port: ``python -m statsig_console_mock --port 0``."""
    return [sys.executable, "-m", "statsig_console_mock", "--port", "0", *args]


@contextlib.contextmanager
def serve_command(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stderr: int | IO[Any] = subprocess.PIPE,
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run a server that prints its base URL as its first stdout line (the mock's CLI
    contract); yield that URL and the process, and stop it (SIGTERM, then SIGKILL).

    ``env`` is added to this process's environment; ``stderr`` is piped by default (or
    ``subprocess.DEVNULL``, or a file). A first line that is not an http URL is an
    error that shows what the command wrote to a piped stderr.
    """
    process = subprocess.Popen(  # noqa: S603 - the caller's own command, no shell
        list(command),
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            process.kill()
            _, errors = process.communicate(timeout=_STOP_TIMEOUT_S)
            raise RuntimeError(f"{command[0]} printed {url!r} instead of its URL: {errors or ''}")
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
        process.communicate(timeout=_STOP_TIMEOUT_S)
