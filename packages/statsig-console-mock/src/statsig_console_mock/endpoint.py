"""One operation of the spec, as a raw ASGI app for speed: its checks, then its handler.

Checks run cheapest first, so a request is refused before its body is read whenever
its headers already decide the answer: injected faults, the API key,
the rate limit, the declared size, the content type; then the body is read (counted,
under a deadline), parsed, bounded in depth, validated against the operation's body
schema, its path and query parameters are validated, and the handler answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, NamedTuple
from urllib.parse import unquote_plus

import orjson
from starlette.types import Receive, Scope, Send

from statsig_console_mock.depth import exceeds_depth
from statsig_console_mock.faults import FaultInjector
from statsig_console_mock.handlers import Answer, Call, Handler
from statsig_console_mock.ratelimit import RateLimiter
from statsig_console_mock.responses import bad_request_body, send_error
from statsig_console_mock.settings import MockSettings
from statsig_console_mock.spec import CompiledOperation
from statsig_console_mock.text import shorten
from statsig_console_mock.validation import error_messages, json_type_name

# What the router dispatches to: an ASGI app that is also handed the path's values.
Endpoint = Callable[[Scope, Receive, Send, Mapping[str, str]], Awaitable[None]]
_CLOSE: Final = (b"connection", b"close")
_JSON: Final = (b"content-type", b"application/json")
_SHOWN_HEADER_CHARS: Final = 40
# How orjson words a body nested past its own limit of 1,024 levels.
_PARSER_DEPTH_ERROR: Final = "depth limit exceeded"
# Bounded, so a client sending a new value every time cannot grow it.
_CONTENT_TYPES_REMEMBERED: Final = 64
_READ_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_NO_VALUES: Final[tuple[Mapping[str, Any], Mapping[str, Any]]] = ({}, {})


class _ClientGone(Exception):
    """The client disconnected before its body arrived; there is no one to answer."""


class _TooLarge(Exception):
    pass


def mask_key(key: str) -> str:
    """Enough of a key to recognise it in a log, never all of it."""
    shown = min(12, len(key) // 2)
    return key[:shown] + "..."


class _Deadline:
    """Cancels the current task if it is still waiting for the body when time is up.

    asyncio.timeout() does the same with more bookkeeping, and it ran on every request:
    profiled under load it took about a fifth of the server's time. A bare timer
    handle is all a deadline with no nesting and no rescheduling needs.
    """

    __slots__ = ("_handle", "_task", "expired")

    def __init__(self, seconds: float) -> None:
        task = asyncio.current_task()
        assert task is not None  # an ASGI app always runs in a task
        self._task = task
        self.expired = False
        self._handle = asyncio.get_running_loop().call_later(seconds, self._expire)

    def _expire(self) -> None:
        self.expired = True
        self._task.cancel()

    def absorb(self) -> None:
        """The cancellation was the deadline's own: the task goes on to answer 408."""
        self._task.uncancel()

    def cancel(self) -> None:
        self._handle.cancel()


class _Headers(NamedTuple):
    # A tuple: built on every request, and cheaper than a frozen dataclass.
    api_key: bytes | None
    content_type: bytes | None
    content_length: bytes | None
    # A key or Content-Type header sent twice with different values: which copy counts
    # is anyone's guess, so neither does.
    repeated: bytes | None


