"""Servers that answer like Statsig and then misbehave: redirect, hang up, quote the key.

Each records what reached it, so a test can check that only reads of the list and
dry runs ever left the suite, whatever the answers were.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from starlette.types import Scope

from statsig_console_mock import MockSettings, create_app
from statsig_console_mock.app import MockApp
from tests.loopback import tcp_server

from .defects import KEY_HEADER, Answer, DefectMiddleware

AnswerRewrite = Callable[[Scope, bytes, Answer], None]


@dataclass
class Seen:
    method: str
    path: str
    body: bytes
    # The path as sent, percent-encoding kept.
    raw_path: str = ""


@dataclass
class Recorder:
    """Keeps every request the server receives, body read in full."""

    seen: list[Seen] = field(default_factory=list)

    def __call__(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        raw = scope.get("raw_path") or scope["path"].encode()
        self.seen.append(Seen(scope["method"], scope["path"], body, raw.decode("latin-1")))
        return scope, body


def recording_mock(
    recorder: Recorder, api_keys: tuple[str, ...], on_answer: AnswerRewrite | None = None
) -> MockApp:
    """The mock, recording every request on every path, its answers rewritten by ``on_answer``."""
    app = create_app(MockSettings(api_keys=api_keys))
    app.add_middleware(DefectMiddleware, on_request=recorder, every_path=True)
    if on_answer is not None:
        app.add_middleware(DefectMiddleware, on_answer=on_answer, every_path=True)
    return app


def redirecting_to(status: int, location: Callable[[], str]) -> AnswerRewrite:
    """Answers every request with ``status`` pointing to ``location()`` (known once serving)."""

    def redirect(scope: Scope, body: bytes, answer: Answer) -> None:
        answer.status = status
        answer.headers = [(b"location", location().encode()), (b"content-type", b"text/plain")]
        answer.body = b""

    return redirect


def quote_the_key_escaped(scope: Scope, body: bytes, answer: Answer) -> None:
    """A 401 quoting the key in turn JSON-escaped, in a UTF-16 body, and in a header."""
    sent = dict(scope["headers"]).get(KEY_HEADER, b"").decode("latin-1")
    escaped = "".join(f"\\u{ord(char):04x}" if char == "-" else char for char in sent)
    message = f'{{"status": 401, "message": "Invalid key: {escaped}"}}'
    answer.status = 401
    answer.headers = [(b"x-received-key", sent.encode())]
    if json.loads(body or b"{}").get("name", "").endswith(("0", "4", "8", "c")):
        answer.headers.append((b"content-type", b"application/json; charset=utf-16"))
        answer.body = json.dumps({"status": 401, "message": f"Key: {sent}"}).encode("utf-16")
    else:
        answer.headers.append((b"content-type", b"application/json"))
        answer.body = message.encode()


@contextlib.contextmanager
def hanging_up_server() -> Iterator[tuple[str, list[bytes]]]:
    """A server that reads each request's head and closes the connection unanswered."""
    heads: list[bytes] = []

    def hang_up(connection: socket.socket, received: bytes) -> None:
        if received:
            heads.append(received)

    with tcp_server(hang_up) as base_url:
        yield base_url, heads


def dead_port() -> str:
    """A loopback URL where nothing listens (the port was bound, then released)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
