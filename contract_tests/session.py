"""The HTTP session every contract request goes through, checks' own requests included.

schemathesis hands the session it is given to the checks that send requests of their
own (ignored_auth, missing_required_header, unsupported_method), so this is the one
place to give every request a unique name, pace requests, wait out 429s, bound the
total and, against the real API, refuse anything that could persist.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import requests

from statsig_console import parse_retry_after

DEFAULT_RETRY_AFTER_S = 10.0
REDACTED = b"console-[redacted]"
NAME_PREFIX = "contract-test-"


def unique_name() -> str:
    """A fresh, recognisable name; the spec puts no constraint on names beyond string."""
    return f"{NAME_PREFIX}{secrets.token_hex(8)}"


class UnsafeRequestError(RuntimeError):
    """A request against the real API other than a dry-run create; it was not sent."""


class RequestBudgetExhaustedError(RuntimeError):
    """The run reached its bound on requests; nothing more is sent."""


def retry_after_seconds(value: str | None, now: Callable[[], datetime]) -> float:
    """Seconds a ``Retry-After`` header asks for; Statsig's 10 s window when it says none."""
    parsed = parse_retry_after(value, now=now()) if value else None
    return DEFAULT_RETRY_AFTER_S if parsed is None else parsed


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
        endpoint_url: str | None = None,
        secret: str | None = None,
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
        # In real mode, the one URL requests may go to.
        self.endpoint_url = endpoint_url
        # Statsig's 401 quotes the key it received: answers are cleaned of it before
        # anything (a report, an assertion message) can show them.
        self._secret = secret.encode() if secret else None
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
        verb = (method.decode() if isinstance(method, bytes) else method).upper()
        target = url.decode() if isinstance(url, bytes) else url
        if self.real:
            self._refuse_unless_dry_run_create(verb, target, kwargs)
        if self.fresh_names:
            kwargs = with_fresh_name(kwargs)
        response = self._send_paced(verb, target, *args, **kwargs)
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
            response = self._send_paced(verb, target, *args, **kwargs)
        return response

    def _refuse_unless_dry_run_create(self, verb: str, url: str, kwargs: dict[str, Any]) -> None:
        if verb != "POST" or url.split("?", 1)[0] != self.endpoint_url:
            raise UnsafeRequestError(
                f"refused to send {verb} {url} to the real API: only dry-run creates go there"
            )
        if not is_dry_run(kwargs):
            raise UnsafeRequestError(
                "refused to send a create without a JSON body carrying dryRun: true to the real API"
            )

    def _send_paced(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
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
        response = super().request(method, url, *args, **kwargs)
        if self._secret is not None and self._secret in response.content:
            response._content = response.content.replace(self._secret, REDACTED)
        return response
