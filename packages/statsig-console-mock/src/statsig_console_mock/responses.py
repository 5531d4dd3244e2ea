"""Raw ASGI JSON responses: the hot path sends bytes without building Response objects."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import orjson
from starlette.types import Receive, Scope, Send

_JSON = (b"content-type", b"application/json")
# Named in ``errors`` for a problem that is not about one field (a full store, say).
WHOLE_REQUEST = "request"
_PARAMETER = re.compile(r"(?:path|query|header) parameter (\S+)\Z")


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


class JsonRoute:
    """A route of the mock's own that answers what ``read`` returns now, as JSON."""

    def __init__(self, read: Callable[[], object]) -> None:
        self._read = read

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, path_values: Mapping[str, str]
    ) -> None:
        await send_json(send, 200, self._read())


def problem_property(problem: str) -> str | None:
    """The field a problem such as ``owner["a: b"].ownerID: must be a string`` is about.

    The field path ends at the first ``": "`` outside a quoted key; ``query parameter
    limit: ...`` is about ``limit``. A note in parentheses, such as ``(more errors not
    shown)``, is about nothing and answers None; a sentence, about the whole request.
    """
    if problem.startswith("("):
        return None
    quoted = escaped = spaced = False
    for index, char in enumerate(problem):
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == " ":
            spaced = True
        elif char == ":" and problem.startswith(" ", index + 1):
            where = problem[:index]
            parameter = _PARAMETER.match(where)
            if parameter is not None:
                return parameter.group(1)
            return WHOLE_REQUEST if spaced or not where else where
    return WHOLE_REQUEST


def error_payload(
    status: int, message: str, problems: Sequence[str] | None = None
) -> dict[str, object]:
    """Statsig's error body: the status repeated, and what went wrong in words.

    A 400 also lists each problem as ``{property, errorMessage}``, as Statsig's own
    tools read them; ``problems`` defaults to the message as one problem.
    """
    payload: dict[str, object] = {"status": status, "message": message}
    if status == 400:
        errors = []
        for problem in (message,) if problems is None else problems:
            where = problem_property(problem)
            if where is not None:
                errors.append({"property": where, "errorMessage": problem})
        payload["errors"] = errors
    return payload


def bad_request_body(problems: Sequence[str]) -> bytes:
    """A 400 body for one or more problems, each a message of its own."""
    return orjson.dumps(error_payload(400, "; ".join(problems), problems))


async def send_error(
    send: Send, status: int, message: str, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    await send_json(send, status, error_payload(status, message), headers)
