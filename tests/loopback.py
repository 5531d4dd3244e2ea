"""Servers of the tests' own on 127.0.0.1: an HTTP handler in threads, or raw TCP.

Each picks a free port, yields its base URL and stops (joining its threads) when the
``with`` block ends.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A request head longer than this is not one these servers wait to see end.
_HEAD_LIMIT = 1 << 16


@contextmanager
def loopback_http(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on 127.0.0.1 on a free port, in threads; yield the base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


Responder = Callable[[socket.socket, bytes], None]


def _read_head(connection: socket.socket) -> bytes:
    """The request head, then as much of the body as has arrived with it."""
    received = b""
    while b"\r\n\r\n" not in received and len(received) < _HEAD_LIMIT:
        chunk = connection.recv(4096)
        if not chunk:
            break
        received += chunk
    return received


def _accept(listener: socket.socket, answer: Responder, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        with connection, contextlib.suppress(OSError):
            connection.settimeout(5)
            answer(connection, _read_head(connection))


@contextmanager
def tcp_server(answer: Responder) -> Iterator[str]:
    """Accept connections on 127.0.0.1 one at a time; yield the base URL.

    ``answer`` gets each connection with what arrived of its request and may write
    anything at all back; the connection is closed once it returns. A peer that
    hangs up early is not an error.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    # The accept loop wakes this often to see whether the test is over.
    listener.settimeout(0.05)
    stop = threading.Event()
    thread = threading.Thread(
        target=_accept, args=(listener, answer, stop), name="tcp-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


@contextmanager
def raw_server(reply: bytes) -> Iterator[str]:
    """Answer every request with ``reply`` as it is: for bytes no HTTP library would write.

    An illegal status line, header line or chunk header, say.
    """

    def send(connection: socket.socket, received: bytes) -> None:
        connection.sendall(reply)

    with tcp_server(send) as base_url:
        yield base_url
