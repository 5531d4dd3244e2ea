"""The exceptions of the production layer; none of their messages holds the API key."""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, ClassVar, NotRequired, TypedDict, Unpack

import attrs
import httpx

from ._redaction import redact
from ._retry import OUTCOME_EXTENSION, RetryOutcome, retry_after_seconds
from ._text import shorten

_EXCERPT_CHARS = 300


class ConfigurationError(Exception):
    """The client cannot be built as asked (a missing key, a malformed base URL)."""


# What each operation was asked to do, for the first words of its errors.
_ACTIONS = {
    "listAssignmentSources": "list the assignment sources",
    "createAssignmentSource": "create the assignment source",
    "updateAssignmentSource": "update the assignment source",
    "patchAssignmentSource": "patch the assignment source",
    "deleteAssignmentSource": "delete the assignment source",
}


def action_of(operation_id: str | None) -> str:
    """What the operation was asked to do, in words ("delete the assignment source")."""
    if operation_id is None:
        return "complete the request"
    return _ACTIONS.get(operation_id, f"complete {operation_id}")


class ErrorFields(TypedDict):
    """What every :class:`StatsigApiError` is built from (see its attributes)."""

    status: int
    message: str
    response: httpx.Response
    attempts: NotRequired[int | None]
    operation_id: NotRequired[str | None]


class StatsigApiError(Exception):
    """Statsig's Console API did not do what the operation asked.

    ``status`` is the HTTP status, ``message`` Statsig's explanation (the ``message``
    of its error body, or an excerpt of a body that is not Statsig's), ``response``
    the final :class:`httpx.Response`, ``attempts`` how many attempts were made
    (None when the client does not retry) and ``operation_id`` the operation that
    failed (``"deleteAssignmentSource"``, say). ``message`` and ``str(error)`` never
    contain the API key; ``response.request.headers`` does.
    """

    # "{action}" becomes what the operation was asked to do.
    summary: ClassVar[str] = "Statsig's Console API did not {action}"
    hint: ClassVar[str] = ""

    def __init__(
        self,
        *,
        status: int,
        message: str,
        response: httpx.Response,
        attempts: int | None = None,
        operation_id: str | None = None,
    ) -> None:
        self.status = status
        self.message = message
        self.response = response
        self.attempts = attempts
        self.operation_id = operation_id
        super().__init__(self._describe())

    def _details(self) -> str:
        return ""

    def _describe(self) -> str:
        try:
            phrase = f" {HTTPStatus(self.status).phrase}"
        except ValueError:
            phrase = ""
        summary = self.summary.format(action=action_of(self.operation_id))
        text = f"{summary} (HTTP {self.status}{phrase}): {self.message}{self._details()}"
        if self.hint:
            text += f" {self.hint}"
        outcome = self.response.extensions.get(OUTCOME_EXTENSION)
        if isinstance(outcome, RetryOutcome) and (outcome.attempts > 1 or outcome.stopped_because):
            text += f" [after {outcome.attempts} attempt(s)"
            if outcome.stopped_because:
                text += f"; {outcome.stopped_because}"
            text += "]"
        return text


@attrs.frozen
class FieldError:
    """What Statsig said is wrong with one field of the request.

    ``property`` is the field (``"timestampColumn"``), ``message`` what is wrong with
    it; either is ``""`` when Statsig left it out.
    """

    property: str
    message: str


class InvalidRequestError(StatsigApiError):
    """400: Statsig rejected the request, for example a missing field or a taken name.

    ``errors`` holds the field-by-field details Statsig sent in its ``errors`` array,
    in its order; it is empty when Statsig sent none.
    """

    summary = "Statsig rejected the request to {action} as invalid"

    def __init__(
        self, *, errors: tuple[FieldError, ...] = (), **fields: Unpack[ErrorFields]
    ) -> None:
        self.errors = errors
        super().__init__(**fields)

    def _details(self) -> str:
        if not self.errors:
            return ""
        described = "; ".join(
            f"{error.property or '(no field named)'}: {error.message or '(no message)'}"
            for error in self.errors
        )
        return f" ({described})"


