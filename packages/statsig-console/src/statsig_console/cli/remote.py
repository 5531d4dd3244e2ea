"""The live sources, read and changed through the production layer, one paced request at a time.

This is the one module of the command that talks to Statsig. Every request waits its
turn in a :class:`~statsig_console.pacing.Pacer`: Statsig names mutations in its
limits, and the reads here are a few list pages, so counting them as well keeps the
command under the limit however Statsig counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import (
    create_assignment_source as create_endpoint,
)
from statsig_console_client.api.assignment_sources import (
    delete_assignment_source as delete_endpoint,
)
from statsig_console_client.api.assignment_sources import (
    list_assignment_sources as list_endpoint,
)
from statsig_console_client.api.assignment_sources import (
    update_assignment_source as update_endpoint,
)
from statsig_console_client.models import (
    AssignmentSourceCreate,
    AssignmentSourceUpdate,
    ListAssignmentSourcesResponse,
)

from statsig_console._call import call
from statsig_console.pacing import Pacer

DEFAULT_PAGE_SIZE = 100
# A bound on the pages followed: a server whose nextPage never ends cannot keep the
# command reading forever (a million sources at the default page size).
MAX_PAGES = 10_000


class Remote:
    """The project's assignment sources, as plain JSON objects in the API's field names."""

    def __init__(
        self,
        client: AuthenticatedClient,
        *,
        pacer: Pacer | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        self._client = client
        self.pacer = pacer if pacer is not None else Pacer()
        self.page_size = page_size
        self.requests = 0

    def _call(self, operation_id: str, kwargs: dict[str, Any], parse: Any) -> Any:  # noqa: ANN401
        with self.pacer.slot():
            self.requests += 1
            return call(self._client, operation_id, kwargs, parse)

    def list_all(self) -> list[dict[str, Any]]:
        """Every live source, page after page until Statsig says there is no next one."""
        sources: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            kwargs = list_endpoint.build_request_kwargs(limit=self.page_size, page=page)
            answer: ListAssignmentSourcesResponse = self._call(
                "listAssignmentSources", kwargs, ListAssignmentSourcesResponse.from_dict
            )
            sources.extend(item.to_dict() for item in answer.data)
            if answer.pagination.next_page is None or not answer.data:
                return sources
        raise RuntimeError(f"the list of sources did not end within {MAX_PAGES} pages")

    def create(self, body: Mapping[str, Any], *, dry_run: bool = False) -> None:
        model = AssignmentSourceCreate.from_dict({**body, **_dry(dry_run)})
        self._call(
            "createAssignmentSource", create_endpoint.build_request_kwargs(body=model), _ignore
        )

    def update(self, name: str, body: Mapping[str, Any], *, dry_run: bool = False) -> None:
        model = AssignmentSourceUpdate.from_dict({**body, **_dry(dry_run)})
        self._call(
            "updateAssignmentSource",
            update_endpoint.build_request_kwargs(name, body=model),
            _ignore,
        )

    def delete(self, name: str) -> None:
        self._call("deleteAssignmentSource", delete_endpoint.build_request_kwargs(name), _ignore)


def _dry(dry_run: bool) -> dict[str, bool]:
    return {"dryRun": True} if dry_run else {}


def _ignore(body: Any) -> None:  # noqa: ANN401 - a checked success body
    return None
