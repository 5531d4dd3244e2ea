"""When a failed attempt is tried again, and how long to wait before it."""

# Why this is not httpx-retries, stamina or tenacity (each read against RetryPolicy):
# - httpx-retries caps a long Retry-After at max_backoff_wait and then waits it, where
#   the policy returns such a 429 at once; it backs a 429 without Retry-After off
#   exponentially instead of waiting Statsig's 10 s window; it reads an HTTP-date
#   Retry-After against the local clock, not the response's Date; its total_timeout
#   counts sleeps only, not time spent in requests; and it sleeps with time.sleep /
#   asyncio.sleep, so neither the bound nor the waits can run on a test clock.
# - stamina retries exceptions only (a 429 would have to be raised and turned back
#   into the response the caller sees); its jitter is added to the exponential wait,
#   not full jitter; its timeout stops after the time has passed, not before a wait
#   that would pass it; and its test mode zeroes every wait globally instead of
#   letting a test see them.
# - tenacity could run the loop, but only with every decision written as our own
#   callback: its clock is time.monotonic, fixed (so max_elapsed, which counts time
#   spent in requests, could not be driven by a test clock); stop_before_delay stops
#   at a wait ending exactly on the bound, one the policy still allows;
#   wait_random_exponential draws from the random module, not an injected source;
#   and the RetryOutcome/stop reasons would still be computed here. What would be
#   left to it is a for loop, at the price of a dependency.
# So the decisions stay in AttemptTracker, which the sync and async transports share.

from __future__ import annotations

import contextlib
import email.utils
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import attrs
import httpx

# Raised before a single byte of the request reached the server, so sending the
# request again cannot create a second assignment source.
PRE_SEND_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)

# Raised once the request may have reached the server: it may have been applied,
# and only a request that does the same thing twice may be sent again after one.
AMBIGUOUS_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)

# A request carrying this extension set to True may be sent again after an ambiguous
# failure (see RetryPolicy); GET and HEAD requests always may.
REPEATABLE_EXTENSION = "statsig_console.repeatable"
_SAFE_METHODS = frozenset({"GET", "HEAD"})


def is_repeatable(request: httpx.Request) -> bool:
    """Whether sending ``request`` twice leaves the same state as sending it once."""
    return request.method in _SAFE_METHODS or request.extensions.get(REPEATABLE_EXTENSION) is True


_DELTA_SECONDS = re.compile(r"\d+(?:\.\d+)?", re.ASCII)


def _status_set(statuses: Iterable[int]) -> frozenset[int]:
    return frozenset(statuses)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """Which failures of a request are tried again, and within which bounds.

    The defaults suit Statsig's Console API (about 100 requests per 10 s and 900 per
    15 min for each key):

    - a 429 waits ``Retry-After`` (seconds or an HTTP date; ``rate_limit_wait``
      seconds when it has none) and tries again; when the server asks for more than
      ``max_retry_after`` seconds, the 429 is returned at once instead of blocking the
      caller for minutes;
    - a 503 waits ``Retry-After`` when present, otherwise it backs off exponentially
      with full jitter, like the connection errors that happen before the request
      is sent (:class:`httpx.ConnectError`, :class:`httpx.ConnectTimeout`,
      :class:`httpx.PoolTimeout`);
    - after an ambiguous failure, one the server may have acted on (a read or
      write timeout, a connection dropped mid-answer, a status in
      ``ambiguous_statuses``: 502 and 504 by default), only a *repeatable*
      request is tried again: a GET, or a request the production layer marked
      with the ``statsig_console.repeatable`` extension because sending it twice
      leaves what sending it once does (an update or patch that does not rename,
      a delete). Any other request, a create above all, is not: the server may
      have created the source, and a second create would fail as a duplicate and
      hide that success. A retried delete that answers 404 most likely deleted
      the source on the attempt whose answer was lost, and is reported as deleted
      (see ``delete_assignment_source``). ``retry_ambiguous=False`` switches this off;
    - nothing else is retried: a 400, 401 or 404 would fail the same way again, and
      a 500 is no documented answer of Statsig's to wait out.

    At most ``max_attempts`` attempts are made, and no retry is started whose wait
    would end more than ``max_elapsed`` seconds after the first attempt began.
    """

    max_attempts: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    max_elapsed: float = attrs.field(default=60.0, validator=attrs.validators.gt(0))
    max_retry_after: float = attrs.field(default=30.0, validator=attrs.validators.ge(0))
    # A 429 without a readable Retry-After waits this long: Statsig's shortest window
    # is 10 s, and a shorter back-off would spend the retries inside it.
    rate_limit_wait: float = attrs.field(default=10.0, validator=attrs.validators.ge(0))
    backoff_initial: float = attrs.field(default=0.5, validator=attrs.validators.gt(0))
    backoff_max: float = attrs.field(default=10.0, validator=attrs.validators.gt(0))
    retry_statuses: frozenset[int] = attrs.field(
        default=frozenset({429, 503}), converter=_status_set
    )
    retry_connect_errors: bool = True
    retry_ambiguous: bool = True
    ambiguous_statuses: frozenset[int] = attrs.field(
        default=frozenset({502, 504}), converter=_status_set
    )


