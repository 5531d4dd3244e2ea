"""A Statsig-faithful mock of the Console API's assignment-source lifecycle.

``create_app`` builds the ASGI app from the OpenAPI spec; ``statsig_console_mock.testing``
runs it on a free loopback port; ``python -m statsig_console_mock`` serves it; the
pytest plugin (``statsig_console_mock.plugin``) gives the ``statsig_mock`` fixture.

The names below are imported on first use: pytest loads the plugin, and so this
package, in every run of every project that installs it, and a run that never uses
the mock must not pay for its server stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from statsig_console_mock.app import MockState, create_app, mock_state
    from statsig_console_mock.settings import (
        DEFAULT_API_KEY,
        FaultSettings,
        MockSettings,
        RateLimitSettings,
        RateWindow,
    )

_HOMES = {
    "MockState": "statsig_console_mock.app",
    "create_app": "statsig_console_mock.app",
    "mock_state": "statsig_console_mock.app",
    "DEFAULT_API_KEY": "statsig_console_mock.settings",
    "FaultSettings": "statsig_console_mock.settings",
    "MockSettings": "statsig_console_mock.settings",
    "RateLimitSettings": "statsig_console_mock.settings",
    "RateWindow": "statsig_console_mock.settings",
}

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


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whichever name is asked for
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
