"""Create Assignment Source: the created source, or an exception that says why not."""

from __future__ import annotations

from typing import Any

import httpx
from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import create_assignment_source as _endpoint
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourceCreate,
    CreateAssignmentSourceResponse,
)
from statsig_console_client.types import UNSET

from ._errors import error_for, malformed


def create_assignment_source(
    client: AuthenticatedClient,
    body: AssignmentSourceCreate,
    *,
    respect_review_settings: bool = False,
) -> AssignmentSource:
    """Create an assignment source and return it as Statsig stored it.

    With ``body.dry_run`` set, Statsig validates and returns the source without
    storing it. ``respect_review_settings`` sends ``x-respect-review-settings: true``.

    Raises:
        InvalidRequestError: 400, for example a missing field or a taken name.
        AuthenticationError: 401, the key was refused.
        RateLimitedError: 429, still rate-limited once the retry policy gave up.
        UnexpectedStatusError: any other status (500, 503 given up on, 520, ...).
        MalformedResponseError: a 201 whose body does not match the spec.
        httpx.TransportError: the request could not be completed (after retries
            for the errors the policy retries).
    """
    response = client.get_httpx_client().request(**_request(body, respect_review_settings))
    return _created_source(response, api_key=client.token)


async def create_assignment_source_async(
    client: AuthenticatedClient,
    body: AssignmentSourceCreate,
    *,
    respect_review_settings: bool = False,
) -> AssignmentSource:
    """The async twin of :func:`create_assignment_source`, with the same errors."""
    http = client.get_async_httpx_client()
    response = await http.request(**_request(body, respect_review_settings))
    return _created_source(response, api_key=client.token)


def _request(body: AssignmentSourceCreate, respect_review_settings: bool) -> dict[str, Any]:
    # The generated module builds method, path, headers and JSON from the spec; the
    # request is sent here rather than through sync_detailed() because the errors
    # carry the httpx.Response, which the generated Response does not keep.
    return _endpoint._get_kwargs(
        body=body, x_respect_review_settings="true" if respect_review_settings else UNSET
    )


def _created_source(response: httpx.Response, *, api_key: str) -> AssignmentSource:
    if response.status_code != 201:
        raise error_for(response, api_key=api_key)
    try:
        created = CreateAssignmentSourceResponse.from_dict(response.json())
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise malformed(
            response, api_key=api_key, problem=f"{type(error).__name__}: {error}"
        ) from None
    return created.data
