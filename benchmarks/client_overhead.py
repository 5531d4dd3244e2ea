"""The generated client's cost per call over raw httpx, on one keep-alive connection.

Three ways of sending the same create to a mock running in its own process:

- ``raw``: ``httpx.Client.post(path, json=...)``, the floor for any httpx-based client;
- ``generated``: ``create_assignment_source.sync`` on an ``AuthenticatedClient`` whose
  ``httpx.Client`` is the very one ``raw`` uses, so both share its pooled connection;
- ``statsig_console``: the production layer on a client from ``build_client`` (retry
  transport, typed errors); it has its own keep-alive connection.

The variants take turns in small blocks, so that drift on a shared machine hits all of
them alike, and the per-call median of each is reported.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from statsig_console_client import AuthenticatedClient
from statsig_console_client.api.assignment_sources import create_assignment_source
from statsig_console_client.models import AssignmentSourceCreate, CreateAssignmentSourceResponse

import statsig_console
from benchmarks.load import NAME_MARK, REQUEST_BODY
from benchmarks.processes import ENDPOINT
from statsig_console_mock import DEFAULT_API_KEY

BLOCK = 50
VARIANTS = ("raw", "generated", "statsig_console")


@dataclass(frozen=True, slots=True)
class OverheadResult:
    calls_per_variant: int
    median_us: dict[str, float]

    def ratio(self, variant: str) -> float:
        return self.median_us[variant] / self.median_us["raw"]


def _body(name: str) -> dict[str, Any]:
    return {key: (name if value == NAME_MARK else value) for key, value in REQUEST_BODY.items()}


def measure(base_url: str, *, calls: int, run_id: str) -> OverheadResult:
    """``calls`` creates per variant (rounded up to whole blocks), each with a new name."""
    names = (f"{run_id}-{index}" for index in itertools.count())
    samples: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    generated = AuthenticatedClient(base_url=base_url, token=DEFAULT_API_KEY)
    production = statsig_console.build_client(DEFAULT_API_KEY, base_url=base_url)
    with generated, production:
        http = generated.get_httpx_client()

        def raw(body: dict[str, Any]) -> None:
            response = http.post(ENDPOINT, json=body)
            if response.status_code != 201:
                raise RuntimeError(f"raw create answered {response.status_code}")

        def via_generated(body: dict[str, Any]) -> None:
            model = AssignmentSourceCreate.from_dict(body)
            started = time.perf_counter_ns()
            parsed = create_assignment_source.sync(client=generated, body=model)
            _record("generated", started)
            if not isinstance(parsed, CreateAssignmentSourceResponse):
                raise RuntimeError(f"generated create returned {parsed!r}")

        def via_production(body: dict[str, Any]) -> None:
            model = AssignmentSourceCreate.from_dict(body)
            started = time.perf_counter_ns()
            statsig_console.create_assignment_source(production, model)
            _record("statsig_console", started)

        def _record(variant: str, started: int) -> None:
            samples[variant].append((time.perf_counter_ns() - started) / 1000)

        def timed_raw(body: dict[str, Any]) -> None:
            started = time.perf_counter_ns()
            raw(body)
            _record("raw", started)

        # The model is built outside the timed span: a caller of the generated client
        # holds a model where a caller of raw httpx holds a dict.
        runners: dict[str, Callable[[dict[str, Any]], None]] = {
            "raw": timed_raw,
            "generated": via_generated,
            "statsig_console": via_production,
        }
        # Warm-up: connections open, code paths and caches hot, nothing recorded.
        for variant in VARIANTS:
            for _ in range(BLOCK):
                runners[variant](_body(next(names)))
        for variant in VARIANTS:
            samples[variant].clear()
        blocks = -(-calls // BLOCK)
        for block in range(blocks):
            # Rotating the order keeps any within-round drift from favouring one variant.
            order = VARIANTS[block % 3 :] + VARIANTS[: block % 3]
            for variant in order:
                for _ in range(BLOCK):
                    runners[variant](_body(next(names)))
    return OverheadResult(
        calls_per_variant=blocks * BLOCK,
        median_us={variant: statistics.median(samples[variant]) for variant in VARIANTS},
    )
