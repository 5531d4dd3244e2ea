"""Statsig's Console API assignment sources, ready for production: the whole lifecycle.

The calls::

    from statsig_console import client_from_env, create_assignment_source, ...

    with client_from_env() as client:  # reads STATSIG_CONSOLE_API_KEY
        source = create_assignment_source(client, body)              # AssignmentSourceCreate
        source = update_assignment_source(client, source.name, full)  # AssignmentSourceUpdate
        source = patch_assignment_source(client, source.name, change)  # AssignmentSourcePatch
        for each in list_assignment_sources(client, page_size=100):   # every page, lazily
            ...
        found = get_assignment_source(client, "exposures4")           # or None; pages the list
        delete_assignment_source(client, source.name)

Each has an ``_async`` twin (``list_assignment_sources_async`` is an async iterator).
Names go into the path percent-encoded, so any name round-trips.

``client_from_env`` builds the generated ``AuthenticatedClient`` with finite
timeouts, ``STATSIG-API-VERSION: 20240601`` (``api_version=`` changes or drops it)
and a :class:`RetryPolicy` that honours Statsig's rate limits and retries a request
after an ambiguous failure only when sending it twice is harmless (reads, updates and
patches that do not rename, deletes; never a create). Every call returns the typed
result or raises a :class:`StatsigApiError` subclass: :class:`InvalidRequestError`
(with Statsig's field details in ``errors``), :class:`NotFoundError`,
:class:`AuthenticationError`, :class:`RateLimitedError`, :class:`UnexpectedStatusError`,
:class:`MalformedResponseError`, :class:`InconsistentPagesError`. The API key never
appears in a repr, an error message or a log line.
"""

from ._change import (
    patch_assignment_source,
    patch_assignment_source_async,
    update_assignment_source,
    update_assignment_source_async,
)
from ._config import (
    API_KEY_VARIABLE,
    API_VERSION,
    BASE_URL_VARIABLE,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    build_client,
    client_from_env,
)
from ._create import create_assignment_source, create_assignment_source_async
from ._delete import delete_assignment_source, delete_assignment_source_async
from ._errors import (
    AuthenticationError,
    ConfigurationError,
    FieldError,
    InconsistentPagesError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    RateLimitedError,
    StatsigApiError,
    UnexpectedStatusError,
)
from ._list import (
    get_assignment_source,
    get_assignment_source_async,
    list_assignment_sources,
    list_assignment_sources_async,
)
from ._retry import RetryOutcome, RetryPolicy, parse_retry_after
from ._transport import KeySafeTransport, RetryTransport

__all__ = [
    "API_KEY_VARIABLE",
    "API_VERSION",
    "BASE_URL_VARIABLE",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "AuthenticationError",
    "ConfigurationError",
    "FieldError",
    "InconsistentPagesError",
    "InvalidRequestError",
    "KeySafeTransport",
    "MalformedResponseError",
    "NotFoundError",
    "RateLimitedError",
    "RetryOutcome",
    "RetryPolicy",
    "RetryTransport",
    "StatsigApiError",
    "UnexpectedStatusError",
    "build_client",
    "client_from_env",
    "create_assignment_source",
    "create_assignment_source_async",
    "delete_assignment_source",
    "delete_assignment_source_async",
    "get_assignment_source",
    "get_assignment_source_async",
    "list_assignment_sources",
    "list_assignment_sources_async",
    "parse_retry_after",
    "patch_assignment_source",
    "patch_assignment_source_async",
    "update_assignment_source",
    "update_assignment_source_async",
]