class OperationEndpoint:
    def __init__(
        self,
        endpoint: CompiledOperation,
        handler: Handler,
        settings: MockSettings,
        limiter: RateLimiter | None,
        faults: FaultInjector | None,
    ) -> None:
        self._endpoint = endpoint
        self._handler = handler
        self._validator = endpoint.body_validator
        self._keys = frozenset(key.encode("utf-8") for key in settings.api_keys)
        self._max_body = settings.max_body_bytes
        self._body_timeout = settings.body_timeout_s
        self._max_depth = settings.max_body_depth
        self._limiter = limiter
        # Statsig limits mutations only; reads are not counted.
        self._limited = endpoint.method not in _READ_METHODS
        self._faults = faults
        self._parameters = endpoint.path_parameters + endpoint.query_parameters
        self._key_header = endpoint.api_key_header
        # Clients send the same few Content-Type values over and over.
        self._content_type_verdicts: dict[bytes | None, str | None] = {}

    def _headers(self, scope: Scope) -> _Headers:
        api_key = content_type = content_length = None
        repeated = None
        key_header = self._key_header
        for name, raw_value in scope["headers"]:
            # Trimmed here, once: h11 strips the spaces around a value, httptools does
            # not, and the answer must not depend on which parser is installed.
            value = raw_value.strip(b" \t")
            if name == key_header:
                if api_key is not None and api_key != value:
                    repeated = name
                api_key = value
            elif name == b"content-type":
                if content_type is not None and content_type != value:
                    repeated = name
                content_type = value
            elif name == b"content-length":
                content_length = value
        return _Headers(api_key, content_type, content_length, repeated)

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, path_values: Mapping[str, str]
    ) -> None:
        faults = self._faults
        if faults is not None:
            if faults.latency_s:
                await asyncio.sleep(faults.latency_s)
            if faults.should_fail():
                status = faults.settings.status
                retry_after = faults.retry_after()
                extra = [] if retry_after is None else [(b"retry-after", str(retry_after).encode())]
                await send_error(send, status, f"Injected fault: HTTP {status}.", extra)
                return

        headers = self._headers(scope)
        if headers.repeated is not None:
            if headers.repeated == self._key_header:
                name, status = self._endpoint.api_key_header_display, 401
            else:
                name, status = "Content-Type", 400
            await send_error(send, status, f"{name}: sent twice with different values")
            return
        if self._key_header is not None:
            refusal = self._check_key(headers.api_key)
            if refusal is not None:
                await send_error(send, 401, refusal)
                return
        if self._limiter is not None:
            key = (headers.api_key or b"").decode("latin-1")
            wait = self._limiter.acquire(key) if self._limited else None
            if wait is not None:
                await send_error(
                    send,
                    429,
                    f"Too many requests. Please retry after {wait} seconds.",
                    [(b"retry-after", str(wait).encode())],
                )
                return

        if self._parameters:
            values, problems = self._check_parameters(scope, path_values)
            if problems:
                await self._answer(send, Answer(400, bad_request_body(problems)))
                return
        else:
            values = _NO_VALUES
        if not self._endpoint.has_body:
            await self._answer(send, self._handler(Call(None, b"", *values)))
            return

        if headers.content_length is not None:
            declared = headers.content_length
            # The server already rejects malformed lengths; this guards other servers.
            if not declared.isdigit():
                await send_error(send, 400, "Content-Length: must be a whole number", [_CLOSE])
                return
            if int(declared) > self._max_body:
                await send_error(send, 413, self._too_large_message(), [_CLOSE])
                return
        problem = self._check_content_type(headers.content_type)
        if problem is not None:
            await send_error(send, 400, problem)
            return

        deadline = _Deadline(self._body_timeout)
        try:
            try:
                raw = await self._read_body(receive)
            finally:
                # Stopped before any answer is sent, so it cannot fire during one.
                deadline.cancel()
        except _ClientGone:
            return
        except _TooLarge:
            await send_error(send, 413, self._too_large_message(), [_CLOSE])
            return
        except asyncio.CancelledError:
            if not deadline.expired:
                raise
            deadline.absorb()
            await send_error(
                send,
                408,
                f"The request body did not arrive within {self._body_timeout:g} seconds.",
                [_CLOSE],
            )
            return

        parsed = self._parse(raw)
        if isinstance(parsed, list):
            answer = Answer(400, bad_request_body(parsed))
        else:
            answer = self._handler(Call(parsed, raw, *values))
        await self._answer(send, answer)

    async def _answer(self, send: Send, answer: Answer) -> None:
        body = answer.body
        length = (b"content-length", str(len(body)).encode())
        headers = [_JSON, length] if body else [length]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _check_parameters(
        self, scope: Scope, path_values: Mapping[str, str]
    ) -> tuple[tuple[Mapping[str, Any], Mapping[str, Any]], list[str]]:
        """The path and query values, typed as declared, and every problem with them."""
        query = read_query(scope) if self._endpoint.query_parameters else {}
        typed: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        problems: list[str] = []
        for parameter in self._parameters:
            name = parameter.declared.name
            in_path = parameter.in_path
            sent = (path_values if in_path else query).get(name)
            if sent is None:
                if parameter.declared.required:
                    problems.append(f"{parameter.label}: is required")
                continue
            value = _coerce(sent, parameter.coerce_to)
            if not parameter.validator.is_valid(value):
                problems.extend(error_messages(parameter.validator, value, root=parameter.label))
                continue
            typed[0 if in_path else 1][name] = value
        return typed, problems

    def _check_key(self, sent: bytes | None) -> str | None:
        if sent is None or not sent.strip():
            return (
                "This endpoint only accepts an active CONSOLE key, but no key was sent "
                f"in the {self._endpoint.api_key_header_display} header."
            )
        if sent in self._keys:
            return None
        return (
            "This endpoint only accepts an active CONSOLE key, but an invalid key was sent. "
            f"Key: {mask_key(sent.decode('latin-1'))}"
        )

    def _check_content_type(self, sent: bytes | None) -> str | None:
        try:
            return self._content_type_verdicts[sent]
        except KeyError:
            verdict = self._judge_content_type(sent)
        if len(self._content_type_verdicts) < _CONTENT_TYPES_REMEMBERED:
            self._content_type_verdicts[sent] = verdict
        return verdict

    def _judge_content_type(self, sent: bytes | None) -> str | None:
        expected = self._endpoint.media_types_display
        if sent is None or not sent.strip():
            return f"Content-Type: is required and must be {expected}"
        text = sent.decode("latin-1")
        essence, _, parameters = text.partition(";")
        if essence.strip().lower() not in self._endpoint.media_types:
            return f"Content-Type: must be {expected}, not {shorten(text, _SHOWN_HEADER_CHARS)!r}"
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip().strip('"').lower()
                if charset not in ("utf-8", "utf8"):
                    shown = shorten(charset, _SHOWN_HEADER_CHARS)
                    return f"Content-Type: charset must be utf-8, not {shown!r}"
        return None

    def _too_deep_message(self) -> str:
        return f"body: nests objects and arrays too deep; {self._depth_rule()}"

    def _depth_rule(self) -> str:
        return f"at most {self._max_depth} levels are accepted"

    def _too_large_message(self) -> str:
        return f"The request body is larger than the limit of {self._max_body} bytes."

    async def _read_body(self, receive: Receive) -> bytes:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _ClientGone
        body: bytes = message.get("body", b"")
        if len(body) > self._max_body:
            raise _TooLarge
        if not message.get("more_body", False):
            return body
        chunks = [body]
        size = len(body)
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            # Counted as it streams, so a chunked body without a length is cut off at
            # the limit instead of being buffered whole.
            if size > self._max_body:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _parse(self, raw: bytes) -> dict[str, Any] | list[str]:
        """The body as a JSON object that passed its schema, or what is wrong with it."""
        if not raw or raw.isspace():
            if self._endpoint.body_required:
                return ["body: is required (a JSON object)"]
            raw = b"{}"
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            problem = _parse_problem(raw, exc)
            if _PARSER_DEPTH_ERROR in str(exc):
                return [f"{problem}; {self._depth_rule()}"]
            return [problem]
        if not isinstance(body, dict):
            return [f"body: must be a JSON object, not {json_type_name(body)}"]
        if exceeds_depth(raw, body, self._max_depth):
            return [self._too_deep_message()]
        validator = self._validator
        if validator is not None and not validator.is_valid(body):
            # Every value but the first follows a comma: a cheap upper bound on their number.
            values = raw.count(b",") + 1
            return error_messages(validator, body, values)
        return body


def read_query(scope: Scope) -> dict[str, str]:
    """The query's values by name; the first of repeated names counts, as most servers read them.

    As parse_qsl(keep_blank_values=True) reads it, but percent-decoding only the pairs
    that need it: most queries are plain ``limit=100&page=2``, read on every list call.
    """
    query: dict[str, str] = {}
    for pair in scope.get("query_string", b"").decode("latin-1").split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        if "%" in pair or "+" in pair:
            name, value = unquote_plus(name), unquote_plus(value)
        if name not in query:
            query[name] = value
    return query


def _coerce(sent: str, types: tuple[str, ...]) -> Any:  # noqa: ANN401 - a JSON value
    """A path or query value as the first declared non-string type it reads as."""
    for kind in types:
        if kind == "boolean" and sent in ("true", "false"):
            return sent == "true"
        if kind == "integer" and sent.lstrip("-").isdigit():
            return int(sent)
        if kind == "number":
            try:
                return float(sent)
            except ValueError:
                continue
    return sent


def _parse_problem(raw: bytes, exc: orjson.JSONDecodeError) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"body: is not valid UTF-8 (byte {bad.start})"
    return f"body: is not valid JSON ({exc})"
