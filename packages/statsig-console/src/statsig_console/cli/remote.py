"""The live sources, read and changed through the production layer, one paced request at a time.

This is the one module of the command that talks to Statsig. Every mutation the client
sends waits its turn in a :class:`~statsig_console.pacing.Pacer`, through hooks on the
httpx client so that no call path can skip it. Reads (the list pages) are counted but
not paced: Statsig's limits name mutations only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from statsig_console_client import AuthenticatedClient
from statsig_console_client.models import AssignmentSourceCreate, AssignmentSourceUpdate

from statsig_console import (
    create_assignment_source,
    delete_assignment_source,
    list_assignment_sources,
    update_assignment_source,
)
from statsig_console.pacing import Pacer

DEFAULT_PAGE_SIZE = 100


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
        # Requests the command made (each retry the transport makes is not one more).
        self.requests = 0
        self.mutations = 0
        http = client.get_httpx_client()
        http.event_hooks = {"request": [self._before], "response": [self._after]}

    def _before(self, request: httpx.Request) -> None:
        self.requests += 1
        if _is_mutation(request):
            self.pacer.wait()
            self.mutations += 1

    def _after(self, response: httpx.Response) -> None:
        if _is_mutation(response.request):
            self.pacer.stamp()

    def list_all(self) -> list[dict[str, Any]]:
        """Every live source, page after page until Statsig says there is no next one."""
        return [
            source.to_dict()
            for source in list_assignment_sources(self._client, page_size=self.page_size)
        ]

    def create(self, body: Mapping[str, Any], *, dry_run: bool = False) -> None:
        model = AssignmentSourceCreate.from_dict({**body, **_dry(dry_run)})
        create_assignment_source(self._client, model)

    def update(self, name: str, body: Mapping[str, Any], *, dry_run: bool = False) -> None:
        model = AssignmentSourceUpdate.from_dict({**body, **_dry(dry_run)})
        update_assignment_source(self._client, name, model)

    def delete(self, name: str) -> None:
        delete_assignment_source(self._client, name)


def _is_mutation(request: httpx.Request) -> bool:
    return request.method not in ("GET", "HEAD", "OPTIONS")


def _dry(dry_run: bool) -> dict[str, bool]:
    return {"dryRun": True} if dry_run else {}
