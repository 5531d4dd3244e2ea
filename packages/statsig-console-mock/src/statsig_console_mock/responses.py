"""Raw ASGI JSON responses: the hot path sends bytes without building Response objects."""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from starlette.types import Send

_JSON = (b"content-type", b"application/json")


async def send_json(
    send: Send,
    status: int,
    payload: object,
    headers: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    body = orjson.dumps(payload)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [_JSON, (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


def error_payload(status: int, message: str) -> dict[str, object]:
    """Statsig's error body: the status repeated, and what went wrong in words."""
    return {"status": status, "message": message}


async def send_error(
    send: Send, status: int, message: str, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    await send_json(send, status, error_payload(status, message), headers)
