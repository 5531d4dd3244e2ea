"""The mock's own routes under ``/_mock``: what it holds, and emptying it.

Reading needs no key (``page.py``'s page reads the sources and the journal).
Changing state does: a page in the developer's browser can
post a form here, but cannot add a custom header to it without a CORS preflight,
which the mock never grants. (The Host check in ``app.py`` keeps rebinding pages out.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from starlette.types import Receive, Scope, Send

from statsig_console_mock.endpoint import Endpoint
from statsig_console_mock.page import page_routes
from statsig_console_mock.responses import JsonRoute, send_error, send_json

if TYPE_CHECKING:
    from statsig_console_mock.app import MockState

MOCK_PREFIX: Final = "/_mock"
# The key header when no operation of the spec names one.
DEFAULT_ADMIN_KEY_HEADER: Final = "STATSIG-API-KEY"


class Reset:
    def __init__(self, state: MockState, key_header: str) -> None:
        self._state = state
        self._header = key_header
        self._header_bytes = key_header.lower().encode("latin-1")
        self._keys = frozenset(key.encode("utf-8") for key in state.settings.api_keys)

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, path_values: Mapping[str, str]
    ) -> None:
        sent = [v.strip(b" \t") for n, v in scope["headers"] if n == self._header_bytes]
        if len(sent) != 1 or sent[0] not in self._keys:
            message = (
                f"{scope['path']} changes the mock's state: send an accepted key in {self._header}."
            )
            await send_error(send, 401, message)
            return
        self._state.reset()
        await send_json(send, 200, {"message": "Mock state reset"})


def admin_routes(state: MockState, key_header: str | None) -> list[tuple[str, str, Endpoint]]:
    header = key_header or DEFAULT_ADMIN_KEY_HEADER
    return [
        ("GET", f"{MOCK_PREFIX}/sources", JsonRoute(state.store.list)),
        ("POST", f"{MOCK_PREFIX}/reset", Reset(state, header)),
        *page_routes(state, MOCK_PREFIX),
    ]
