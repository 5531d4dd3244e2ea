"""A local HTTP server that answers from a per-test script and records every request."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

import attrs

from tests.loopback import loopback_http


@attrs.frozen
class Reply:
    """One scripted answer: status, JSON (or raw text) body, headers, optional delay."""

    status: int
    body: object = attrs.field(factory=dict)
    headers: Mapping[str, str] = attrs.field(factory=dict)
    delay: float = 0.0


@attrs.frozen
class Received:
    at: float
    path: str
    headers: Mapping[str, str]
    body: bytes
    method: str = "POST"


@attrs.define
class ScriptedServer:
    url: str
    script: list[Reply]
    received: list[Received] = attrs.field(factory=list)
    lock: threading.Lock = attrs.field(factory=threading.Lock)

    def next_reply(self, request: Received) -> Reply:
        with self.lock:
            index = len(self.received)
            self.received.append(request)
        if index < len(self.script):
            return self.script[index]
        # A request beyond the script is a bug in the code under test; answering 418
        # makes it visible as an error instead of a hang.
        return Reply(418, {"status": 418, "message": f"unscripted request #{index + 1}"})

    @property
    def attempts(self) -> int:
        with self.lock:
            return len(self.received)


def _handler_for(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            received = Received(
                at=time.monotonic(),
                path=self.path,
                headers={key.lower(): value for key, value in self.headers.items()},
                body=self.rfile.read(length),
                method=self.command,
            )
            reply = server.next_reply(received)
            if reply.delay:
                time.sleep(reply.delay)
            if isinstance(reply.body, str):
                payload = reply.body.encode()
                content_type = "text/html; charset=utf-8"
            else:
                payload = json.dumps(reply.body).encode()
                content_type = "application/json"
            # send_response_only: the stdlib's phrase table has no 520 or 599.
            self.send_response_only(reply.status, "Scripted")
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            # The client may have given up waiting (the read-timeout tests).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(payload)

        # Every method the lifecycle uses gets the same scripted answer.
        do_GET = do_PATCH = do_DELETE = do_POST

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean; requests are recorded instead

    return Handler


@contextmanager
def scripted_server(*script: Reply) -> Iterator[ScriptedServer]:
    """Serve ``script`` on 127.0.0.1 on a free port, one reply per request."""
    state = ScriptedServer(url="", script=list(script))
    with loopback_http(_handler_for(state)) as state.url:
        yield state
