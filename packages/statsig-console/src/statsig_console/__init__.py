"""Statsig's Console API Create Assignment Source, ready for production.

The one call::

    from statsig_console import client_from_env, create_assignment_source

    with client_from_env() as client:  # reads STATSIG_CONSOLE_API_KEY
        source = create_assignment_source(client, body)

``client_from_env`` builds the generated ``AuthenticatedClient`` with finite
timeouts and a :class:`RetryPolicy` that honours Statsig's rate limits;
``create_assignment_source`` returns the created ``AssignmentSource`` or raises a
:class:`StatsigApiError` subclass. The API key never appears in a repr, an error
message or a log line.
"""

from ._config import (
    API_KEY_VARIABLE,
    BASE_URL_VARIABLE,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    build_client,
    client_from_env,
)
from ._create import create_assignment_source, create_assignment_source_async
from ._errors import (
    AuthenticationError,
    ConfigurationError,
    InvalidRequestError,
    MalformedResponseError,
    RateLimitedError,
    StatsigApiError,
    UnexpectedStatusError,
)
from ._retry import RetryOutcome, RetryPolicy, parse_retry_after
from ._transport import KeySafeTransport, RetryTransport

__all__ = [
    "API_KEY_VARIABLE",
    "BASE_URL_VARIABLE",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "AuthenticationError",
    "ConfigurationError",
    "InvalidRequestError",
    "KeySafeTransport",
    "MalformedResponseError",
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
    "parse_retry_after",
]
