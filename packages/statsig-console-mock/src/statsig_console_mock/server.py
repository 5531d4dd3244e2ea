"""The command line: ``python -m statsig_console_mock`` (``scripts/mock-server``)."""

from __future__ import annotations

import argparse
import asyncio
import copy
import gc
import importlib.util
import os
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

from statsig_console_mock.app import create_app
from statsig_console_mock.settings import (
    DEFAULT_API_KEY,
    DEFAULT_BODY_TIMEOUT_S,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_BODY_DEPTH,
    DEFAULT_MAX_SOURCES,
    DEFAULT_MAX_STORE_BYTES,
    LOOPBACK_HOSTS,
    MAX_BODY_DEPTH_CEILING,
    STATSIG_RATE_WINDOWS,
    FaultSettings,
    MockSettings,
    RateLimitSettings,
    RateWindow,
    default_spec_path,
)
from statsig_console_mock.spec import SpecError

API_KEYS_ENV_VAR = "STATSIG_MOCK_API_KEYS"
GRACEFUL_SHUTDOWN_S = 2
# uvicorn's own logging set-up, with the access log on stderr: stdout carries only the
# base URL, for scripts that read it.
_LOG_CONFIG = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
_LOG_CONFIG["handlers"]["access"]["stream"] = "ext://sys.stderr"
DEFAULT_PORT = 8089


def uvicorn_config(
    app: ASGIApp, host: str, port: int, *, access_log: bool = False
) -> uvicorn.Config:
    """Uvicorn set up for speed: the C parser and loop when installed, each response
    written in one piece (``protocol.py``), no lifespan."""
    has_uvloop = importlib.util.find_spec("uvloop") is not None
    http: type[asyncio.Protocol] | str = "h11"
    if importlib.util.find_spec("httptools") is not None:
        # Imported only here: the module builds on httptools, which h11 set-ups lack.
        from statsig_console_mock.protocol import JoinedWritesProtocol

        http = JoinedWritesProtocol
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        loop="uvloop" if has_uvloop else "asyncio",
        http=http,
        lifespan="off",
        access_log=access_log,
        log_level="info" if access_log else "warning",
        server_header=False,
        # The mock reads neither the client's address nor the scheme, which is all that
        # X-Forwarded-* would change, and the middleware reading them ran on every request.
        proxy_headers=False,
        # A stalled client or an injected latency must not hold a shutdown for long.
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        log_config=_LOG_CONFIG,
    )


class _Server(uvicorn.Server):
    """Announces its base URL once it accepts connections."""

    def __init__(self, config: uvicorn.Config, base_url: str) -> None:
        super().__init__(config)
        self._base_url = base_url

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            # What start-up built (the compiled spec, the app, the seeds) lives as long as
            # the server: out of the collector's sight, its full passes stay short. Its
            # garbage is collected first, or it would be kept for good.
            gc.collect()
            gc.freeze()
            print(self._base_url, flush=True)


def _rate_window(text: str) -> RateWindow:
    limit, sep, seconds = text.partition("/")
    try:
        if not sep:
            raise ValueError
        return RateWindow(int(limit), float(seconds))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected LIMIT/SECONDS such as 100/10, got {text!r}"
        ) from exc


