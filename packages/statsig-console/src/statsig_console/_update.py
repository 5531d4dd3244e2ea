"""Update Assignment Source: replace a source whole (and rename it), or say why not."""

from __future__ import annotations

from typing import Any

from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import update_assignment_source as _endpoint
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourceUpdate,
    UpdateAssignmentSourceResponse,
)
from statsig_console_client.types import UNSET

from ._call import call, call_async
from ._names import path_name
from ._repeatable import change_is_repeatable

OPERATION_ID = "updateAssignmentSource"


def update_assignment_source(
    client: AuthenticatedClient,
    name: str,
    body: AssignmentSourceUpdate,
    *,
    respect_review_settings: bool = False,
) -> AssignmentSource:
    """Replace the source ``name`` with ``body``; return it as Statsig stored it.

    ``body.name``, when set, is the source's new name (later calls use it); with
    ``body.dry_run`` set Statsig validates and changes nothing. ``name`` is sent
    percent-encoded as one path segment. After an ambiguous failure (a read timeout,
    a 502 or 504) the request is retried unless it renames the source: a retried
    rename whose first attempt was applied would answer 404 and hide that success.

    Raises:
        ValueError: ``name`` is empty (nothing is sent).
        NotFoundError: 404, no source is named ``name``.
        InvalidRequestError: 400, for example a missing field or a taken new name;
            ``errors`` holds Statsig's field details.
        AuthenticationError, RateLimitedError, UnexpectedStatusError,
            MalformedResponseError, httpx.TransportError: as for
            :func:`create_assignment_source`.
    """
    return call(
        client,
        OPERATION_ID,
        _request(path_name(name), body, respect_review_settings),
        _stored_source,
        repeatable=change_is_repeatable(name, body),
    )


async def update_assignment_source_async(
    client: AuthenticatedClient,
    name: str,
    body: AssignmentSourceUpdate,
    *,
    respect_review_settings: bool = False,
) -> AssignmentSource:
    """The async twin of :func:`update_assignment_source`, with the same errors."""
    return await call_async(
        client,
        OPERATION_ID,
        _request(path_name(name), body, respect_review_settings),
        _stored_source,
        repeatable=change_is_repeatable(name, body),
    )


def _request(
    name: str, body: AssignmentSourceUpdate, respect_review_settings: bool
) -> dict[str, Any]:
    return _endpoint.build_request_kwargs(
        name, body=body, x_respect_review_settings="true" if respect_review_settings else UNSET
    )


def _stored_source(body: Any) -> AssignmentSource:  # noqa: ANN401 - checked JSON
    return UpdateAssignmentSourceResponse.from_dict(body).data
