"""``create_app``: the mock as one ASGI app, every request dispatched by one table.

The table holds every operation of the spec (each checked as the spec says, then
answered by its handler) and the mock's own ``/_mock`` routes; a path it lacks is a
JSON 404, a method it lacks a JSON 405 with ``Allow``. It is raw ASGI: a framework's
routing and exception layers cost more per request than the mock's own work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from statsig_console_mock.admin import admin_routes
from statsig_console_mock.endpoint import Endpoint, OperationEndpoint
from statsig_console_mock.faults import FaultInjector
from statsig_console_mock.handlers import (
    HANDLERS,
    ExampleHandler,
    Handler,
    HandlerContext,
    HandlerFactory,
)
from statsig_console_mock.hosts import HostGuard
from statsig_console_mock.journal import Journal
from statsig_console_mock.persistence import StateFile
from statsig_console_mock.ratelimit import RateLimiter
from statsig_console_mock.responses import send_error
from statsig_console_mock.router import Found, NotAllowed, Router
from statsig_console_mock.seeds import Seeder
from statsig_console_mock.settings import MockSettings
from statsig_console_mock.spec import CompiledSpec, compile_spec
from statsig_console_mock.store import SourceStore
from statsig_console_mock.text import shorten

_INTERNAL_ERROR: Final = "Internal error in the mock server; its log has the details."
_SHOWN_PATH_CHARS: Final = 200


@dataclass(frozen=True, slots=True)
class MockState:
    """What a running mock holds; ``app.state.mock`` in every app ``create_app`` builds."""

    settings: MockSettings
    spec: CompiledSpec
    store: SourceStore
    rate_limiter: RateLimiter | None
    faults: FaultInjector | None
    journal: Journal
    # Each operation's handler, by operationId: seeds go through the create one.
    handlers: Mapping[str, Handler]
    state_file: StateFile | None

    def reset(self) -> None:
        self.store.clear()
        self.journal.clear()
        if self.rate_limiter is not None:
            self.rate_limiter.reset()
        if self.faults is not None:
            self.faults.reset()
        if self.state_file is not None:
            self.state_file.save()


def mock_state(app: MockApp) -> MockState:
    state = app.state.mock
    assert isinstance(state, MockState)
    return state


class MockApp:
    def __init__(self, state: MockState, router: Router[Endpoint], host_guard: HostGuard) -> None:
        self.state = SimpleNamespace(mock=state, store=state.store)
        self.router = router
        self._host_guard = host_guard
        # Persistence sits inside the journal, so a request is recorded once answered.
        inner: ASGIApp = self._dispatch
        if state.state_file is not None:
            inner = state.state_file.middleware(inner)
        self._outermost: ASGIApp = state.journal.middleware(inner)

    def add_middleware(self, middleware: Callable[..., ASGIApp], **options: Any) -> None:  # noqa: ANN401
        """Wrap the app in ASGI middleware, as Starlette does: the last added runs first."""
        self._outermost = middleware(self._outermost, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._outermost(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            # Lifespan is off in the mock's server; nothing else is served.
            return
        refusal = self._host_guard.refusal(scope)
        if refusal is not None:
            await send_error(send, 400, refusal)
            return
        method: str = scope["method"]
        raw_path: bytes | None = scope.get("raw_path")
        path = scope["path"] if raw_path is None else raw_path.decode("utf-8", "replace")
        match = self.router.match(method, path)
        if isinstance(match, Found):
            await _serve(match.target, match.path_values, scope, receive, send)
        elif isinstance(match, NotAllowed):
            allowed = ", ".join(match.allowed)
            message = f"Method {method} is not allowed here; use {allowed}."
            await send_error(send, 405, message, [(b"allow", allowed.encode("latin-1"))])
        else:
            shown = shorten(scope["path"], _SHOWN_PATH_CHARS)
            message = f"Not found: {method} {shown} is not an endpoint of this mock."
            await send_error(send, 404, message)


async def _serve(
    endpoint: Endpoint,
    path_values: Mapping[str, str],
    scope: Scope,
    receive: Receive,
    send: Send,
) -> None:
    started = False

    async def tracked(message: Message) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await endpoint(scope, receive, tracked, path_values)
    except Exception:
        # Only a bug in the mock gets here: client input is answered with a 4xx.
        if not started:
            await send_error(send, 500, _INTERNAL_ERROR)
        # On to the server, which logs the traceback.
        raise


def create_app(
    settings: MockSettings | None = None,
    *,
    handlers: Mapping[str, HandlerFactory] | None = None,
) -> MockApp:
    """Build the mock; the spec is read and its schemas compiled here, once.

    ``handlers`` adds to (or replaces some of) the registered handlers by operationId.
    """
    settings = settings or MockSettings()
    compiled = compile_spec(settings.spec_path)
    store = SourceStore(settings.max_sources, settings.max_store_bytes)
    factories = {**HANDLERS, **(handlers or {})}
    context = HandlerContext(spec=compiled.spec, settings=settings, store=store)
    built: dict[str, Handler] = {}
    for operation in compiled.operations.values():
        factory = factories.get(operation.operation_id, ExampleHandler)
        built[operation.operation_id] = factory(operation, context)
    state = MockState(
        settings=settings,
        spec=compiled,
        store=store,
        rate_limiter=(
            RateLimiter(settings.rate_limit, projects=settings.projects)
            if settings.rate_limit
            else None
        ),
        faults=FaultInjector(settings.faults) if settings.faults else None,
        journal=Journal(settings.journal_size, settings.api_keys, settings.max_body_bytes),
        handlers=built,
        state_file=None if settings.state_path is None else StateFile(settings.state_path, store),
    )
    routes: list[tuple[str, str, Endpoint]] = []
    key_header: str | None = None
    for operation in compiled.operations.values():
        handler = built[operation.operation_id]
        endpoint = OperationEndpoint(operation, handler, settings, state.rate_limiter, state.faults)
        routes.append((operation.method, operation.path, endpoint))
        key_header = key_header or operation.api_key_header_display
    routes.extend(admin_routes(state, key_header))
    _load_state(state)
    return MockApp(state, Router(routes), HostGuard(settings.allowed_hosts))


def _load_state(state: MockState) -> None:
    """The saved state, else the seeds: seeding a restored state would repeat its names."""
    restored = state.state_file is not None and state.state_file.load()
    if not restored and state.settings.seed_paths:
        seeder = Seeder(state.spec.operations, state.handlers)
        for path in state.settings.seed_paths:
            seeder.load(path)
    if state.state_file is not None:
        # Written at start-up even when nothing changed: a path that cannot be written
        # stops the mock now, not with a lost change at the first request.
        state.state_file.save()
