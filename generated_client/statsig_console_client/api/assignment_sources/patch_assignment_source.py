from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.assignment_source_patch import AssignmentSourcePatch
from ...models.error_response import ErrorResponse
from ...models.patch_assignment_source_response import PatchAssignmentSourceResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    body: AssignmentSourcePatch,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(statsig_api_version, Unset):
        headers["STATSIG-API-VERSION"] = statsig_api_version

    if not isinstance(x_respect_review_settings, Unset):
        headers["x-respect-review-settings"] = x_respect_review_settings

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/console/v1/experiments/assignment_source/{name}".format(
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def build_request_kwargs(
    name: str,
    *,
    body: AssignmentSourcePatch,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> dict[str, Any]:
    """The keyword arguments of `httpx.Client.request` for this operation, nothing sent.

    Method, path (relative to the client's base URL), headers, query and body, as
    `sync_detailed` sends them; pass them to `client.get_httpx_client().request(**kwargs)`.
    """
    return _get_kwargs(
        name=name,
        body=body,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    )


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | PatchAssignmentSourceResponse | None:
    if response.status_code == 200:
        response_200 = PatchAssignmentSourceResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | PatchAssignmentSourceResponse]:
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
    body: AssignmentSourcePatch,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> Response[ErrorResponse | PatchAssignmentSourceResponse]:
    """Patch Assignment Source

     Changes only the fields the body sets; the others keep their stored values. A `name` in the body
    renames the source. The query (`sql`) cannot be patched: Statsig's document marks it read-only here,
    so a query change goes through `updateAssignmentSource`. With `"dryRun": true` the input is
    validated and nothing is changed.

    Args:
        name (str):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):
        body (AssignmentSourcePatch): The body of a Patch Assignment Source request: only the
            fields to change, every one optional. `sql` is not among them: Statsig's document marks it
            read-only for a patch (a query change goes through the full update). It does not say
            whether a `sql` key is rejected or ignored, so this schema does not forbid one; the
            generated client offers no field for it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PatchAssignmentSourceResponse]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
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
    body: AssignmentSourcePatch,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> ErrorResponse | PatchAssignmentSourceResponse | None:
    """Patch Assignment Source

     Changes only the fields the body sets; the others keep their stored values. A `name` in the body
    renames the source. The query (`sql`) cannot be patched: Statsig's document marks it read-only here,
    so a query change goes through `updateAssignmentSource`. With `"dryRun": true` the input is
    validated and nothing is changed.

    Args:
        name (str):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):
        body (AssignmentSourcePatch): The body of a Patch Assignment Source request: only the
            fields to change, every one optional. `sql` is not among them: Statsig's document marks it
            read-only for a patch (a query change goes through the full update). It does not say
            whether a `sql` key is rejected or ignored, so this schema does not forbid one; the
            generated client offers no field for it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PatchAssignmentSourceResponse
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: AssignmentSourcePatch,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> Response[ErrorResponse | PatchAssignmentSourceResponse]:
    """Patch Assignment Source

     Changes only the fields the body sets; the others keep their stored values. A `name` in the body
    renames the source. The query (`sql`) cannot be patched: Statsig's document marks it read-only here,
    so a query change goes through `updateAssignmentSource`. With `"dryRun": true` the input is
    validated and nothing is changed.

    Args:
        name (str):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):
        body (AssignmentSourcePatch): The body of a Patch Assignment Source request: only the
            fields to change, every one optional. `sql` is not among them: Statsig's document marks it
            read-only for a patch (a query change goes through the full update). It does not say
            whether a `sql` key is rejected or ignored, so this schema does not forbid one; the
            generated client offers no field for it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PatchAssignmentSourceResponse]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        statsig_api_version=statsig_api_version,
        x_respect_review_settings=x_respect_review_settings,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    body: AssignmentSourcePatch,
    statsig_api_version: str | Unset = UNSET,
    x_respect_review_settings: str | Unset = UNSET,
) -> ErrorResponse | PatchAssignmentSourceResponse | None:
    """Patch Assignment Source

     Changes only the fields the body sets; the others keep their stored values. A `name` in the body
    renames the source. The query (`sql`) cannot be patched: Statsig's document marks it read-only here,
    so a query change goes through `updateAssignmentSource`. With `"dryRun": true` the input is
    validated and nothing is changed.

    Args:
        name (str):
        statsig_api_version (str | Unset):
        x_respect_review_settings (str | Unset):
        body (AssignmentSourcePatch): The body of a Patch Assignment Source request: only the
            fields to change, every one optional. `sql` is not among them: Statsig's document marks it
            read-only for a patch (a query change goes through the full update). It does not say
            whether a `sql` key is rejected or ignored, so this schema does not forbid one; the
            generated client offers no field for it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PatchAssignmentSourceResponse
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
            statsig_api_version=statsig_api_version,
            x_respect_review_settings=x_respect_review_settings,
        )
    ).parsed
