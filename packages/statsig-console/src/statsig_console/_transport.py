"""An httpx transport that applies a RetryPolicy to every request sent through it."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from types import TracebackType

import httpx

from ._retry import OUTCOME_EXTENSION, AttemptTracker, RetryOutcome, RetryPolicy, Verdict

logger = logging.getLogger("statsig_console")

DEFAULT_RETRY = RetryPolicy()


class RetryTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Sends each request, retrying it as ``policy`` allows.

    One object serves both ``httpx.Client`` and ``httpx.AsyncClient``, so it can go in
    ``AuthenticatedClient(httpx_args={"transport": ...})``, which builds both; the
    generated ``sync_detailed``/``asyncio_detailed`` then retry too. The retries happen
    below the client, so the caller sees only the final response (or error), with a
    :class:`RetryOutcome` in ``response.extensions["statsig_console.retry"]``.

    ``transport`` and ``async_transport`` are the transports that really send (by
    default httpx's, which do not read proxy settings from the environment: pass
    ``httpx.HTTPTransport(proxy=...)`` to use one). ``sleep``, ``async_sleep``,
    ``clock`` and ``random`` exist so that tests need not wait.
    """

    def __init__(
        self,
        policy: RetryPolicy = DEFAULT_RETRY,
        *,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        random: Callable[[], float] = random.random,
    ) -> None:
        self.policy = policy
        self._transport = httpx.HTTPTransport() if transport is None else transport
        self._async_transport = (
            httpx.AsyncHTTPTransport() if async_transport is None else async_transport
        )
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._clock = clock
        self._random = random

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.policy!r})"

    def _tracker(self) -> AttemptTracker:
        return AttemptTracker(self.policy, clock=self._clock, random=self._random)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        tracker = self._tracker()
        # The last attempt never schedules a retry (see AttemptTracker._schedule), so
        # every path through the final iteration returns or raises.
        for attempt in range(1, self.policy.max_attempts + 1):
            try:
                response = self._transport.handle_request(request)
            except httpx.TransportError as error:
                verdict = tracker.after_error(attempt, error)
                if verdict.delay is None:
                    _explain(error, attempt, verdict)
                    raise
                _log_retry(request, attempt, verdict)
                self._sleep(verdict.delay)
                continue
            verdict = tracker.after_response(attempt, response)
            if verdict.delay is None:
                return _finish(response, attempt, verdict)
            # Reading the body first lets the connection go back to the pool.
            response.read()
            response.close()
            _log_retry(request, attempt, verdict)
            self._sleep(verdict.delay)
        raise AssertionError("unreachable: the last attempt does not retry")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        tracker = self._tracker()
        for attempt in range(1, self.policy.max_attempts + 1):
            try:
                response = await self._async_transport.handle_async_request(request)
            except httpx.TransportError as error:
                verdict = tracker.after_error(attempt, error)
                if verdict.delay is None:
                    _explain(error, attempt, verdict)
                    raise
                _log_retry(request, attempt, verdict)
                await self._async_sleep(verdict.delay)
                continue
            verdict = tracker.after_response(attempt, response)
            if verdict.delay is None:
                return _finish(response, attempt, verdict)
            await response.aread()
            await response.aclose()
            _log_retry(request, attempt, verdict)
            await self._async_sleep(verdict.delay)
        raise AssertionError("unreachable: the last attempt does not retry")

    def close(self) -> None:
        self._transport.close()

    async def aclose(self) -> None:
        await self._async_transport.aclose()

    def __enter__(self) -> RetryTransport:
        self._transport.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self._transport.__exit__(exc_type, exc_value, traceback)

    async def __aenter__(self) -> RetryTransport:
        await self._async_transport.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self._async_transport.__aexit__(exc_type, exc_value, traceback)


def _log_retry(request: httpx.Request, attempt: int, verdict: Verdict) -> None:
    # Method and URL only: the headers carry the API key.
    logger.info("%s %s attempt %d: %s", request.method, request.url, attempt, verdict.reason)


def _finish(response: httpx.Response, attempt: int, verdict: Verdict) -> httpx.Response:
    response.extensions[OUTCOME_EXTENSION] = RetryOutcome(attempt, verdict.reason)
    if verdict.reason:
        logger.info("giving up after attempt %d: %s", attempt, verdict.reason)
    return response


def _explain(error: Exception, attempt: int, verdict: Verdict) -> None:
    if attempt > 1 or verdict.reason:
        error.add_note(
            f"statsig_console: gave up after {attempt} attempt(s)"
            + (f" ({verdict.reason})" if verdict.reason else "")
        )
