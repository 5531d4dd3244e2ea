"""Delete Assignment Source: the source is gone, or an exception says why not."""

from __future__ import annotations

import logging
from typing import Any

import httpx
from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import delete_assignment_source as _endpoint
from statsig_console_client.types import UNSET

from ._call import ambiguous_retries, outcome, send, send_async
from ._names import path_name

OPERATION_ID = "deleteAssignmentSource"
_NOT_FOUND = 404

logger = logging.getLogger("statsig_console")


def delete_assignment_source(
    client: AuthenticatedClient, name: str, *, respect_review_settings: bool = False
) -> None:
    """Delete the source ``name`` (sent percent-encoded as one path segment).

    A delete is retried after an ambiguous failure (a read timeout, a 502 or 504):
    deleting twice leaves what deleting once does. When such a retry answers 404,
    the first attempt most likely deleted the source and only its answer was lost,
    so the call returns as deleted: either way no source of that name is left, which
    is what the call was for. A 404 on the first attempt raises :class:`NotFoundError`.

    Raises:
        ValueError: ``name`` is empty (nothing is sent).
        NotFoundError: 404, no source is named ``name``.
        AuthenticationError, RateLimitedError, UnexpectedStatusError,
            MalformedResponseError, httpx.TransportError: as for
            :func:`create_assignment_source`.
    """
    response = send(client, _request(path_name(name), respect_review_settings), repeatable=True)
    _deleted(response, api_key=client.token)


async def delete_assignment_source_async(
    client: AuthenticatedClient, name: str, *, respect_review_settings: bool = False
) -> None:
    """The async twin of :func:`delete_assignment_source`, with the same errors."""
    response = await send_async(
        client, _request(path_name(name), respect_review_settings), repeatable=True
    )
    _deleted(response, api_key=client.token)


def _request(name: str, respect_review_settings: bool) -> dict[str, Any]:
    return _endpoint.build_request_kwargs(
        name, x_respect_review_settings="true" if respect_review_settings else UNSET
    )


def _deleted(response: httpx.Response, *, api_key: str) -> None:
    if response.status_code == _NOT_FOUND and ambiguous_retries(response):
        logger.info(
            "%s %s: 404 after a retry of an attempt whose answer was lost; reported as deleted",
            response.request.method,
            response.request.url,
        )
        return
    outcome(response, OPERATION_ID, _nothing, api_key=api_key)


def _nothing(body: Any) -> None:  # noqa: ANN401 - checked JSON, of which only the status counts
    return None
