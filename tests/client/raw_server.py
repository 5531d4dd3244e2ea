"""A local TCP server that answers every request with the same raw bytes.

For responses no HTTP server library would write: an illegal status line, header
line or chunk header.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_READ_LIMIT = 1 << 16


def _serve(listener: socket.socket, reply: bytes, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        with connection:
            connection.settimeout(5)
            received = b""
            # The request head, then as much of the body as has arrived.
            with contextlib.suppress(OSError):
                while b"\r\n\r\n" not in received and len(received) < _READ_LIMIT:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    received += chunk
                connection.sendall(reply)


@contextmanager
def raw_server(reply: bytes) -> Iterator[str]:
    """Serve ``reply`` on 127.0.0.1 on a free port; yields the base URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.05)
    stop = threading.Event()
    thread = threading.Thread(target=_serve, args=(listener, reply, stop))
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
