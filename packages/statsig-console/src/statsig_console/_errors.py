"""The exceptions of the production layer; none of their messages holds the API key."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from http import HTTPStatus
from typing import ClassVar

import httpx

from ._redaction import redact
from ._retry import OUTCOME_EXTENSION, RetryOutcome, retry_after_seconds

_EXCERPT_CHARS = 300


class ConfigurationError(Exception):
    """The client cannot be built as asked (a missing key, a malformed base URL)."""


class StatsigApiError(Exception):
    """Statsig's Console API did not create the source.

    ``status`` is the HTTP status, ``message`` Statsig's explanation (the ``message``
    of its error body, or an excerpt of a body that is not Statsig's), ``response``
    the final :class:`httpx.Response` and ``attempts`` how many attempts were made
    (None when the client does not retry). ``message`` and ``str(error)`` never
    contain the API key; ``response.request.headers`` does.
    """

    summary: ClassVar[str] = "Statsig's Console API did not create the assignment source"
    hint: ClassVar[str] = ""

    def __init__(
        self, *, status: int, message: str, response: httpx.Response, attempts: int | None = None
    ) -> None:
        self.status = status
        self.message = message
        self.response = response
        self.attempts = attempts
        super().__init__(self._describe())

    def _describe(self) -> str:
        try:
            phrase = f" {HTTPStatus(self.status).phrase}"
        except ValueError:
            phrase = ""
        text = f"{self.summary} (HTTP {self.status}{phrase}): {self.message}"
        if self.hint:
            text += f" {self.hint}"
        outcome = self.response.extensions.get(OUTCOME_EXTENSION)
        if isinstance(outcome, RetryOutcome) and (outcome.attempts > 1 or outcome.stopped_because):
            text += f" [after {outcome.attempts} attempt(s)"
            if outcome.stopped_because:
                text += f"; {outcome.stopped_because}"
            text += "]"
        return text


class InvalidRequestError(StatsigApiError):
    """400: Statsig rejected the body, for example a missing field or a taken name."""

    summary = "Statsig rejected the request as invalid"


class AuthenticationError(StatsigApiError):
    """401: the key is missing, wrong, revoked or not a Console API key."""

    summary = "Statsig did not accept the API key"
    hint = "Check that it is an active Console API key (such keys start with 'console-')."


class RateLimitedError(StatsigApiError):
    """429: the key exceeded Statsig's rate limit, after any retries the policy allowed.

    ``retry_after`` is the wait in seconds Statsig asked for, when it said.
    """

    summary = "Statsig rate-limited this API key"

    def __init__(
        self, *, status: int, message: str, response: httpx.Response, attempts: int | None = None
    ) -> None:
        self.retry_after = retry_after_seconds(response, now=datetime.now(UTC))
        super().__init__(status=status, message=message, response=response, attempts=attempts)


class UnexpectedStatusError(StatsigApiError):
    """A status the spec does not document: 418, a proxy's 520, a 500, a 503 given up on.

    A redirect (3xx) is one too: it is never followed, so that the key goes only to
    the base URL's host, and the message names where it pointed.
    """

    summary = "Statsig's Console API answered with an undocumented status"


class MalformedResponseError(StatsigApiError):
    """A success status (201 for a create) whose body is not the one the spec describes."""

    summary = "Statsig answered with a body that does not match the spec"


_ERRORS_BY_STATUS: dict[int, type[StatsigApiError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    429: RateLimitedError,
}


def error_for(response: httpx.Response, *, api_key: str) -> StatsigApiError:
    """The exception that describes a response other than the operation's success."""
    error_class = _ERRORS_BY_STATUS.get(response.status_code, UnexpectedStatusError)
    message = statsig_message(response, api_key=api_key)
    if response.is_redirect:
        location = redact(response.headers["Location"], api_key=api_key)
        sent_to = response.request.url
        message = (
            f"redirected to {location}, not followed: the API key is sent only to "
            f"{sent_to.scheme}://{sent_to.netloc.decode('ascii')}"
        )
    return error_class(
        status=response.status_code,
        message=message,
        response=response,
        attempts=attempts_of(response),
    )


def malformed(response: httpx.Response, *, api_key: str, problem: str) -> MalformedResponseError:
    excerpt = _excerpt(response.text, api_key=api_key)
    return MalformedResponseError(
        status=response.status_code,
        message=f"{redact(problem, api_key=api_key)}; body: {excerpt}",
        response=response,
        attempts=attempts_of(response),
    )


def statsig_message(response: httpx.Response, *, api_key: str) -> str:
    """Statsig's ``message`` when the body is its error JSON, else an excerpt of the body."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return redact(body["message"], api_key=api_key)
    return _excerpt(response.text, api_key=api_key)


def attempts_of(response: httpx.Response) -> int | None:
    outcome = response.extensions.get(OUTCOME_EXTENSION)
    return outcome.attempts if isinstance(outcome, RetryOutcome) else None


def _excerpt(text: str, *, api_key: str) -> str:
    # Redacted before it is cut, so that a cut cannot leave half a key behind.
    collapsed = redact(" ".join(text.split()), api_key=api_key)
    if not collapsed:
        return "(empty body)"
    if len(collapsed) > _EXCERPT_CHARS:
        collapsed = collapsed[:_EXCERPT_CHARS] + "..."
    return collapsed
