from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_assignment_sources_response import ListAssignmentSourcesResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    page: int | Unset = UNSET,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(statsig_api_version, Unset):
        headers["STATSIG-API-VERSION"] = statsig_api_version

    if not isinstance(x_respect_review_settings, Unset):
        headers["x-respect-review-settings"] = x_respect_review_settings

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["page"] = page

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/console/v1/experiments/assignment_sources",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def build_request_kwargs(
    *,
    limit: int | Unset = UNSET,
    page: int | Unset = UNSET,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> dict[str, Any]:
    """The keyword arguments of `httpx.Client.request` for this operation, nothing sent.

    Method, path (relative to the client's base URL), headers, query and body, as
    `sync_detailed` sends them; pass them to `client.get_httpx_client().request(**kwargs)`.
    """
    return _get_kwargs(
        limit=limit,
        page=page,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListAssignmentSourcesResponse | None:
    if response.status_code == 200:
        response_200 = ListAssignmentSourcesResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ListAssignmentSourcesResponse]:
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        # A status outside HTTPStatus (a proxy's 520, a 599) is never a documented one,
        # and Response.status_code cannot hold it.
        raise errors.UnexpectedStatus(response.status_code, response.content) from None
    return Response(
        status_code=status_code,
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    page: int | Unset = UNSET,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> Response[ErrorResponse | ListAssignmentSourcesResponse]:
    """List Assignment Sources

     One page of the project's assignment sources, with the links to the next and previous pages. Without
    `limit` and `page`, Statsig picks the page size and answers the first page.

    Args:
        limit (int | Unset):
        page (int | Unset):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListAssignmentSourcesResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        page=page,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    page: int | Unset = UNSET,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> ErrorResponse | ListAssignmentSourcesResponse | None:
    """List Assignment Sources

     One page of the project's assignment sources, with the links to the next and previous pages. Without
    `limit` and `page`, Statsig picks the page size and answers the first page.

    Args:
        limit (int | Unset):
        page (int | Unset):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListAssignmentSourcesResponse
    """

    return sync_detailed(
        client=client,
        limit=limit,
        page=page,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    page: int | Unset = UNSET,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> Response[ErrorResponse | ListAssignmentSourcesResponse]:
    """List Assignment Sources

     One page of the project's assignment sources, with the links to the next and previous pages. Without
    `limit` and `page`, Statsig picks the page size and answers the first page.

    Args:
        limit (int | Unset):
        page (int | Unset):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListAssignmentSourcesResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        page=page,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    page: int | Unset = UNSET,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> ErrorResponse | ListAssignmentSourcesResponse | None:
    """List Assignment Sources

     One page of the project's assignment sources, with the links to the next and previous pages. Without
    `limit` and `page`, Statsig picks the page size and answers the first page.

    Args:
        limit (int | Unset):
        page (int | Unset):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListAssignmentSourcesResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            page=page,
            statsig_api_version=statsig_api_version,
            x_respect_review_settings=x_respect_review_settings,
        )
    ).parsed
