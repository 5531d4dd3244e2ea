"""The throughput ceiling: an ASGI app that does nothing, on the mock's server stack.

It reads the request body (as the mock must) and answers a fixed 201 of the mock's
size, served by the same ``uvicorn_config`` as ``python -m statsig_console_mock``, so
the gap between the two is what the mock's own work costs.
"""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Sequence

import uvicorn
from starlette.types import Receive, Scope, Send

from statsig_console_mock.server import uvicorn_config

# A 201 body of the same length as the mock's for the benchmark's request, so both
# servers write the same number of bytes per response.
_BODY = (
    b'{"message":"Assignment Source created successfully","data":{"name":"bench-000000000",'
    b'"description":"","tags":[],"sql":"SELECT * FROM analytics.exposures",'
    b'"timestampColumn":"ts","experimentIDColumn":"experiment_name","groupIDColumn":"group_id",'
    b'"idTypeMapping":[{"statsigUnitID":"stableID","column":"user_id"}]}}'
)
_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(_BODY)).encode()),
]


async def noop_app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        more = bool(message.get("more_body", False))
    await send({"type": "http.response.start", "status": 201, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": _BODY})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="noop-server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    port = sock.getsockname()[1]
    # Listening before the URL is printed: early connections wait in the backlog.
    sock.listen(2048)
    server = uvicorn.Server(uvicorn_config(noop_app, args.host, port))
    # The same contract as the mock's command line: the base URL is the only stdout line.
    print(f"http://{args.host}:{port}", flush=True)
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
