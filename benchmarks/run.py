"""``python -m benchmarks``: run the measurements, print the table, write the JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from benchmarks import client_overhead, sources, tooling
from benchmarks.load import (
    CREATE,
    PRELOADED,
    REQUEST_BODY,
    SCENARIOS,
    LoadResult,
    pool_name,
    run_wrk,
)
from benchmarks.processes import ROOT, Server, serve_mock, serve_noop, serve_prism
from benchmarks.report import Target, render
from statsig_console_mock import DEFAULT_API_KEY
from statsig_console_mock.testing import reset_mock

SECTIONS = ("mock", "operations", "client", "contract", "generation", "sources")
# The operations measured beside the create, mock against Prism on the same requests.
OPERATIONS = tuple(scenario for scenario in SCENARIOS if scenario != "create")
# A run writes its JSON under reports/ (ignored by git); only --save replaces the
# committed figures, so a benchmark run never leaves a modified file by accident.
DEFAULT_OUTPUT = ROOT / "reports" / "bench-latest.json"
SAVED_OUTPUT = ROOT / "benchmarks" / "results" / "latest.json"
DEFAULT_PRISM = ROOT / "benchmarks" / ".cache" / "node_modules" / ".bin" / "prism"
IMPORTED_MODULES = ["httpx", "statsig_console_client", "statsig_console"]
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine() -> dict[str, Any]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def _process_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    # utime and stime: fields 14 and 15 of stat(5), 12 and 13 after the command name.
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _wrk(
    server: Server, args: argparse.Namespace, run_id: str, seconds: int, scenario: str
) -> LoadResult:
    return run_wrk(
        args.wrk,
        server.base_url,
        run_id=run_id,
        connections=args.connections,
        seconds=seconds,
        scenario=scenario,
    )


def _one_load_run(
    server: Server, args: argparse.Namespace, run_id: str, seconds: int, scenario: str = "create"
) -> dict[str, Any]:
    if server.name == "mock" and scenario == "delete":
        # Every delete needs a stored source: a create run under the same run id
        # stores the names the delete run takes in the same order, and runs longer
        # than it so that the names do not run out (a 404 would show as non-2xx).
        reset_mock(server.base_url, timeout=60)
        _wrk(server, args, run_id, 2 * seconds + 1, "create")
    server_cpu = _process_cpu_s(server.pid)
    # wrk is the only child that ends during the run, so the children's CPU time
    # that accrues meanwhile is its own.
    wrk_cpu = _children_cpu_s()
    result = _wrk(server, args, run_id, seconds, scenario)
    server_share = (_process_cpu_s(server.pid) - server_cpu) / result.seconds
    wrk_share = (_children_cpu_s() - wrk_cpu) / result.seconds
    row = _load_row(result)
    row["server_cpu_share"] = server_share
    row["wrk_cpu_share"] = wrk_share
    if server.name == "mock" and scenario in ("list", "update", "patch"):
        # These runs change no name: the preloaded store must still be whole.
        stored = len(httpx.get(f"{server.base_url}/_mock/sources", timeout=60).json())
        row["stored"] = stored
        row["stored_matches_201s"] = stored == PRELOADED
    elif server.name == "mock" and scenario == "create":
        # Every 201 must be a stored source; wrk stops with up to one request per
        # connection in flight, which the server may still have stored.
        stored = len(httpx.get(f"{server.base_url}/_mock/sources", timeout=60).json())
        row["stored"] = stored
        row["stored_matches_201s"] = 0 <= stored - result.statuses.get(201, 0) <= args.connections
        reset_mock(server.base_url, timeout=60)
    return row


def _load_row(result: LoadResult) -> dict[str, Any]:
    return {
        "requests_per_s": result.requests_per_s,
        "p50_ms": result.p50_ms,
        "p99_ms": result.p99_ms,
        "requests": result.requests,
        "statuses": {str(status): n for status, n in sorted(result.statuses.items())},
        "non_2xx_share": result.non_2xx_share,
        "socket_errors": result.socket_errors,
    }


def _starters(args: argparse.Namespace, *, ceiling: bool) -> dict[str, Any]:
    starters: dict[str, Callable[[], AbstractContextManager[Server]]] = {"mock": serve_mock}
    prism = Path(args.prism)
    if prism.is_file():
        starters["prism"] = lambda: serve_prism(prism)
    if ceiling:
        starters["no-op"] = serve_noop
    return starters


def preload(base_url: str, count: int = PRELOADED) -> None:
    """Empty the mock and store ``count`` sources under the names update and patch runs
    address."""
    reset_mock(base_url, timeout=60)
    headers = {"STATSIG-API-KEY": DEFAULT_API_KEY}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        for index in range(count):
            response = client.post(CREATE.path, json={**REQUEST_BODY, "name": pool_name(index)})
            response.raise_for_status()


def _measure(
    args: argparse.Namespace,
    starters: dict[str, Callable[[], AbstractContextManager[Server]]],
    scenario: str,
) -> dict[str, Any]:
    names = list(starters)
    rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    with ExitStack() as stack:
        servers = {name: stack.enter_context(starters[name]()) for name in names}
        if scenario in ("list", "update", "patch"):
            preload(servers["mock"].base_url)
        run_tag = uuid.uuid4().hex[:8]
        for name in names:
            # Warm-up, unrecorded: JIT (Prism), caches and connection set-up.
            _one_load_run(servers[name], args, f"warm-{run_tag}", args.warmup, scenario)
        for round_number in range(args.rounds):
            # The servers take turns, in a rotating order, so drift hits all alike.
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                row = _one_load_run(
                    servers[name], args, f"r{round_number}-{run_tag}", args.seconds, scenario
                )
                rounds[name].append(row)
                _progress(
                    f"  {scenario:<6} {name:<6} round {round_number + 1}: "
                    f"{row['requests_per_s']:,.0f} req/s"
                )
    return {name: _medians(rows) for name, rows in rounds.items()}


def _section_header(args: argparse.Namespace, load_generator: str) -> dict[str, Any]:
    section: dict[str, Any] = {
        "connections": args.connections,
        "seconds_per_run": args.seconds,
        "rounds": args.rounds,
        "load_generator": load_generator,
    }
    if not Path(args.prism).is_file():
        section["prism_missing"] = f"{args.prism} not found (scripts/bench installs it)"
    return section


def mock_section(args: argparse.Namespace) -> dict[str, Any]:
    section = _section_header(
        args, "wrk, 1 thread, Lua script: a new name per request, statuses counted"
    )
    section["servers"] = _measure(args, _starters(args, ceiling=True), "create")
    return section


def operations_section(args: argparse.Namespace) -> dict[str, Any]:
    """List, update, patch and delete: the mock against Prism on the same requests."""
    section = _section_header(
        args,
        f"wrk, 1 thread, Lua script, statuses counted; list: pages of 100 of {PRELOADED:,} "
        f"stored; update and patch: each of {PRELOADED:,} stored sources in turn; delete: "
        "the names a create run stored just before",
    )
    section["operations"] = {
        scenario: _measure(args, _starters(args, ceiling=False), scenario)
        for scenario in args.operations or OPERATIONS
    }
    return section


def _medians(rows: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("requests_per_s", "p50_ms", "p99_ms", "non_2xx_share")
    summary: dict[str, Any] = {key: statistics.median(row[key] for row in rows) for key in keys}
    summary["server_cpu_share"] = statistics.median(row["server_cpu_share"] for row in rows)
    summary["wrk_cpu_share"] = statistics.median(row["wrk_cpu_share"] for row in rows)
    summary["requests"] = sum(row["requests"] for row in rows)
    statuses: dict[str, int] = {}
    for row in rows:
        for status, n in row["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    summary["statuses"] = statuses
    summary["socket_errors"] = sum(row["socket_errors"] for row in rows)
    if "stored_matches_201s" in rows[0]:
        summary["stored_matches_201s"] = all(row["stored_matches_201s"] for row in rows)
    summary["runs"] = rows
    return summary


def client_section(args: argparse.Namespace) -> dict[str, Any]:
    with serve_mock() as server:
        result = client_overhead.measure(
            server.base_url, calls=args.calls, run_id=f"client-{uuid.uuid4().hex[:8]}"
        )
    return {
        "calls_per_variant": result.calls_per_variant,
        "median_us": result.median_us,
        "ratio_to_raw": {variant: result.ratio(variant) for variant in result.median_us},
    }


def contract_section(args: argparse.Namespace) -> dict[str, Any]:
    extra = (
        ["--max-examples", str(args.contract_max_examples)] if args.contract_max_examples else []
    )
    result = tooling.contract_suite(extra)
    return asdict(result) | {"cases_per_s": result.cases_per_s}


def generation_section(args: argparse.Namespace) -> dict[str, Any]:
    generate = tooling.generation_seconds(args.generate_runs)
    imports = tooling.import_seconds(IMPORTED_MODULES, args.import_runs)
    medians = {module: tooling.median(times) * 1000 for module, times in imports.items()}
    return {
        "generate_check_s": tooling.median(generate),
        "generate_runs_s": generate,
        "import_runs": args.import_runs,
        "import_ms": medians,
        "import_ratio_to_httpx": {
            module: medians[module] / medians["httpx"] for module in IMPORTED_MODULES
        },
    }


def sources_section(args: argparse.Namespace) -> dict[str, Any]:
    return sources.section(args.sources_plan_files, args.sources_apply_changes)


def targets(results: dict[str, Any]) -> list[Target]:
    found: list[Target] = []
    mock = results.get("mock_throughput")
    if mock is not None:
        servers = mock["servers"]
        ours = servers["mock"]
        if "prism" in servers:
            prism = servers["prism"]
            found.append(
                Target(
                    "mock throughput vs Prism",
                    ours["requests_per_s"] / prism["requests_per_s"],
                    "x",
                    ">=",
                    5.0,
                )
            )
            found.append(
                Target("mock p99 vs Prism p99", ours["p99_ms"] / prism["p99_ms"], "x", "<", 1.0)
            )
        found.append(
            Target(
                "mock throughput vs no-op ceiling",
                ours["requests_per_s"] / servers["no-op"]["requests_per_s"],
                "%",
                ">=",
                0.40,
            )
        )
    operations = results.get("mock_operations")
    if operations is not None:
        for scenario, servers in operations["operations"].items():
            if "prism" in servers:
                found.append(
                    Target(
                        f"mock {scenario} throughput vs Prism",
                        servers["mock"]["requests_per_s"] / servers["prism"]["requests_per_s"],
                        "x",
                        ">=",
                        5.0,
                    )
                )
    client = results.get("client_overhead")
    if client is not None:
        found.append(
            Target(
                "generated sync vs raw httpx (median/call)",
                client["ratio_to_raw"]["generated"],
                "x",
                "<=",
                1.15,
            )
        )
    found += sources.targets(results.get("sources_as_code"))
    return found


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _add_subset(
    parser: argparse.ArgumentParser, flag: str, dest: str, choices: Sequence[str], what: str
) -> None:
    """A repeatable option that picks some of ``choices``; left out, it means all."""
    parser.add_argument(
        flag, action="append", dest=dest, choices=choices, help=f"{what} (repeatable; default: all)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Measure the mock, the client and the tooling side by side; print a "
        "table of medians and ratios and write it as JSON.",
    )
    _add_subset(parser, "--only", "only", SECTIONS, "run only this section")
    parser.add_argument("--seconds", type=int, default=5, help="per load run, whole seconds (5)")
    parser.add_argument("--warmup", type=int, default=2, help="unrecorded first run (2)")
    parser.add_argument("--rounds", type=int, default=3, help="load runs per server (3)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (16)")
    _add_subset(
        parser,
        "--operation",
        "operations",
        OPERATIONS,
        "measure only this operation in the operations section",
    )
    parser.add_argument("--calls", type=int, default=3000, help="client calls per variant (3000)")
    parser.add_argument("--import-runs", type=int, default=7, help="fresh interpreters (7)")
    parser.add_argument("--generate-runs", type=int, default=3, help="generator runs (3)")
    parser.add_argument(
        "--contract-max-examples",
        type=int,
        default=None,
        help="pass --max-examples to the contract suite (default: its own default run)",
    )
    parser.add_argument("--sources-plan-files", type=int, default=1000, help="files planned (1000)")
    parser.add_argument(
        "--sources-apply-changes", type=int, default=500, help="changes applied (500)"
    )
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk", help="wrk executable")
    parser.add_argument("--prism", default=str(DEFAULT_PRISM), help="prism executable")
    destination = parser.add_mutually_exclusive_group()
    destination.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="where to write the JSON results (default: reports/bench-latest.json)",
    )
    destination.add_argument(
        "--save",
        dest="output",
        action="store_const",
        const=SAVED_OUTPUT,
        help="write them over the committed benchmarks/results/latest.json instead",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sections = args.only or list(SECTIONS)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["scripts/bench", *(argv if argv is not None else sys.argv[1:])]),
        "machine": machine(),
    }
    started = time.perf_counter()
    runners = {
        "mock": ("mock_throughput", mock_section),
        "operations": ("mock_operations", operations_section),
        "client": ("client_overhead", client_section),
        "contract": ("contract_suite", contract_section),
        "generation": ("generation", generation_section),
        "sources": ("sources_as_code", sources_section),
    }
    for section in SECTIONS:
        if section in sections:
            key, runner = runners[section]
            _progress(f"== {section}")
            results[key] = runner(args)
    results["targets"] = [asdict(target) | {"met": target.met} for target in targets(results)]
    results["wall_s"] = time.perf_counter() - started
    print(render(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.output}")
    return 0
