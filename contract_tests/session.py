"""The HTTP session every contract request goes through, checks' own requests included.

schemathesis hands the session it is given to the checks that send requests of their
own (ignored_auth, missing_required_header, unsupported_method), so this is the one
place to give every request a unique name, pace requests, wait out 429s, bound the
total and, against the real API, refuse anything that could persist.

Against the real API it sends only what cannot change a source that exists: GETs of
the list and dry-run creates, updates and patches, the last two always to a name it
has just made up (a fresh suffix on the generated one), so even a dry run Statsig
mishandled could not reach a live source. Never a DELETE. Write mode (``writes``) is
the one exception, for sources the run created itself.

It never follows a redirect: the library would send the follow-up itself, past every
guard here, key included, to wherever the answer points. The spec documents no 3xx,
so one is a failure naming where it pointed, and the session sends nothing more.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import requests
from urllib3 import HTTPHeaderDict

from statsig_console import parse_retry_after

from .endpoints import Addressed, Endpoints
from .redaction import ApiKey, Redactor
from .writes import Ledger, refusal

DEFAULT_RETRY_AFTER_S = 10.0
NAME_PREFIX = "contract-test-"
# Added to a generated name, never in place of it: the generated characters (spaces,
# slashes, %, quotes, non-ASCII letters) still reach the server, in bodies and paths.
NAME_SUFFIX_MARK = "~ct"
MUTATING_VERBS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def unique_name() -> str:
    """A fresh, recognisable name; the spec puts no constraint on names beyond string."""
    return f"{NAME_PREFIX}{secrets.token_hex(8)}"


def unique_suffix() -> str:
    """Unreserved characters only, so it reads the same in a body and in a path."""
    return f"{NAME_SUFFIX_MARK}{secrets.token_hex(8)}"


class UnsafeRequestError(RuntimeError):
    """A request against the real API that could change a stored source; it was not sent."""


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
    """The request with its name made unique, when its body is a JSON object with a name.

    Checks re-send a case (without the key, without a header): each send needs a name
    of its own, or the second would be a duplicate and hide what the check looks for.
    The name is extended, not replaced, so what was generated is what is tested.
    """
    body = _json_body(kwargs)
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        return kwargs
    renamed = {**body, "name": body["name"] + unique_suffix()}
    if kwargs.get("json") is not None:
        return {**kwargs, "json": renamed}
    return {**kwargs, "data": json.dumps(renamed).encode()}


def is_dry_run(kwargs: dict[str, Any]) -> bool:
    body = _json_body(kwargs)
    return isinstance(body, dict) and body.get("dryRun") is True


def path_name(segment: str) -> str:
    return unquote(segment)


@dataclass(frozen=True, slots=True)
class RateWindow:
    """At most ``limit`` mutations in any ``seconds``."""

    limit: int
    seconds: float


class MutationPacer:
    """Holds mutations back so that no window ever sees more than its limit.

    Statsig counts mutations per project in two windows (100 per 10 s and 900 per
    15 minutes); reads are not counted. Sliding windows, so a burst may use the short
    window's budget while the long one still holds.
    """

    def __init__(
        self,
        windows: tuple[RateWindow, ...],
        sleep: Callable[[float], None],
        monotonic: Callable[[], float],
    ) -> None:
        self.windows = windows
        self._sleep = sleep
        self._monotonic = monotonic
        horizon = max((window.seconds for window in windows), default=0.0)
        self._horizon = horizon
        self._sent: deque[float] = deque()

    def wait_for_room(self) -> None:
        for window in self.windows:
            while True:
                now = self._monotonic()
                while self._sent and self._sent[0] <= now - self._horizon:
                    self._sent.popleft()
                inside = [t for t in self._sent if t > now - window.seconds]
                if len(inside) < window.limit:
                    break
                # The oldest mutation inside the window leaves it then.
                self._sleep(inside[-window.limit] + window.seconds - now)
        self._sent.append(self._monotonic())

    def in_window(self, seconds: float) -> int:
        now = self._monotonic()
        return sum(1 for t in self._sent if t > now - seconds)


class ContractSession(requests.Session):
    """A session that paces, bounds and (in real mode) guards what it sends."""

    def __init__(
        self,
        *,
        real: bool,
        endpoints: Endpoints | None = None,
        secret: str | None = None,
        min_interval_s: float = 0.0,
        mutation_windows: tuple[RateWindow, ...] = (),
        ledger: Ledger | None = None,
        max_requests: int | None = None,
        max_rate_limit_waits: int = 5,
        max_retry_after_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__()
        self.real = real
        # In real mode, the only URLs requests may go to.
        self.endpoints = endpoints
        if real and endpoints is None:
            raise ValueError("real mode needs the endpoints it may send to")
        # Write mode: non-dry-run mutations of the run's own sources, tracked here.
        self.ledger = ledger
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
        self.pacer = MutationPacer(mutation_windows, sleep, monotonic)
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
    def cleaning_up(self, deletes: int) -> Iterator[None]:
        """Room past the bound for ``deletes`` requests: removing what the run created
        must never be stopped by the bound that the creating counted towards."""
        if self.max_requests is None:
            yield
            return
        bound = self.max_requests
        self.max_requests = max(bound, self.sent) + deletes
        try:
            yield
        finally:
            self.max_requests = bound

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
        written: tuple[str, str | None] | None = None
        if self.real:
            target, written = self._guard(verb, target, kwargs)
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
        if written is not None and self.ledger is not None:
            self.ledger.record(*written, response.status_code, _data(response))
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

    def _guard(
        self, verb: str, url: str, kwargs: dict[str, Any]
    ) -> tuple[str, tuple[str, str | None] | None]:
        """The URL to send to, and what a write-mode mutation did; raises if it may not go.

        Returns ``(url, (operation, path name))`` for a non-dry-run mutation the
        ledger allows, ``(url, None)`` for everything else that may go.
        """
        assert self.endpoints is not None
        addressed = self.endpoints.address(url)
        operation = _operation(verb, addressed)
        if operation is None or addressed is None:
            raise UnsafeRequestError(
                f"refused to send {verb} {url} to the real API: only the list and dry-run "
                "creates, updates and patches go there"
            )
        if operation == "list":
            return url, None
        name = None if addressed.segment is None else path_name(addressed.segment)
        owned = self.ledger is not None and name is not None and self.ledger.owns(name)
        if self.ledger is not None and not is_dry_run(kwargs):
            why = refusal(operation, name, _json_body(kwargs), self.ledger)
            if why is None:
                return url, (operation, name)
            raise UnsafeRequestError(
                f"refused to send {verb} {url} to the real API in write mode: {why}"
            )
        if operation == "delete":
            raise UnsafeRequestError(
                f"refused to send {verb} {url} to the real API: a delete has no dry run"
            )
        if not is_dry_run(kwargs):
            raise UnsafeRequestError(
                f"refused to send a {operation} without a JSON body carrying dryRun: true "
                "to the real API"
            )
        if addressed.segment is not None and not owned:
            # A dry run addresses a name made up here, which no stored source can have.
            fresh = self.endpoints.source_url_prefix + addressed.segment + unique_suffix()
            url = fresh + (f"?{addressed.query}" if addressed.query else "")
        return url, None

    def _send_paced(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        if self.max_requests is not None and self.sent >= self.max_requests:
            raise RequestBudgetExhaustedError(
                f"the run's bound of {self.max_requests} requests is reached"
            )
        if method in MUTATING_VERBS:
            self.pacer.wait_for_room()
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


def _operation(verb: str, addressed: Addressed | None) -> str | None:
    if addressed is None:
        return None
    if addressed.kind == "collection":
        return {"GET": "list", "POST": "create"}.get(verb)
    return {"POST": "update", "PATCH": "patch", "DELETE": "delete"}.get(verb)


def _data(response: requests.Response) -> object:
    try:
        payload = response.json()
    except ValueError:
        return None
    return payload.get("data") if isinstance(payload, dict) else None


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
