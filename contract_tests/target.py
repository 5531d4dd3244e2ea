"""Which server the contract suite talks to, read from the environment.

- Nothing set: the embedded mock, started on a free 127.0.0.1 port for the session.
- ``STATSIG_API_BASE_URL`` alone: a server already running there, treated like the
  mock (every check on, the mock's development key unless ``STATSIG_MOCK_API_KEY``).
  Those rules send creates that persist, unpaced: a host other than this machine is
  refused unless ``STATSIG_CONTRACT_REMOTE_MOCK=1`` says it is a mock.
- ``STATSIG_CONSOLE_API_KEY``: real mode, against ``STATSIG_API_BASE_URL`` or
  Statsig's production API; every request is a dry run and the rate stays under
  Statsig's documented limits.

A set but empty or blank ``STATSIG_API_BASE_URL`` is an error, never "unset": an unset
variable expanded into ``--base-url=`` must not turn a mock run into a Statsig run.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from statsig_console import API_KEY_VARIABLE as API_KEY_ENV
from statsig_console import BASE_URL_VARIABLE as BASE_URL_ENV
from statsig_console import DEFAULT_BASE_URL as REAL_API_BASE_URL
from statsig_console_mock import DEFAULT_API_KEY

MOCK_KEY_ENV = "STATSIG_MOCK_API_KEY"
REMOTE_MOCK_ENV = "STATSIG_CONTRACT_REMOTE_MOCK"
# A header value must be visible ASCII (as the production layer requires too).
_KEY_CHARACTERS = re.compile(r"[\x21-\x7e]+")


def is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
        return self.base_url is None or is_loopback(urlsplit(self.base_url).hostname)

    def describe(self, base_url: str) -> str:
        if self.real:
            return f"real API at {base_url} (dry runs only)"
        if self.embedded:
            return f"embedded mock at {base_url}"
        return f"server at {base_url} (mock rules: every check on)"


def target_from_environment(environ: Mapping[str, str] = os.environ) -> Target:
    base_url = _base_url(environ)
    real_key = environ.get(API_KEY_ENV, "").strip()
    if real_key:
        if not _KEY_CHARACTERS.fullmatch(real_key):
            # The value is not repeated: it is a secret, even when malformed.
            raise TargetError(
                f"{API_KEY_ENV} contains whitespace, control or non-ASCII characters, "
                "so it cannot be sent in a header; check how it was copied"
            )
        return Target(base_url=base_url or REAL_API_BASE_URL, api_key=real_key, real=True)
    if API_KEY_ENV in environ:
        raise TargetError(f"{API_KEY_ENV} is set but empty; unset it to test the mock")
    remote = base_url is not None and not is_loopback(urlsplit(base_url).hostname)
    if remote and environ.get(REMOTE_MOCK_ENV, "").strip() != "1":
        raise TargetError(
            f"{BASE_URL_ENV}={base_url} is not on this machine and no key is set: the "
            "suite would run the mock's rules there (creates that persist, unpaced). "
            f"If that server is a mock, say so with {REMOTE_MOCK_ENV}=1 "
            f"(scripts/contract-test --remote-mock); to test Statsig, set {API_KEY_ENV}"
        )
    mock_key = environ.get(MOCK_KEY_ENV, "").strip() or DEFAULT_API_KEY
    return Target(base_url=base_url, api_key=mock_key, real=False)


def _base_url(environ: Mapping[str, str]) -> str | None:
    if BASE_URL_ENV not in environ:
        return None
    base_url = environ[BASE_URL_ENV].strip().rstrip("/")
    if not base_url:
        raise TargetError(
            f"{BASE_URL_ENV} is set but empty (was a variable in --base-url unset?); "
            f"unset it to test {REAL_API_BASE_URL} (with a key) or the embedded mock "
            "(without one)"
        )
    if not base_url.startswith(("http://", "https://")) or not urlsplit(base_url).hostname:
        raise TargetError(f"{BASE_URL_ENV} must be an http:// or https:// URL, got {base_url!r}")
    return base_url
