"""``create_app``: the Starlette application that serves the mock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, ExceptionHandler, Message, Receive, Scope, Send

from statsig_console_mock.endpoint import CreateAssignmentSource
from statsig_console_mock.faults import FaultInjector
from statsig_console_mock.hosts import HostGuard
from statsig_console_mock.ratelimit import RateLimiter
from statsig_console_mock.responses import error_payload, send_error
from statsig_console_mock.settings import MockSettings
from statsig_console_mock.spec import CompiledEndpoint, load_endpoint
from statsig_console_mock.store import SourceStore

MOCK_PREFIX = "/_mock"
_INTERNAL_ERROR = "Internal error in the mock server; its log has the details."
_SHOWN_PATH_CHARS = 200


@dataclass(frozen=True, slots=True)
class MockState:
    """What a running mock holds; ``app.state.mock`` in every app ``create_app`` builds."""

    settings: MockSettings
    endpoint: CompiledEndpoint
    store: SourceStore
    rate_limiter: RateLimiter | None
    faults: FaultInjector | None

    def reset(self) -> None:
        self.store.clear()
        if self.rate_limiter is not None:
            self.rate_limiter.reset()
        if self.faults is not None:
            self.faults.reset()


class _JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: object) -> bytes:
        return orjson.dumps(content)


def mock_state(app: Starlette) -> MockState:
    state = app.state.mock
    assert isinstance(state, MockState)
    return state


async def _list_sources(request: Request) -> Response:
    return _JSONResponse(mock_state(request.app).store.list())


async def _reset(request: Request) -> Response:
    # A state change needs the key: a page in the developer's browser can post a form
    # here, but cannot add a custom header to it without a CORS preflight the mock fails.
    state = mock_state(request.app)
    header = state.endpoint.api_key_header_display
    if header is not None and request.headers.get(header) not in state.settings.api_keys:
        message = f"{request.url.path} changes the mock's state: send an accepted key in {header}."
        return _JSONResponse(error_payload(401, message), status_code=401)
    state.reset()
    return _JSONResponse({"message": "Mock state reset"})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        path = request.url.path
        if len(path) > _SHOWN_PATH_CHARS:
            path = path[: _SHOWN_PATH_CHARS - 3] + "..."
        message = f"Not found: {request.method} {path} is not an endpoint of this mock."
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"Method {request.method} is not allowed here; use {allowed}."
    else:
        message = exc.detail
    return _JSONResponse(
        error_payload(exc.status_code, message), status_code=exc.status_code, headers=exc.headers
    )


async def _server_error(request: Request, exc: Exception) -> Response:
    # Only a bug in the mock gets here: client input is answered with a 4xx. The
    # exception goes on to the server, which logs its traceback.
    return _JSONResponse(error_payload(500, _INTERNAL_ERROR), status_code=500)


class MockApp(Starlette):
    """Starlette, with the endpoint answered ahead of Starlette's own stack.

    The endpoint is raw ASGI and answers every input itself; Starlette's routing and
    exception layers cost more per request than the endpoint's own work (about 16,000
    against 23,000 creates/s on 2 cores). So requests for the endpoint's method and
    path go to it directly, with the same JSON 500 on a bug; everything else (other
    methods, other paths, the mock-only routes) goes through Starlette. Once middleware
    is added, every request goes through the stack so that the middleware sees it.
    """

    def __init__(
        self,
        *,
        endpoint: ASGIApp,
        path: str,
        method: str,
        routes: Sequence[BaseRoute],
        exception_handlers: Mapping[Any, ExceptionHandler],
        host_guard: HostGuard,
    ) -> None:
        super().__init__(routes=routes, exception_handlers=exception_handlers)
        self.host_guard = host_guard
        self._endpoint = endpoint
        self._path = path
        self._method = method

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = self.host_guard.refusal(scope)
            if refusal is not None:
                await send_error(send, 400, refusal)
                return
        if (
            scope["type"] == "http"
            and scope["path"] == self._path
            and scope["method"] == self._method
            and not self.user_middleware
        ):
            await self._serve_endpoint(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def _serve_endpoint(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self._endpoint(scope, receive, tracked)
        except Exception:
            if not started:
                await send_error(send, 500, _INTERNAL_ERROR)
            # On to the server, which logs the traceback, as under Starlette's stack.
            raise


def create_app(settings: MockSettings | None = None) -> MockApp:
    """Build the mock; the spec is read and its schemas compiled here, once."""
    settings = settings or MockSettings()
    endpoint = load_endpoint(settings.spec_path)
    state = MockState(
        settings=settings,
        endpoint=endpoint,
        store=SourceStore(settings.max_sources, settings.max_store_bytes),
        rate_limiter=RateLimiter(settings.rate_limit) if settings.rate_limit else None,
        faults=FaultInjector(settings.faults) if settings.faults else None,
    )
    handler = CreateAssignmentSource(
        endpoint, settings, state.store, state.rate_limiter, state.faults
    )
    app = MockApp(
        endpoint=handler,
        path=endpoint.path,
        method=endpoint.method,
        routes=[
            Route(endpoint.path, handler, methods=[endpoint.method]),
            Route(f"{MOCK_PREFIX}/sources", _list_sources, methods=["GET"]),
            Route(f"{MOCK_PREFIX}/reset", _reset, methods=["POST"]),
        ],
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
        host_guard=HostGuard(settings.allowed_hosts),
    )
    # Statsig has no trailing-slash aliases: such a path is a 404, not a redirect.
    app.router.redirect_slashes = False
    app.state.mock = state
    app.state.store = state.store
    return app
