"""The HTTP session every contract request goes through, checks' own requests included.

schemathesis hands the session it is given to the checks that send requests of their
own (ignored_auth, missing_required_header, unsupported_method), so this is the one
place to give every request a unique name, pace requests, wait out 429s, bound the
total and, against the real API, refuse anything that could persist.

It never follows a redirect: the library would send the follow-up itself, past every
guard here, key included, to wherever the answer points. The spec documents no 3xx,
so one is a failure naming where it pointed, and the session sends nothing more.
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
from urllib3 import HTTPHeaderDict

from statsig_console import parse_retry_after

from .redaction import ApiKey, Redactor

DEFAULT_RETRY_AFTER_S = 10.0
NAME_PREFIX = "contract-test-"


def unique_name() -> str:
    """A fresh, recognisable name; the spec puts no constraint on names beyond string."""
    return f"{NAME_PREFIX}{secrets.token_hex(8)}"


class UnsafeRequestError(RuntimeError):
    """A request against the real API other than a dry-run create; it was not sent."""


class RequestBudgetExhaustedError(RuntimeError):
    """The run reached its bound on requests; nothing more is sent."""


class TargetMisbehavedError(RuntimeError):
    """The target answered with a redirect; nothing more is sent to it."""


class TargetUnreachableError(RuntimeError):
    """A request failed below HTTP (refused, reset, timed out); the message is key-free."""


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
        # anything (a report, an assertion message) can show them. Where the key is
        # sent, it goes as an ApiKey, so no repr of the headers shows it.
        self._key = ApiKey(secret) if secret else None
        self._redactor = Redactor(secret) if secret else None
        self.min_interval_s = min_interval_s
        self.max_requests = max_requests
        self.max_rate_limit_waits = max_rate_limit_waits
        self.max_retry_after_s = max_retry_after_s
        self._sleep = sleep
        self._monotonic = monotonic
        self._now = now
        self._last_sent: float | None = None
        # Why nothing more is sent (set by a redirect), or None.
        self._stopped: str | None = None
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

    def redact(self, text: str) -> str:
        """``text`` without the key (as is when there is no key to hide)."""
        return text if self._redactor is None else self._redactor.text(text)

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        verb = (method.decode() if isinstance(method, bytes) else method).upper()
        target = url.decode() if isinstance(url, bytes) else url
        self._refuse_if_stopped()
        if self.real:
            self._refuse_unless_dry_run_create(verb, target, kwargs)
        if self.fresh_names:
            kwargs = with_fresh_name(kwargs)
        kwargs = {**kwargs, "allow_redirects": False, "headers": self._wrapped(kwargs)}
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

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        # No redirect is ever followed, even for a caller asking for it. (max_redirects=0
        # would not do: requests then raises on a 3xx even with following turned off.)
        return super().send(request, **{**kwargs, "allow_redirects": False})

    def _wrapped(self, kwargs: dict[str, Any]) -> Any:
        headers = kwargs.get("headers")
        if self._key is None or not headers:
            return headers
        return {name: self._key if value == self._key else value for name, value in headers.items()}

    def _refuse_if_stopped(self) -> None:
        # Raised from this one place, so every refusal after a redirect is the same error.
        if self._stopped is not None:
            raise TargetMisbehavedError(self._stopped)

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
        failure: str | None = None
        try:
            response = super().request(method, url, *args, **kwargs)
            # Read here, inside the try: a connection closed mid-body fails the same way.
            response.content  # noqa: B018
        except requests.RequestException as error:
            failure = f"{type(error).__name__}: {error}"
        if failure is not None:
            # Raised outside the handler, so no traceback shows the library's frames,
            # whose arguments and locals hold the request's headers, key included.
            raise TargetUnreachableError(
                f"{method} {url} failed before an answer came: {self.redact(failure)}"
            )
        if self._redactor is not None:
            _clean(response, self._redactor)
        if 300 <= response.status_code < 400:
            location = response.headers.get("Location")
            self._stopped = (
                f"{method} {url} was answered {response.status_code}, redirecting to "
                f"{self.redact(location) if location else 'nowhere (no Location header)'}; "
                "the spec documents no redirect, so none is followed and nothing more is "
                "sent to this server"
            )
            response.close()
            self._refuse_if_stopped()
        return response


def _clean(response: requests.Response, redactor: Redactor) -> None:
    """Takes the key out of an answer: body (in every charset), headers and reason."""
    encodings = [response.encoding]
    if response.encoding is None:
        encodings.append(response.apparent_encoding)
    content = response.content
    cleaned = redactor.body(content, encodings)
    if cleaned != content:
        response._content = cleaned
    if isinstance(response.reason, str):
        response.reason = redactor.text(response.reason)
    headers = [(redactor.text(k), redactor.text(v)) for k, v in response.headers.items()]
    if headers != list(response.headers.items()):
        response.headers = requests.structures.CaseInsensitiveDict(headers)
    raw = response.raw
    # schemathesis reads the headers from the raw answer, not from response.headers.
    raw_headers = getattr(raw, "headers", None)
    if isinstance(raw_headers, HTTPHeaderDict):
        clean_raw = HTTPHeaderDict()
        for name, value in raw_headers.iteritems():
            clean_raw.add(redactor.text(name), redactor.text(value))
        raw.headers = clean_raw
