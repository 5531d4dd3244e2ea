"""In-process mode: an httpx transport that serves the mock's app with no socket.

One :class:`MockTransport` serves ``httpx.Client`` and ``httpx.AsyncClient`` alike, so
it can go in ``AuthenticatedClient(httpx_args={"transport": ...})``, which builds
both. Async requests run the app on the caller's loop through httpx's ASGI transport;
sync ones run it on an event loop in one background thread, started by the first
sync request and stopped by ``close()``, so requests from several threads are served
concurrently, as a server would. The app's lifespan is not run, as the mock's server
runs none.

The Host header is set to the loopback name: with no socket no other page can reach
the app, so the DNS-rebinding guard has nothing to keep out, and a client may keep
Statsig's real base URL.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Final

import httpx
from starlette.types import ASGIApp
from statsig_console_client import AuthenticatedClient

from statsig_console import DEFAULT_BASE_URL, RetryPolicy, RetryTransport
from statsig_console_mock.settings import DEFAULT_API_KEY

IN_PROCESS_HOST: Final = "127.0.0.1"
_STOP_TIMEOUT_S: Final = 10.0


def _for_the_app(request: httpx.Request, content: bytes) -> httpx.Request:
    headers = httpx.Headers(request.headers)
    headers["host"] = IN_PROCESS_HOST
    return httpx.Request(request.method, request.url, headers=headers, content=content)


class MockTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    def __init__(self, app: ASGIApp) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        content = await request.aread()
        return await self._asgi.handle_async_request(_for_the_app(request, content))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        forwarded = _for_the_app(request, request.read())
        future = asyncio.run_coroutine_threadsafe(self._serve(forwarded), self._running_loop())
        return future.result()

    async def _serve(self, request: httpx.Request) -> httpx.Response:
        response = await self._asgi.handle_async_request(request)
        # Read on the loop, so the caller's thread gets a finished response.
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="statsig-console-mock-transport", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def close(self) -> None:
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=_STOP_TIMEOUT_S)
        if not thread.is_alive():
            loop.close()

    async def aclose(self) -> None:
        await self._asgi.aclose()


def in_process_client(
    app: ASGIApp,
    api_key: str = DEFAULT_API_KEY,
    *,
    retry: RetryPolicy | None = None,
    base_url: str = DEFAULT_BASE_URL,
) -> AuthenticatedClient:
    """A client whose requests ``app`` serves in this process, sync or async.

    It sends through the production layer's :class:`RetryTransport`, as
    ``build_client`` does, so code under test sees the same retries; ``retry=None``
    (the default here) sends each request once, so a test sees every refusal.
    """
    mock = MockTransport(app)
    policy = retry if retry is not None else RetryPolicy(max_attempts=1)
    return AuthenticatedClient(
        base_url=base_url,
        token=api_key,
        follow_redirects=False,
        httpx_args={"transport": RetryTransport(policy, transport=mock, async_transport=mock)},
    )