class NotFoundError(StatsigApiError):
    """404: no assignment source of the project has the name in the path."""

    summary = "No assignment source has that name, so Statsig could not {action}"


class AuthenticationError(StatsigApiError):
    """401: the key is missing, wrong, revoked or not a Console API key."""

    summary = "Statsig did not accept the API key"
    hint = "Check that it is an active Console API key (such keys start with 'console-')."


class RateLimitedError(StatsigApiError):
    """429: the key exceeded Statsig's rate limit, after any retries the policy allowed.

    ``retry_after`` is the wait in seconds Statsig asked for, when it said.
    """

    summary = "Statsig rate-limited this API key"

    def __init__(self, **fields: Unpack[ErrorFields]) -> None:
        self.retry_after = retry_after_seconds(fields["response"], now=datetime.now(UTC))
        super().__init__(**fields)


class UnexpectedStatusError(StatsigApiError):
    """A status the spec does not document: 418, a proxy's 520, a 500, a 503 given up on.

    A redirect (3xx) is one too: it is never followed, so that the key goes only to
    the base URL's host, and the message names where it pointed.
    """

    summary = "Statsig's Console API answered the request to {action} with an undocumented status"


class MalformedResponseError(StatsigApiError):
    """A success status (201 for a create) whose body is not the one the spec describes."""

    summary = "Statsig answered the request to {action} with a body that does not match the spec"


class InconsistentPagesError(StatsigApiError):
    """The pages of a list do not add up: a page repeated, or counts that disagree.

    Raised instead of paging on, so that a server that answers the same page again
    cannot make an iterator spin. ``response`` is the page that gave it away.
    """

    summary = "Statsig's pages of assignment sources do not add up; stopped listing"


_ERRORS_BY_STATUS: dict[int, type[StatsigApiError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    404: NotFoundError,
    429: RateLimitedError,
}


def error_for(
    response: httpx.Response, *, api_key: str, operation_id: str | None = None
) -> StatsigApiError:
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
    fields = ErrorFields(
        status=response.status_code,
        message=message,
        response=response,
        attempts=attempts_of(response),
        operation_id=operation_id,
    )
    if error_class is InvalidRequestError:
        return InvalidRequestError(errors=field_errors(response, api_key=api_key), **fields)
    return error_class(**fields)


def malformed(
    response: httpx.Response, *, api_key: str, problem: str, operation_id: str | None = None
) -> MalformedResponseError:
    excerpt = _excerpt(response.text, api_key=api_key)
    return MalformedResponseError(
        status=response.status_code,
        message=f"{redact(problem, api_key=api_key)}; body: {excerpt}",
        response=response,
        attempts=attempts_of(response),
        operation_id=operation_id,
    )


def json_body(response: httpx.Response) -> Any:  # noqa: ANN401 - parsed JSON
    """The body parsed as JSON.

    Raises:
        ValueError: it is not JSON, not UTF-8, or nested deeper than the parser's stack
            (json raises RecursionError for that, which no caller should have to know).
    """
    try:
        return response.json()
    except RecursionError:
        raise ValueError("nested too deeply to parse") from None


def field_errors(response: httpx.Response, *, api_key: str) -> tuple[FieldError, ...]:
    """The ``errors`` array of Statsig's error body as typed pairs; () when it has none.

    Statsig's document does not declare the array, so an entry that is not an object
    is skipped and a key that is missing or not a string reads as ``""``.
    """
    try:
        body = json_body(response)
    except ValueError:
        return ()
    entries = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(entries, list):
        return ()
    found: list[FieldError] = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        name, text = entry.get("property"), entry.get("errorMessage")
        found.append(
            FieldError(
                property=redact(name, api_key=api_key) if isinstance(name, str) else "",
                message=redact(text, api_key=api_key) if isinstance(text, str) else "",
            )
        )
    return tuple(found)


def statsig_message(response: httpx.Response, *, api_key: str) -> str:
    """Statsig's ``message`` when the body is its error JSON, else an excerpt of the body."""
    try:
        body = json_body(response)
    except ValueError:
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
    return shorten(collapsed, _EXCERPT_CHARS) if collapsed else "(empty body)"
