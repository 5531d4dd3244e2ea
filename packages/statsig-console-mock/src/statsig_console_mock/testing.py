"""Run the mock on a free loopback port for the length of a ``with`` block."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import uvicorn
from starlette.types import ASGIApp

from statsig_console_mock.app import create_app
from statsig_console_mock.server import uvicorn_config
from statsig_console_mock.settings import DEFAULT_API_KEY, MockSettings

_START_TIMEOUT_S = 10.0
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