def parse_retry_after(value: str, *, now: datetime) -> float | None:
    """Seconds to wait according to a ``Retry-After`` value; None when unreadable.

    An HTTP date in the past means no wait at all.
    """
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def retry_after_seconds(response: httpx.Response, *, now: datetime) -> float | None:
    """The response's ``Retry-After`` in seconds, None when absent or unreadable.

    An HTTP date is measured against the response's ``Date`` when it has one, so that
    a skewed local clock does not stretch or shorten the wait.
    """
    header = response.headers.get("Retry-After")
    if header is None:
        return None
    date = response.headers.get("Date")
    if date is not None:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            now = email.utils.parsedate_to_datetime(date)
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
    return parse_retry_after(header, now=now)


@attrs.frozen
class Verdict:
    """What to do after one attempt: wait ``delay`` seconds and retry, or stop."""

    delay: float | None
    reason: str


@attrs.frozen
class RetryOutcome:
    """Attached to the final response: how many attempts it took, and why they stopped.

    ``ambiguous_retries`` counts the retries that followed an ambiguous failure: when
    it is not 0, an earlier attempt may have been applied (a delete answered 404 on
    its retry probably deleted the source on its first attempt).
    """

    attempts: int
    stopped_because: str
    ambiguous_retries: int = 0


# The key under which RetryTransport leaves a RetryOutcome in response.extensions.
OUTCOME_EXTENSION = "statsig_console.retry"


@attrs.define
class AttemptTracker:
    """The retry decisions of one request, shared by the sync and async transports."""

    policy: RetryPolicy
    clock: Callable[[], float]
    random: Callable[[], float]
    wall_clock: Callable[[], datetime] = attrs.field(default=lambda: datetime.now(UTC))
    # Whether the request may be sent again after an ambiguous failure.
    repeatable: bool = False
    started: float = attrs.field(init=False)
    ambiguous_retries: int = attrs.field(init=False, default=0)

    def __attrs_post_init__(self) -> None:
        self.started = self.clock()

    def outcome(self, attempt: int, reason: str) -> RetryOutcome:
        return RetryOutcome(attempt, reason, self.ambiguous_retries)

    def _may_repeat(self) -> bool:
        return self.repeatable and self.policy.retry_ambiguous

    def after_response(self, attempt: int, response: httpx.Response) -> Verdict:
        status = response.status_code
        if status in self.policy.ambiguous_statuses and status not in self.policy.retry_statuses:
            if not self._may_repeat():
                return Verdict(None, "")
            return self._ambiguous(
                self._schedule(attempt, self._backoff(attempt), f"HTTP {status}")
            )
        if status not in self.policy.retry_statuses:
            return Verdict(None, "")
        retry_after = retry_after_seconds(response, now=self.wall_clock())
        if retry_after is not None and retry_after > self.policy.max_retry_after:
            return Verdict(
                None,
                f"Retry-After asks for {retry_after:g} s, more than max_retry_after "
                f"({self.policy.max_retry_after:g} s)",
            )
        if retry_after is not None:
            delay = retry_after
        elif status == 429:
            delay = self.policy.rate_limit_wait
        else:
            delay = self._backoff(attempt)
        return self._schedule(attempt, delay, f"HTTP {status}")

    def after_error(self, attempt: int, error: Exception) -> Verdict:
        what = type(error).__name__
        if isinstance(error, AMBIGUOUS_ERRORS) and self._may_repeat():
            return self._ambiguous(self._schedule(attempt, self._backoff(attempt), what))
        if not (self.policy.retry_connect_errors and isinstance(error, PRE_SEND_ERRORS)):
            return Verdict(None, "")
        return self._schedule(attempt, self._backoff(attempt), what)

    def _ambiguous(self, verdict: Verdict) -> Verdict:
        if verdict.delay is not None:
            self.ambiguous_retries += 1
        return verdict

    def _backoff(self, attempt: int) -> float:
        # Full jitter: anywhere between 0 and the exponential ceiling, so that clients
        # failing together do not come back together. The exponent is capped because
        # a float overflows long before any sensible max_attempts.
        growth = 2.0 ** min(attempt - 1, 32)
        ceiling = min(self.policy.backoff_max, self.policy.backoff_initial * growth)
        return self.random() * ceiling

    def _schedule(self, attempt: int, delay: float, what: str) -> Verdict:
        if attempt >= self.policy.max_attempts:
            return Verdict(None, f"{what} on the last of max_attempts={self.policy.max_attempts}")
        elapsed = self.clock() - self.started
        if elapsed + delay > self.policy.max_elapsed:
            return Verdict(
                None,
                f"{what}; waiting {delay:.1f} s more would pass max_elapsed "
                f"({self.policy.max_elapsed:g} s, {elapsed:.1f} s spent)",
            )
        return Verdict(delay, f"{what}; retrying in {delay:.2f} s")
