"""The httpx transports of a built client: retries, and errors that never show the key."""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Self

import httpx

from ._redaction import redacted_transport_error
from ._retry import (
    OUTCOME_EXTENSION,
    AttemptTracker,
    RetryOutcome,
    RetryPolicy,
    Verdict,
    is_repeatable,
)

logger = logging.getLogger("statsig_console")

DEFAULT_RETRY = RetryPolicy()


async def _asyncio_sleep(seconds: float) -> None:
    # Imported by the first async wait rather than with the package: a program that
    # only sends synchronously never needs asyncio, a tenth of the package's import.
    import asyncio

    await asyncio.sleep(seconds)


class _KeySafeStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body whose read errors (an illegal chunk header) never show the key.

    The body is read after the transport has returned, so the transport alone could
    not mask those.
    """

    def __init__(self, inner: httpx.SyncByteStream | httpx.AsyncByteStream) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        assert isinstance(self._inner, httpx.SyncByteStream)
        with _key_safe():
            yield from self._inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert isinstance(self._inner, httpx.AsyncByteStream)
        with _key_safe():
            async for chunk in self._inner:
                yield chunk

    def close(self) -> None:
        if isinstance(self._inner, httpx.SyncByteStream):
            self._inner.close()

    async def aclose(self) -> None:
        if isinstance(self._inner, httpx.AsyncByteStream):
            await self._inner.aclose()


@contextlib.contextmanager
def _key_safe() -> Iterator[None]:
    """Re-raises a transport error with any key in its text masked."""
    try:
        yield
    except httpx.TransportError as error:
        masked = redacted_transport_error(error)
        if masked is error:
            raise
        raise masked from None


def _key_safe_response(response: httpx.Response) -> httpx.Response:
    response.stream = _KeySafeStream(response.stream)
    return response


class _Wrapping(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A transport for both clients that sends through the two it wraps.

    Closing it, or leaving it as a context manager, closes those two.
    """

    _transport: httpx.BaseTransport
    _async_transport: httpx.AsyncBaseTransport

    def close(self) -> None:
        self._transport.close()

    async def aclose(self) -> None:
        await self._async_transport.aclose()

    def __enter__(self) -> Self:
        self._transport.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self._transport.__exit__(exc_type, exc_value, traceback)

    async def __aenter__(self) -> Self:
        await self._async_transport.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self._async_transport.__aexit__(exc_type, exc_value, traceback)


class KeySafeTransport(_Wrapping):
    """Sends through ``transport``/``async_transport``; no error it raises shows the key.

    A malformed response (an illegal status line, header line or chunk header) makes
    httpcore quote the bytes it received in the error's message; a server or proxy
    that echoes the request's headers would put the key there. This transport masks
    it, in the response's body reads too. :class:`RetryTransport` sends through one.
    """

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._transport = httpx.HTTPTransport() if transport is None else transport
        self._async_transport = (
            httpx.AsyncHTTPTransport() if async_transport is None else async_transport
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with _key_safe():
            return _key_safe_response(self._transport.handle_request(request))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        with _key_safe():
            return _key_safe_response(await self._async_transport.handle_async_request(request))


class RetryTransport(_Wrapping):
    """Sends each request, retrying it as ``policy`` allows.

    One object serves both ``httpx.Client`` and ``httpx.AsyncClient``, so it can go in
    ``AuthenticatedClient(httpx_args={"transport": ...})``, which builds both; the
    generated ``sync_detailed``/``asyncio_detailed`` then retry too. The retries happen
    below the client, so the caller sees only the final response (or error), with a
    :class:`RetryOutcome` in ``response.extensions["statsig_console.retry"]``. A request
    with ``extensions={"statsig_console.repeatable": True}`` (or a GET) may also be
    retried after an ambiguous failure; see :class:`RetryPolicy`.

    ``transport`` and ``async_transport`` are the transports that really send (by
    default httpx's, which do not read proxy settings from the environment: pass
    ``httpx.HTTPTransport(proxy=...)`` to use one); they are wrapped in a
    :class:`KeySafeTransport`, so no error they raise shows the key. ``sleep``, ``async_sleep``,
    ``clock`` and ``random`` exist so that tests need not wait.
    """

    def __init__(
        self,
        policy: RetryPolicy = DEFAULT_RETRY,
        *,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep,
        clock: Callable[[], float] = time.monotonic,
        random: Callable[[], float] = random.random,
    ) -> None:
        self.policy = policy
        safe = KeySafeTransport(transport, async_transport)
        self._transport: httpx.BaseTransport = safe
        self._async_transport: httpx.AsyncBaseTransport = safe
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._clock = clock
        self._random = random

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.policy!r})"

    def _tracker(self, request: httpx.Request) -> AttemptTracker:
        return AttemptTracker(
            self.policy, clock=self._clock, random=self._random, repeatable=is_repeatable(request)
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        tracker = self._tracker(request)
        # The last attempt never schedules a retry (see AttemptTracker._schedule), so
        # every path through the final iteration returns or raises.
        for attempt in range(1, self.policy.max_attempts + 1):
            try:
                response = self._transport.handle_request(request)
            except httpx.TransportError as error:
                self._sleep(_wait_after_error(tracker, request, attempt, error))
                continue
            verdict = tracker.after_response(attempt, response)
            if verdict.delay is None:
                return _finish(response, tracker.outcome(attempt, verdict.reason))
            # Reading the body first lets the connection go back to the pool.
            response.read()
            response.close()
            _log_retry(request, attempt, verdict)
            self._sleep(verdict.delay)
        raise AssertionError("unreachable: the last attempt does not retry")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        tracker = self._tracker(request)
        for attempt in range(1, self.policy.max_attempts + 1):
            try:
                response = await self._async_transport.handle_async_request(request)
            except httpx.TransportError as error:
                await self._async_sleep(_wait_after_error(tracker, request, attempt, error))
                continue
            verdict = tracker.after_response(attempt, response)
            if verdict.delay is None:
                return _finish(response, tracker.outcome(attempt, verdict.reason))
            await response.aread()
            await response.aclose()
            _log_retry(request, attempt, verdict)
            await self._async_sleep(verdict.delay)
        raise AssertionError("unreachable: the last attempt does not retry")


def _wait_after_error(
    tracker: AttemptTracker, request: httpx.Request, attempt: int, error: httpx.TransportError
) -> float:
    """Seconds to wait before retrying after ``error``; raises it, explained, when the
    policy does not retry it."""
    verdict = tracker.after_error(attempt, error)
    if verdict.delay is None:
        _explain(error, attempt, verdict)
        raise error
    _log_retry(request, attempt, verdict)
    return verdict.delay


def _log_retry(request: httpx.Request, attempt: int, verdict: Verdict) -> None:
    # Method and URL only: the headers carry the API key.
    logger.info("%s %s attempt %d: %s", request.method, request.url, attempt, verdict.reason)


def _finish(response: httpx.Response, outcome: RetryOutcome) -> httpx.Response:
    response.extensions[OUTCOME_EXTENSION] = outcome
    if outcome.stopped_because:
        logger.info("giving up after attempt %d: %s", outcome.attempts, outcome.stopped_because)
    return response


def _explain(error: Exception, attempt: int, verdict: Verdict) -> None:
    if attempt > 1 or verdict.reason:
        error.add_note(
            f"statsig_console: gave up after {attempt} attempt(s)"
            + (f" ({verdict.reason})" if verdict.reason else "")
        )
