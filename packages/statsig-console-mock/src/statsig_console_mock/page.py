"""``GET /_mock/``: one page showing the stored sources and the latest requests.

The page is a static file of this package, plain HTML with a little inline script
that polls ``/_mock/sources`` and ``/_mock/requests``; it writes every value with
``textContent``, so a source named ``<script>`` shows as text. Its
Content-Security-Policy allows nothing but its own inline code and same-origin reads.

``GET /_mock/requests`` needs no key, like ``/_mock/sources``: it is read-only, the
journal never holds a key, and the page must read it without one. The Host check
keeps DNS-rebinding pages out, and without CORS headers no other origin can read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Final

from starlette.types import Receive, Scope, Send

from statsig_console_mock.endpoint import Endpoint
from statsig_console_mock.responses import JsonRoute

if TYPE_CHECKING:
    from statsig_console_mock.app import MockState

_CSP: Final = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def page_html() -> bytes:
    return resources.files(__package__).joinpath("page.html").read_bytes()


class Page:
    def __init__(self) -> None:
        self._body = page_html()

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, path_values: Mapping[str, str]
    ) -> None:
        headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(self._body)).encode()),
            (b"content-security-policy", _CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": self._body})


def page_routes(state: MockState, prefix: str) -> list[tuple[str, str, Endpoint]]:
    page = Page()
    return [
        ("GET", f"{prefix}/", page),
        ("GET", f"{prefix}/requests", JsonRoute(state.journal.to_json)),
    ]
