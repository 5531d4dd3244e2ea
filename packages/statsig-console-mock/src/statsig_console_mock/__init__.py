"""A Statsig-faithful mock of the Console API's assignment-source lifecycle.

``create_app`` builds the ASGI app from the OpenAPI spec; ``statsig_console_mock.testing``
runs it on a free loopback port; ``python -m statsig_console_mock`` serves it.
"""

from statsig_console_mock.app import MockState, create_app, mock_state
from statsig_console_mock.settings import (
    DEFAULT_API_KEY,
    FaultSettings,
    MockSettings,
    RateLimitSettings,
    RateWindow,
)

__all__ = [
    "DEFAULT_API_KEY",
    "FaultSettings",
    "MockSettings",
    "MockState",
    "RateLimitSettings",
    "RateWindow",
    "create_app",
    "mock_state",
]
