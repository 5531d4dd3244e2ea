"""Sending one operation's request: its success body checked, or the error it maps to.

Every operation of the layer goes through :func:`call`/:func:`call_async` with the
request the generated ``build_request_kwargs`` built, so a new operation needs only
its public function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from statsig_console_client import AuthenticatedClient

from . import spec
from ._errors import error_for, malformed
from ._validation import success_body_problem

T = TypeVar("T")


def call(
    client: AuthenticatedClient,
    operation_id: str,
    request_kwargs: dict[str, Any],
    parse: Callable[[Any], T],
) -> T:
    """Send the request; return ``parse`` of the checked success body.

    Raises:
        StatsigApiError: a subclass for any status but the operation's success one, or
            MalformedResponseError for a success body the spec does not allow.
    """
    # Pinned per request too, whatever the client was built with: the key goes only
    # to the base URL's host.
    response = client.get_httpx_client().request(**request_kwargs, follow_redirects=False)
    return outcome(response, operation_id, parse, api_key=client.token)


async def call_async(
    client: AuthenticatedClient,
    operation_id: str,
    request_kwargs: dict[str, Any],
    parse: Callable[[Any], T],
) -> T:
    """The async twin of :func:`call`."""
    http = client.get_async_httpx_client()
    response = await http.request(**request_kwargs, follow_redirects=False)
    return outcome(response, operation_id, parse, api_key=client.token)


def outcome(
    response: httpx.Response, operation_id: str, parse: Callable[[Any], T], *, api_key: str
) -> T:
    if response.status_code != spec.load().operation(operation_id).success.status:
        raise error_for(response, api_key=api_key)
    try:
        body = response.json()
    except ValueError as error:  # not JSON, or not UTF-8
        raise malformed(response, api_key=api_key, problem=f"not JSON: {error}") from None
    problem = success_body_problem(operation_id, body)
    if problem is not None:
        raise malformed(response, api_key=api_key, problem=problem)
    try:
        return parse(body)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        # The schema allowed what the generated model cannot read: a spec/model drift.
        raise malformed(
            response, api_key=api_key, problem=f"{type(error).__name__}: {error}"
        ) from None