def _project(text: str) -> tuple[str, ...]:
    keys = tuple(key.strip() for key in text.split(","))
    if not all(keys):
        raise argparse.ArgumentTypeError("expected comma-separated keys, none empty")
    return keys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-server",
        description=(
            "Serve a Statsig-faithful mock of the Console API operations in the OpenAPI spec, "
            "each validated as the spec says. Prints its base URL on stdout once it accepts "
            "connections; stops on Ctrl-C or SIGTERM."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port, 0 for any free one ({DEFAULT_PORT})"
    )
    parser.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help=(
            f"an accepted STATSIG-API-KEY (repeatable); default ${API_KEYS_ENV_VAR} "
            f"(comma-separated), else {DEFAULT_API_KEY}"
        ),
    )
    parser.add_argument("--spec", type=Path, help="OpenAPI spec to enforce (the repository's)")
    parser.add_argument(
        "--rate-limit",
        choices=["statsig", "off"],
        default="off",
        help=(
            "emulate Statsig's limits on mutations, per project: 100 per 10 s and 900 per "
            "15 min (off)"
        ),
    )
    parser.add_argument(
        "--rate-limit-window",
        action="append",
        type=_rate_window,
        metavar="LIMIT/SECONDS",
        help="a custom limit window instead of Statsig's (repeatable; turns limiting on)",
    )
    parser.add_argument(
        "--project",
        action="append",
        dest="projects",
        type=_project,
        metavar="KEY,KEY...",
        help=(
            "accepted keys that share one rate-limit budget, as the keys of one Statsig "
            "project do (repeatable); every other key is a project of its own"
        ),
    )
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="fraction of requests to fail (0)"
    )
    parser.add_argument("--fault-status", type=int, default=503, help="status of failures (503)")
    parser.add_argument(
        "--fault-retry-after", type=int, help="Retry-After seconds sent with failures"
    )
    parser.add_argument("--fault-seed", type=int, help="seed, for a repeatable choice of failures")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="latency added to every request (0)"
    )
    parser.add_argument(
        "--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES, help="(1 MiB)"
    )
    parser.add_argument(
        "--body-timeout", type=float, default=DEFAULT_BODY_TIMEOUT_S, help="seconds (10)"
    )
    parser.add_argument(
        "--max-body-depth",
        type=int,
        default=DEFAULT_MAX_BODY_DEPTH,
        help=f"deepest JSON nesting accepted, at most {MAX_BODY_DEPTH_CEILING} "
        f"({DEFAULT_MAX_BODY_DEPTH})",
    )
    parser.add_argument(
        "--max-sources",
        type=int,
        default=DEFAULT_MAX_SOURCES,
        help=f"sources stored before creates are refused ({DEFAULT_MAX_SOURCES:,})",
    )
    parser.add_argument(
        "--max-store-bytes",
        type=int,
        default=DEFAULT_MAX_STORE_BYTES,
        help=f"bytes of stored sources before creates are refused "
        f"({DEFAULT_MAX_STORE_BYTES // (1024 * 1024)} MiB)",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        dest="allowed_hosts",
        metavar="NAME",
        help=(
            "a further name the mock answers to in the Host header (repeatable); "
            f"it always answers to {', '.join(LOOPBACK_HOSTS)} and the --host address"
        ),
    )
    parser.add_argument(
        "--seed",
        action="append",
        type=Path,
        dest="seed_paths",
        metavar="PATH",
        help=(
            "sources to load at start-up: a file or a folder of files as `statsig-console "
            "sources export` writes them (repeatable; skipped when --state restores a state)"
        ),
    )
    parser.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="keep the stored sources in FILE across restarts (written atomically on each change)",
    )
    parser.add_argument(
        "--journal-size",
        type=int,
        default=DEFAULT_JOURNAL_SIZE,
        help=f"requests kept for GET /_mock/requests, 0 for none ({DEFAULT_JOURNAL_SIZE:,})",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request")
    return parser


def settings_from_args(args: argparse.Namespace) -> MockSettings:
    keys: list[str] = args.api_keys or []
    if not keys:
        keys = [key.strip() for key in os.environ.get(API_KEYS_ENV_VAR, "").split(",")]
        keys = [key for key in keys if key]
    rate_limit: RateLimitSettings | None = None
    if args.rate_limit_window:
        rate_limit = RateLimitSettings(tuple(args.rate_limit_window))
    elif args.rate_limit == "statsig":
        rate_limit = RateLimitSettings(STATSIG_RATE_WINDOWS)
    faults: FaultSettings | None = None
    # != rather than >: a negative or NaN value must reach the check, not be ignored.
    if args.fault_rate != 0 or args.latency_ms != 0:
        faults = FaultSettings(
            rate=args.fault_rate,
            status=args.fault_status,
            retry_after=args.fault_retry_after,
            latency_ms=args.latency_ms,
            seed=args.fault_seed,
        )
    return MockSettings(
        api_keys=tuple(keys) or (DEFAULT_API_KEY,),
        spec_path=args.spec or default_spec_path(),
        rate_limit=rate_limit,
        faults=faults,
        max_body_bytes=args.max_body_bytes,
        body_timeout_s=args.body_timeout,
        max_body_depth=args.max_body_depth,
        max_sources=args.max_sources,
        max_store_bytes=args.max_store_bytes,
        allowed_hosts=_allowed_hosts(args.host, args.allowed_hosts or []),
        journal_size=args.journal_size,
        seed_paths=tuple(args.seed_paths or ()),
        state_path=args.state,
        projects=tuple(args.projects or ()),
    )


# Binding these listens on every address: the names it is reached by are the user's to add.
_WILDCARDS = ("0.0.0.0", "::", "")  # noqa: S104 - recognised, not bound


def _allowed_hosts(bind: str, extra: Sequence[str]) -> tuple[str, ...]:
    names = [*LOOPBACK_HOSTS, *([] if bind in _WILDCARDS else [bind]), *extra]
    return tuple(dict.fromkeys(names))


def _ignore_signal(signum: int, frame: FrameType | None) -> None:
    """Uvicorn re-raises the signal that stopped it; a clean stop must still exit 0."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from_args(args)
        app = create_app(settings)
    except (ValueError, SpecError) as exc:
        parser.exit(2, f"mock-server: error: {exc}\n")

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except (OSError, OverflowError) as exc:
        sock.close()
        parser.exit(2, f"mock-server: error: cannot listen on {args.host}:{args.port}: {exc}\n")
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if family == socket.AF_INET6 else args.host
    config = uvicorn_config(app, args.host, port, access_log=args.access_log)
    keys = ", ".join(key[: min(12, len(key) // 2)] + "..." for key in settings.api_keys)
    spec = settings.spec_path or "packaged with statsig_console"
    print(f"mock-server: spec {spec}; accepted keys: {keys}", file=sys.stderr)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _ignore_signal)
    try:
        _Server(config, f"http://{host}:{port}").run(sockets=[sock])
    finally:
        sock.close()
    return 0
