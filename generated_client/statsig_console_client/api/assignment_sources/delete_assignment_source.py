from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delete_assignment_source_response import DeleteAssignmentSourceResponse
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(statsig_api_version, Unset):
        headers["STATSIG-API-VERSION"] = statsig_api_version

    if not isinstance(x_respect_review_settings, Unset):
        headers["x-respect-review-settings"] = x_respect_review_settings

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/console/v1/experiments/assignment_source/{name}".format(
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def build_request_kwargs(
    name: str,
    *,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> dict[str, Any]:
    """The keyword arguments of `httpx.Client.request` for this operation, nothing sent.

    Method, path (relative to the client's base URL), headers, query and body, as
    `sync_detailed` sends them; pass them to `client.get_httpx_client().request(**kwargs)`.
    """
    return _get_kwargs(
        name=name,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeleteAssignmentSourceResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = DeleteAssignmentSourceResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DeleteAssignmentSourceResponse | ErrorResponse]:
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
    name: str,
    *,
    client: AuthenticatedClient,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> Response[DeleteAssignmentSourceResponse | ErrorResponse]:
    """Delete Assignment Source

     Deletes the source named in the path. There is no dry run for a delete.

    Args:
        name (str):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeleteAssignmentSourceResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        name=name,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> DeleteAssignmentSourceResponse | ErrorResponse | None:
    """Delete Assignment Source

     Deletes the source named in the path. There is no dry run for a delete.

    Args:
        name (str):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeleteAssignmentSourceResponse | ErrorResponse
    """

    return sync_detailed(
        name=name,
        client=client,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> Response[DeleteAssignmentSourceResponse | ErrorResponse]:
    """Delete Assignment Source

     Deletes the source named in the path. There is no dry run for a delete.

    Args:
        name (str):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeleteAssignmentSourceResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        name=name,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> DeleteAssignmentSourceResponse | ErrorResponse | None:
    """Delete Assignment Source

     Deletes the source named in the path. There is no dry run for a delete.

    Args:
        name (str):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeleteAssignmentSourceResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            statsig_api_version=statsig_api_version,
            x_respect_review_settings=x_respect_review_settings,
        )
    ).parsed
