"""Building an AuthenticatedClient fit for production."""

from __future__ import annotations

import os
import re

import httpx
from statsig_console_client import AuthenticatedClient

from . import _log_redaction
from ._errors import ConfigurationError
from ._retry import RetryPolicy
from ._transport import DEFAULT_RETRY, KeySafeTransport, RetryTransport

API_KEY_VARIABLE = "STATSIG_CONSOLE_API_KEY"
BASE_URL_VARIABLE = "STATSIG_API_BASE_URL"
DEFAULT_BASE_URL = "https://statsigapi.net"
# The version whose answers the generated models were written for: pinned, so that a
# newer default version on Statsig's side cannot change what they have to parse.
API_VERSION = "20240601"
API_VERSION_HEADER = "STATSIG-API-VERSION"
# Finite everywhere: a stalled connection must not hang a service or a CI job.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0, pool=5.0)

# A header value must be visible ASCII; anything else (a trailing newline from a
# secrets file, a pasted space) would fail inside httpx with a less helpful error.
_KEY_CHARACTERS = re.compile(r"[\x21-\x7e]+")


def client_from_env(
    *,
    base_url: str | None = None,
    retry: RetryPolicy | None = DEFAULT_RETRY,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    api_version: str | None = API_VERSION,
) -> AuthenticatedClient:
    """A client whose key comes from ``STATSIG_CONSOLE_API_KEY``.

    The base URL is ``base_url``, else ``STATSIG_API_BASE_URL``, else
    ``https://statsigapi.net``. See :func:`build_client` for ``retry``, ``timeout``
    and ``api_version``.

    Raises:
        ConfigurationError: the key variable is missing, empty or not a usable key, or
            ``STATSIG_API_BASE_URL`` is set but empty or not an http(s) URL.
    """
    api_key = os.environ.get(API_KEY_VARIABLE, "").strip()
    if not api_key:
        raise ConfigurationError(
            f"{API_KEY_VARIABLE} is not set or empty: set it to a Console API key "
            "from the project settings of the Statsig console (it starts with 'console-')."
        )
    if base_url is None:
        base_url = _base_url_from_env()
    return _build(
        api_key,
        source=API_KEY_VARIABLE,
        base_url=base_url,
        retry=retry,
        timeout=timeout,
        api_version=api_version,
    )


def _base_url_from_env() -> str:
    value = os.environ.get(BASE_URL_VARIABLE)
    if value is None:
        return DEFAULT_BASE_URL
    if not value.strip():
        # Set but blank is a mistake (an unfilled CI secret, say), not a request for
        # production: falling back would send a test's key and writes to Statsig.
        raise ConfigurationError(
            f"{BASE_URL_VARIABLE} is set but empty: set it to the API's base URL, or unset "
            f"it to use {DEFAULT_BASE_URL}."
        )
    return value.strip()


def build_client(
    api_key: str,
    *,
    base_url: str = DEFAULT_BASE_URL,
    retry: RetryPolicy | None = DEFAULT_RETRY,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    api_version: str | None = API_VERSION,
) -> AuthenticatedClient:
    """A client for an explicit key.

    ``retry`` is the :class:`RetryPolicy` applied to every request, including those
    of the generated ``sync_detailed``/``asyncio_detailed``; None sends each request
    once. ``timeout`` bounds each attempt (seconds, or an :class:`httpx.Timeout`).
    Redirects are never followed: the key goes only to the base URL's host.
    Every request carries ``STATSIG-API-VERSION: api_version`` (by default
    ``20240601``, the version the models were generated for); None sends no version
    header, leaving the choice to Statsig.

    Raises:
        ConfigurationError: the key or the API version is empty or not a usable
            header value, or the base URL is not an http(s) URL.
    """
    return _build(
        api_key.strip(),
        source="the API key",
        base_url=base_url,
        retry=retry,
        timeout=timeout,
        api_version=api_version,
    )


def _build(
    api_key: str,
    *,
    source: str,
    base_url: str,
    retry: RetryPolicy | None,
    timeout: httpx.Timeout | float,
    api_version: str | None,
) -> AuthenticatedClient:
    if api_version is not None and not _KEY_CHARACTERS.fullmatch(api_version):
        raise ConfigurationError(
            f"the API version {api_version!r} is not a usable header value; pass a version "
            f"such as {API_VERSION!r}, or None to send none."
        )
    if not api_key:
        raise ConfigurationError(f"{source} is empty: pass a Console API key.")
    if not _KEY_CHARACTERS.fullmatch(api_key):
        # The value is not repeated: it is a secret, even when malformed.
        raise ConfigurationError(
            f"{source} contains whitespace, control or non-ASCII characters, "
            "so it cannot be sent in a header; check how it was copied."
        )
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as error:
        raise ConfigurationError(f"the base URL {base_url!r} is not a URL: {error}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(
            f"the base URL {base_url!r} must be an http(s) URL such as {DEFAULT_BASE_URL}."
        )
    # The HTTP stack logs what the server sends; a key echoed there is masked.
    _log_redaction.install()
    transport = KeySafeTransport() if retry is None else RetryTransport(retry)
    return AuthenticatedClient(
        base_url=base_url,
        token=api_key,
        headers={} if api_version is None else {API_VERSION_HEADER: api_version},
        timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
        # httpx's default, pinned: a redirect would carry STATSIG-API-KEY to whatever
        # host the Location names.
        follow_redirects=False,
        httpx_args={"transport": transport},
    )
