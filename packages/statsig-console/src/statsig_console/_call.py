"""Sending one operation's request: its success body checked, or the error it maps to.

Every operation of the layer goes through :func:`call`/:func:`call_async` (or, to look
at the response first, :func:`send` and :func:`outcome`) with the request the generated
``build_request_kwargs`` built, so a new operation needs only its public function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
from statsig_console_client import AuthenticatedClient

from . import spec
from ._errors import error_for, json_body, malformed
from ._retry import OUTCOME_EXTENSION, REPEATABLE_EXTENSION, RetryOutcome
from ._validation import success_body_problem

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One operation's request, as its generated ``build_request_kwargs`` built it."""

    operation_id: str
    request_kwargs: dict[str, Any]
    # Reads the success body once it is checked against the spec.
    parse: Callable[[Any], T]
    # Sending the request twice leaves what sending it once does, so the client's retry
    # policy may retry it after an ambiguous failure.
    repeatable: bool = False


def call(client: AuthenticatedClient, prepared: Call[T]) -> T:
    """Send the request; return ``parse`` of the checked success body.

    Raises:
        StatsigApiError: a subclass for any status but the operation's success one, or
            MalformedResponseError for a success body the spec does not allow.
    """
    response = send(client, prepared.request_kwargs, repeatable=prepared.repeatable)
    return outcome(response, prepared.operation_id, prepared.parse, api_key=client.token)


async def call_async(client: AuthenticatedClient, prepared: Call[T]) -> T:
    """The async twin of :func:`call`."""
    response = await send_async(client, prepared.request_kwargs, repeatable=prepared.repeatable)
    return outcome(response, prepared.operation_id, prepared.parse, api_key=client.token)


def send(
    client: AuthenticatedClient, request_kwargs: dict[str, Any], *, repeatable: bool = False
) -> httpx.Response:
    """Send the request as built, redirects off; the response whatever its status."""
    # Pinned per request too, whatever the client was built with: the key goes only
    # to the base URL's host.
    return client.get_httpx_client().request(
        **request_kwargs, follow_redirects=False, extensions=_extensions(repeatable)
    )


async def send_async(
    client: AuthenticatedClient, request_kwargs: dict[str, Any], *, repeatable: bool = False
) -> httpx.Response:
    """The async twin of :func:`send`."""
    http = client.get_async_httpx_client()
    return await http.request(
        **request_kwargs, follow_redirects=False, extensions=_extensions(repeatable)
    )


def _extensions(repeatable: bool) -> dict[str, Any]:
    return {REPEATABLE_EXTENSION: True} if repeatable else {}


def ambiguous_retries(response: httpx.Response) -> int:
    """How many retries of this response's request followed an ambiguous failure."""
    found = response.extensions.get(OUTCOME_EXTENSION)
    return found.ambiguous_retries if isinstance(found, RetryOutcome) else 0


def outcome(
    response: httpx.Response, operation_id: str, parse: Callable[[Any], T], *, api_key: str
) -> T:
    if response.status_code != spec.load().operation(operation_id).success.status:
        raise error_for(response, api_key=api_key, operation_id=operation_id)
    try:
        body = json_body(response)
    except ValueError as error:
        raise malformed(
            response, api_key=api_key, problem=f"not JSON: {error}", operation_id=operation_id
        ) from None
    problem = success_body_problem(operation_id, body)
    if problem is not None:
        raise malformed(response, api_key=api_key, problem=problem, operation_id=operation_id)
    try:
        return parse(body)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        # The schema allowed what the generated model cannot read: a spec/model drift.
        raise malformed(
            response,
            api_key=api_key,
            problem=f"{type(error).__name__}: {error}",
            operation_id=operation_id,
        ) from None
