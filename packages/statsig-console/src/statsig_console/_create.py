"""Create Assignment Source: the created source, or an exception that says why not."""

from __future__ import annotations

from typing import Any

from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import create_assignment_source as _endpoint
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourceCreate,
    CreateAssignmentSourceResponse,
)
from statsig_console_client.types import UNSET

from ._call import Call, call, call_async

OPERATION_ID = "createAssignmentSource"


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
        UnexpectedStatusError: any other status (500, 503 given up on, 520, a
            redirect, which is never followed, ...).
        MalformedResponseError: a 201 whose body does not match the spec's schema.
        httpx.TransportError: the request could not be completed (after retries
            for the errors the policy retries).
    """
    return call(client, _prepared(body, respect_review_settings))


async def create_assignment_source_async(
    client: AuthenticatedClient,
    body: AssignmentSourceCreate,
    *,
    respect_review_settings: bool = False,
) -> AssignmentSource:
    """The async twin of :func:`create_assignment_source`, with the same errors."""
    return await call_async(client, _prepared(body, respect_review_settings))


def _prepared(
    body: AssignmentSourceCreate, respect_review_settings: bool
) -> Call[AssignmentSource]:
    # The request is sent by _call rather than through sync_detailed() because the
    # errors carry the httpx.Response, which the generated Response does not keep.
    request = _endpoint.build_request_kwargs(
        body=body, x_respect_review_settings="true" if respect_review_settings else UNSET
    )
    return Call(OPERATION_ID, request, _created_source)


def _created_source(body: Any) -> AssignmentSource:  # noqa: ANN401 - checked JSON
    return CreateAssignmentSourceResponse.from_dict(body).data
