"""The HTTP session every contract request goes through, checks' own requests included.

schemathesis hands the session it is given to the checks that send requests of their
own (ignored_auth, missing_required_header, unsupported_method), so this is the one
place to give every request a unique name, pace requests, wait out 429s, bound the
total and, against the real API, refuse anything that could persist.
"""

from __future__ import annotations

import email.utils
import json
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import requests

DEFAULT_RETRY_AFTER_S = 10.0
NAME_PREFIX = "contract-test-"


def unique_name() -> str:
    """A fresh, recognisable name; the spec puts no constraint on names beyond string."""
    return f"{NAME_PREFIX}{secrets.token_hex(8)}"


class UnsafeRequestError(RuntimeError):
    """A request against the real API that is not a dry run; it was not sent."""


class RequestBudgetExhaustedError(RuntimeError):
    """The run reached its bound on requests; nothing more is sent."""


def retry_after_seconds(value: str | None, now: Callable[[], datetime]) -> float:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date)."""
    if value is None or not value.strip():
        return DEFAULT_RETRY_AFTER_S
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER_S
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


def _json_body(kwargs: dict[str, Any]) -> object:
    if kwargs.get("json") is not None:
        return kwargs["json"]
    raw = kwargs.get("data")
    if isinstance(raw, bytes | str):
        try:
            return json.loads(raw)
        except ValueError:
            return None
    return None


def with_fresh_name(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request with a new name, when its body is a JSON object with a string name.

    Checks re-send a case (without the key, without a header): each send needs a name
    of its own, or the second would be a duplicate and hide what the check looks for.
    """
    body = _json_body(kwargs)
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        return kwargs
    renamed = {**body, "name": unique_name()}
    if kwargs.get("json") is not None:
        return {**kwargs, "json": renamed}
    return {**kwargs, "data": json.dumps(renamed).encode()}


def is_dry_run(kwargs: dict[str, Any]) -> bool:
    body = _json_body(kwargs)
    return isinstance(body, dict) and body.get("dryRun") is True


class ContractSession(requests.Session):
    """A session that paces, bounds and (in real mode) guards what it sends."""

    def __init__(
        self,
        *,
        real: bool,
        min_interval_s: float = 0.0,
        max_requests: int | None = None,
        max_rate_limit_waits: int = 5,
        max_retry_after_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__()
        self.real = real
        self.min_interval_s = min_interval_s
        self.max_requests = max_requests
        self.max_rate_limit_waits = max_rate_limit_waits
        self.max_retry_after_s = max_retry_after_s
        self._sleep = sleep
        self._monotonic = monotonic
        self._now = now
        self._last_sent: float | None = None
        self.fresh_names = True
        self.sent = 0
        self.rate_limit_waits = 0
        self.waited_s = 0.0

    @property
    def remaining(self) -> int | None:
        """Requests left under the bound (None: unbounded)."""
        return None if self.max_requests is None else max(0, self.max_requests - self.sent)

    @contextmanager
    def keeping_names(self) -> Iterator[None]:
        """Send names as given, for tests about names (uniqueness, dry runs)."""
        self.fresh_names = False
        try:
            yield
        finally:
            self.fresh_names = True

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        verb = method.decode() if isinstance(method, bytes) else method
        if self.real and verb.upper() not in {"GET", "HEAD", "OPTIONS"} and not is_dry_run(kwargs):
            raise UnsafeRequestError(
                f"refused to send {verb.upper()} without a JSON body carrying dryRun: true "
                "to the real API"
            )
        if self.fresh_names:
            kwargs = with_fresh_name(kwargs)
        response = self._send_paced(verb, url, *args, **kwargs)
        waits = 0
        while response.status_code == 429 and waits < self.max_rate_limit_waits:
            delay = min(
                retry_after_seconds(response.headers.get("Retry-After"), self._now),
                self.max_retry_after_s,
            )
            response.close()
            waits += 1
            self.rate_limit_waits += 1
            self.waited_s += delay
            self._sleep(delay)
            response = self._send_paced(verb, url, *args, **kwargs)
        return response

    def _send_paced(
        self, method: str, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        if self.max_requests is not None and self.sent >= self.max_requests:
            raise RequestBudgetExhaustedError(
                f"the run's bound of {self.max_requests} requests is reached"
            )
        if self._last_sent is not None and self.min_interval_s > 0:
            wait = self._last_sent + self.min_interval_s - self._monotonic()
            if wait > 0:
                self._sleep(wait)
        self._last_sent = self._monotonic()
        self.sent += 1
        return super().request(method, url, *args, **kwargs)
