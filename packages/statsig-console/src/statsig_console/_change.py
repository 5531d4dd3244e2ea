"""Update and patch: change a source by name (and rename it), or say why not.

The two differ only in what the body may hold (the full update replaces the source,
the patch sets what it names) and in the generated models; addressing the source,
sending, the retry rule and parsing the stored source are the same, so one
:class:`_Change` per operation carries them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import (
    patch_assignment_source as _patch_endpoint,
)
from statsig_console_client.api.assignment_sources import (
    update_assignment_source as _update_endpoint,
)
from statsig_console_client.models import (
    AssignmentSource,
    AssignmentSourcePatch,
    AssignmentSourceUpdate,
    PatchAssignmentSourceResponse,
    UpdateAssignmentSourceResponse,
)
from statsig_console_client.types import UNSET

from ._call import Call, call, call_async
from ._names import path_name
from ._repeatable import change_is_repeatable

Body = TypeVar("Body", AssignmentSourceUpdate, AssignmentSourcePatch)


@dataclass(frozen=True)
class _Change(Generic[Body]):
    operation_id: str
    build_request_kwargs: Callable[..., dict[str, Any]]
    stored_source: Callable[[Any], AssignmentSource]

    def prepared(
        self, name: str, body: Body, respect_review_settings: bool
    ) -> Call[AssignmentSource]:
        review = "true" if respect_review_settings else UNSET
        request = self.build_request_kwargs(
            path_name(name), body=body, x_respect_review_settings=review
        )
        return Call(
            self.operation_id,
            request,
            self.stored_source,
            repeatable=change_is_repeatable(name, body),
        )


_UPDATE = _Change[AssignmentSourceUpdate](
    "updateAssignmentSource",
    _update_endpoint.build_request_kwargs,
    lambda body: UpdateAssignmentSourceResponse.from_dict(body).data,
)
_PATCH = _Change[AssignmentSourcePatch](
    "patchAssignmentSource",
    _patch_endpoint.build_request_kwargs,
    lambda body: PatchAssignmentSourceResponse.from_dict(body).data,
)


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
    return call(client, _UPDATE.prepared(name, body, respect_review_settings))


async def update_assignment_source_async(
    client: AuthenticatedClient,
    name: str,
    body: AssignmentSourceUpdate,
    *,
    respect_review_settings: bool = False,
) -> AssignmentSource:
    """The async twin of :func:`update_assignment_source`, with the same errors."""
    return await call_async(client, _UPDATE.prepared(name, body, respect_review_settings))


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
    :func:`update_assignment_source` (a patch that sets it is a 400). With
    ``body.dry_run`` set Statsig validates and changes nothing. ``name`` is sent
    percent-encoded as one path segment. Retries and errors follow
    :func:`update_assignment_source`.
    """
    return call(client, _PATCH.prepared(name, body, respect_review_settings))


async def patch_assignment_source_async(
    client: AuthenticatedClient,
    name: str,
    body: AssignmentSourcePatch,
    *,
    respect_review_settings: bool = False,
) -> AssignmentSource:
    """The async twin of :func:`patch_assignment_source`, with the same errors."""
    return await call_async(client, _PATCH.prepared(name, body, respect_review_settings))
