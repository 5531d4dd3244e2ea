"""Patch Assignment Source: change some fields of a source (or its name), or say why not."""

from __future__ import annotations

from typing import Any

from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import patch_assignment_source as _endpoint
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourcePatch,
    PatchAssignmentSourceResponse,
)
from statsig_console_client.types import UNSET

from ._call import call, call_async
from ._names import path_name
from ._repeatable import change_is_repeatable

OPERATION_ID = "patchAssignmentSource"


def patch_assignment_source(
    client: AuthenticatedClient,
    name: str,
    body: AssignmentSourcePatch,
    *,
    respect_review_settings: bool = False,
) -> AssignmentSource:
    """Change the fields ``body`` sets on the source ``name``; return it as stored.

    Fields ``body`` leaves unset keep their stored values; ``body.name``, when set,
    renames the source. The query (``sql``) cannot be patched: change it with
    :func:`update_assignment_source`. With ``body.dry_run`` set Statsig validates and
    changes nothing. ``name`` is sent percent-encoded as one path segment. Retries
    follow the rule of :func:`update_assignment_source`.

    Raises:
        ValueError: ``name`` is empty (nothing is sent).
        NotFoundError: 404, no source is named ``name``.
        InvalidRequestError: 400, for example a malformed field or a taken new name;
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


async def patch_assignment_source_async(
    client: AuthenticatedClient,
    name: str,
    body: AssignmentSourcePatch,
    *,
    respect_review_settings: bool = False,
) -> AssignmentSource:
    """The async twin of :func:`patch_assignment_source`, with the same errors."""
    return await call_async(
        client,
        OPERATION_ID,
        _request(path_name(name), body, respect_review_settings),
        _stored_source,
        repeatable=change_is_repeatable(name, body),
    )


def _request(
    name: str, body: AssignmentSourcePatch, respect_review_settings: bool
) -> dict[str, Any]:
    return _endpoint.build_request_kwargs(
        name, body=body, x_respect_review_settings="true" if respect_review_settings else UNSET
    )


def _stored_source(body: Any) -> AssignmentSource:  # noqa: ANN401 - checked JSON
    return PatchAssignmentSourceResponse.from_dict(body).data
