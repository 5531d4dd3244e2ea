"""Which server the contract suite talks to, read from the environment.

- Nothing set: the embedded mock, started on a free 127.0.0.1 port for the session.
- ``STATSIG_API_BASE_URL`` alone: a server already running there, treated like the
  mock (every check on, the mock's development key unless ``STATSIG_MOCK_API_KEY``).
- ``STATSIG_CONSOLE_API_KEY``: real mode, against ``STATSIG_API_BASE_URL`` or
  Statsig's production API; every request is a dry run and the rate stays under
  Statsig's documented limits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from statsig_console import API_KEY_VARIABLE as API_KEY_ENV
from statsig_console import BASE_URL_VARIABLE as BASE_URL_ENV
from statsig_console import DEFAULT_BASE_URL as REAL_API_BASE_URL
from statsig_console_mock import DEFAULT_API_KEY

MOCK_KEY_ENV = "STATSIG_MOCK_API_KEY"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class TargetError(ValueError):
    """The environment names a target that cannot be used."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where requests go. ``base_url`` is None for the embedded mock."""

    base_url: str | None
    # Kept out of repr so the key cannot reach a report through this object.
    api_key: str = field(repr=False)
    real: bool

    @property
    def embedded(self) -> bool:
        return self.base_url is None

    @property
    def on_loopback(self) -> bool:
        """The target runs on this machine, so it cannot be Statsig."""
        return self.base_url is None or urlsplit(self.base_url).hostname in LOOPBACK_HOSTS

    def describe(self, base_url: str) -> str:
        if self.real:
            return f"real API at {base_url} (dry runs only)"
        if self.embedded:
            return f"embedded mock at {base_url}"
        return f"server at {base_url} (mock rules: every check on)"


def target_from_environment(environ: Mapping[str, str] = os.environ) -> Target:
    base_url = environ.get(BASE_URL_ENV, "").strip().rstrip("/") or None
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise TargetError(f"{BASE_URL_ENV} must be an http:// or https:// URL, got {base_url!r}")
    real_key = environ.get(API_KEY_ENV, "").strip()
    if real_key:
        return Target(base_url=base_url or REAL_API_BASE_URL, api_key=real_key, real=True)
    if API_KEY_ENV in environ:
        raise TargetError(f"{API_KEY_ENV} is set but empty; unset it to test the mock")
    mock_key = environ.get(MOCK_KEY_ENV, "").strip() or DEFAULT_API_KEY
    return Target(base_url=base_url, api_key=mock_key, real=False)
