"""The mock's configuration: immutable values, built once and handed to ``create_app``."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_API_KEY = "console-mock-development-key"
SPEC_ENV_VAR = "STATSIG_MOCK_SPEC"
MIB = 1024 * 1024
DEFAULT_MAX_BODY_BYTES = MIB
DEFAULT_BODY_TIMEOUT_S = 10.0
# JSON nested deeper than this is refused with a 400. The parser takes 1,024 levels,
# but the schema validator and the encoder give up at about 250; the ceiling keeps a
# configured limit clear of both.
DEFAULT_MAX_BODY_DEPTH = 64
MAX_BODY_DEPTH_CEILING = 200
# The store's bounds: creates beyond either are refused with a 400 until a reset.
DEFAULT_MAX_SOURCES = 1_000_000
DEFAULT_MAX_STORE_BYTES = 256 * MIB
# Host header names the mock answers to (any port); a request naming another host is
# refused, so a DNS-rebinding page cannot reach the mock through its own domain name.
LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")
# The journal keeps the last this many requests (0 turns it off).
DEFAULT_JOURNAL_SIZE = 1_000


def default_spec_path() -> Path | None:
    """``$STATSIG_MOCK_SPEC`` when set, else None: the spec packaged with statsig_console."""
    from_env = os.environ.get(SPEC_ENV_VAR)
    return Path(from_env) if from_env else None


@dataclass(frozen=True, slots=True)
class RateWindow:
    """At most ``limit`` requests per key in any span of ``seconds``."""

    limit: int
    seconds: float

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError(f"rate window limit must be at least 1, got {self.limit}")
        if not (math.isfinite(self.seconds) and self.seconds > 0):
            raise ValueError(f"rate window length must be a positive number, got {self.seconds}")


STATSIG_RATE_WINDOWS: tuple[RateWindow, ...] = (RateWindow(100, 10.0), RateWindow(900, 900.0))


@dataclass(frozen=True, slots=True)
class RateLimitSettings:
    """Per-project sliding windows for mutations; the defaults are Statsig's documented
    Console API limits."""

    windows: tuple[RateWindow, ...] = STATSIG_RATE_WINDOWS

    def __post_init__(self) -> None:
        if not self.windows:
            raise ValueError("rate limiting needs at least one window")


@dataclass(frozen=True, slots=True)
class FaultSettings:
    """Injected failures for client-resilience tests.

    ``rate`` of the endpoint's requests (0.0 to 1.0) are answered with ``status`` before
    any other check; ``retry_after`` (seconds) is sent with them when set, and always with
    a 429. ``latency_ms`` is added to every request to the endpoint. ``seed`` makes the
    choice of failed requests repeatable.
    """

    rate: float = 0.0
    status: int = 503
    retry_after: int | None = None
    latency_ms: float = 0.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, got {self.rate}")
        if not 400 <= self.status <= 599:
            raise ValueError(f"fault status must be a 4xx or 5xx code, got {self.status}")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError(f"retry_after must not be negative, got {self.retry_after}")
        if not (math.isfinite(self.latency_ms) and self.latency_ms >= 0):
            raise ValueError(f"latency_ms must be a number, not negative, got {self.latency_ms}")


@dataclass(frozen=True, slots=True)
class MockSettings:
    """Everything ``create_app`` needs; the defaults make a quiet, unthrottled mock."""

    api_keys: tuple[str, ...] = (DEFAULT_API_KEY,)
    spec_path: Path | None = field(default_factory=default_spec_path)
    rate_limit: RateLimitSettings | None = None
    faults: FaultSettings | None = None
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # A client that starts a body and stalls is cut off after this long, so it cannot
    # hold a connection and its buffer forever.
    body_timeout_s: float = DEFAULT_BODY_TIMEOUT_S
    max_body_depth: int = DEFAULT_MAX_BODY_DEPTH
    max_sources: int = DEFAULT_MAX_SOURCES
    # Counted as the stored JSON records and their names.
    max_store_bytes: int = DEFAULT_MAX_STORE_BYTES
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    journal_size: int = DEFAULT_JOURNAL_SIZE
    # Seed files or folders, loaded at start-up when the state (if any) is empty.
    seed_paths: tuple[Path, ...] = ()
    # Where the stored sources are kept across restarts; None keeps them in memory only.
    state_path: Path | None = None
    # Groups of accepted keys that share one rate-limit budget, as the keys of one
    # Statsig project do; a key in no group is a project of its own.
    projects: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if not self.api_keys:
            raise ValueError("at least one API key must be accepted")
        if any(not key for key in self.api_keys):
            raise ValueError("API keys must not be empty")
        if self.max_body_bytes < 1:
            raise ValueError(f"max_body_bytes must be positive, got {self.max_body_bytes}")
        if not (math.isfinite(self.body_timeout_s) and self.body_timeout_s > 0):
            raise ValueError(f"body_timeout_s must be a positive number, got {self.body_timeout_s}")
        if not 1 <= self.max_body_depth <= MAX_BODY_DEPTH_CEILING:
            raise ValueError(
                f"max_body_depth must be between 1 and {MAX_BODY_DEPTH_CEILING}, "
                f"got {self.max_body_depth}"
            )
        if self.max_sources < 1:
            raise ValueError(f"max_sources must be positive, got {self.max_sources}")
        if self.max_store_bytes < 1:
            raise ValueError(f"max_store_bytes must be positive, got {self.max_store_bytes}")
        if not self.allowed_hosts or any(not host for host in self.allowed_hosts):
            raise ValueError("allowed_hosts must name at least one host, none empty")
        if self.journal_size < 0:
            raise ValueError(f"journal_size must not be negative, got {self.journal_size}")
        grouped: set[str] = set()
        for number, project in enumerate(self.projects, 1):
            if not project:
                raise ValueError(f"project {number} names no key")
            for key in project:
                # Said without the key: it is a secret.
                if key not in self.api_keys:
                    raise ValueError(f"project {number} names a key that is not accepted")
                if key in grouped:
                    raise ValueError(f"project {number} names a key of an earlier project")
                grouped.add(key)
