"""List Assignment Sources: every source across pages, and one source by name.

Pages are requested by number (``page`` 1, 2, ...), never by following the URL a
page names: the key then goes only to the client's base URL. Each page is checked
against the ones before it, so that a server that repeats a page, or whose counts
disagree, ends the listing with :class:`InconsistentPagesError` instead of making it
spin or silently drop sources.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import list_assignment_sources as _endpoint
from statsig_console_client.models import AssignmentSource, ListAssignmentSourcesResponse
from statsig_console_client.types import Unset

from ._call import outcome, send, send_async
from ._errors import InconsistentPagesError
from ._redaction import redact

OPERATION_ID = "listAssignmentSources"
DEFAULT_PAGE_SIZE = 100


def list_assignment_sources(
    client: AuthenticatedClient, *, page_size: int = DEFAULT_PAGE_SIZE
) -> Iterator[AssignmentSource]:
    """Every assignment source of the project, page after page, ``page_size`` a page.

    Pages are fetched as the iterator is consumed, until a page's ``nextPage`` is
    null. Statsig may serve fewer per page than asked; ``itemsPerPage`` says how many.
    A read is always retried after an ambiguous failure (see :class:`RetryPolicy`).

    Raises:
        ValueError: ``page_size`` is below 1 (at once, before any request).
        InconsistentPagesError: a page repeats the one before it, is not the page
            asked for, is empty yet names a next page, or the sources listed do not
            add up to the ``totalItems`` Statsig reported.
        StatsigApiError: a subclass for a page Statsig did not answer with 200
            (AuthenticationError, RateLimitedError, ...).
        httpx.TransportError: a page could not be fetched, after retries.
    """
    walk = _Walk(_checked(page_size))
    return _pages(client, walk)


def list_assignment_sources_async(
    client: AuthenticatedClient, *, page_size: int = DEFAULT_PAGE_SIZE
) -> AsyncIterator[AssignmentSource]:
    """The async twin of :func:`list_assignment_sources` (``async for``), same errors."""
    walk = _Walk(_checked(page_size))
    return _pages_async(client, walk)


def get_assignment_source(client: AuthenticatedClient, name: str) -> AssignmentSource | None:
    """The source named ``name``, or None when the project has none of that name.

    Statsig's Console API has no call that reads one source by name, so this pages
    through :func:`list_assignment_sources` until it finds it: it costs one request per
    page up to the source's page (all pages when there is none). Names compare exactly.

    Raises:
        The errors of :func:`list_assignment_sources`.
    """
    for source in list_assignment_sources(client):
        if source.name == name:
            return source
    return None


async def get_assignment_source_async(
    client: AuthenticatedClient, name: str
) -> AssignmentSource | None:
    """The async twin of :func:`get_assignment_source`, with the same errors."""
    async for source in list_assignment_sources_async(client):
        if source.name == name:
            return source
    return None


def _checked(page_size: int) -> int:
    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        raise ValueError(f"page_size must be a whole number of at least 1, not {page_size!r}")
    return page_size


def _pages(client: AuthenticatedClient, walk: _Walk) -> Iterator[AssignmentSource]:
    while not walk.done:
        response = send(client, walk.request())
        page = outcome(
            response, OPERATION_ID, ListAssignmentSourcesResponse.from_dict, api_key=client.token
        )
        yield from walk.take(page, response, api_key=client.token)


async def _pages_async(client: AuthenticatedClient, walk: _Walk) -> AsyncIterator[AssignmentSource]:
    while not walk.done:
        response = await send_async(client, walk.request())
        page = outcome(
            response, OPERATION_ID, ListAssignmentSourcesResponse.from_dict, api_key=client.token
        )
        for source in walk.take(page, response, api_key=client.token):
            yield source


@attrs.define
class _Walk:
    """Where a listing is, and what its pages said so far; shared by sync and async."""

    page_size: int
    page_number: int = 1
    listed: int = 0
    previous_names: tuple[str, ...] | None = None
    done: bool = False

    def request(self) -> dict[str, Any]:
        return _endpoint.build_request_kwargs(limit=self.page_size, page=self.page_number)

    def take(
        self, page: ListAssignmentSourcesResponse, response: httpx.Response, *, api_key: str
    ) -> list[AssignmentSource]:
        """The page's sources, once it is known to follow the pages before it."""
        pagination = page.pagination
        asked = self.page_number

        def inconsistent(problem: str) -> InconsistentPagesError:
            self.done = True
            return InconsistentPagesError(
                status=response.status_code,
                message=redact(problem, api_key=api_key),
                response=response,
                operation_id=OPERATION_ID,
            )

        if pagination.page_number != asked:
            raise inconsistent(f"asked for page {asked}, got page {pagination.page_number:g}")
        names = tuple(source.name for source in page.data)
        if names and names == self.previous_names:
            raise inconsistent(f"page {asked} holds the same sources as page {asked - 1}")
        if len(page.data) > pagination.items_per_page:
            raise inconsistent(
                f"page {asked} holds {len(page.data)} sources, more than its "
                f"itemsPerPage ({pagination.items_per_page:g})"
            )
        self.listed += len(page.data)
        total = None if isinstance(pagination.total_items, Unset) else pagination.total_items
        if total is not None and self.listed > total:
            raise inconsistent(
                f"{self.listed} sources listed by page {asked}, more than its "
                f"totalItems ({total:g})"
            )
        if pagination.next_page is None:
            if total is not None and self.listed != total:
                raise inconsistent(
                    f"the last page (page {asked}) says totalItems is {total:g}, "
                    f"but the pages held {self.listed} sources"
                )
            self.done = True
            return page.data
        if not page.data:
            raise inconsistent(f"page {asked} is empty yet names a next page")
        named = _page_named(pagination.next_page)
        if named is not None and named != asked + 1:
            raise inconsistent(f"page {asked} names page {named} as the next, not {asked + 1}")
        self.page_number = asked + 1
        self.previous_names = names
        return page.data


def _page_named(url: str) -> int | None:
    """The ``page`` query parameter of a page URL, when it has a whole number there."""
    values = parse_qs(urlsplit(url).query).get("page", [])
    try:
        return int(values[0]) if len(values) == 1 else None
    except ValueError:
        return None
