"""The printed table: medians, ratios and whether each target is met."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    measured: float
    unit: str
    comparison: str
    goal: float

    @property
    def met(self) -> bool:
        if self.comparison == ">=":
            return self.measured >= self.goal
        if self.comparison == "<=":
            return self.measured <= self.goal
        if self.comparison == "<":
            return self.measured < self.goal
        raise ValueError(f"unknown comparison {self.comparison!r}")

    def show(self, value: float) -> str:
        return f"{value:.0%}" if self.unit == "%" else f"{value:.2f}{self.unit}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return [line(header), line(["-" * width for width in widths]), *map(line, rows)]


def _server_rows(servers: dict[str, Any], label: str = "") -> list[list[str]]:
    rows = []
    for name, server in servers.items():
        stored = server.get("stored_matches_201s")
        rows.append(
            [
                *([label] if label else []),
                name,
                f"{server['requests_per_s']:,.0f}",
                f"{server['p50_ms']:.2f}",
                f"{server['p99_ms']:.2f}",
                f"{server['non_2xx_share']:.2%}",
                f"{server['server_cpu_share']:.0%}",
                f"{server['wrk_cpu_share']:.0%}",
                "-" if stored is None else ("yes" if stored else "NO"),
            ]
        )
    return rows


_COLUMNS = ["server", "req/s", "p50 ms", "p99 ms", "non-2xx", "server CPU", "wrk CPU"]


def _header(title: str, section: dict[str, Any]) -> str:
    return (
        f"{title}: {section['connections']} connections, {section['rounds']} rounds of "
        f"{section['seconds_per_run']:g} s per server, medians ({section['load_generator']})"
    )


def _mock_lines(section: dict[str, Any]) -> list[str]:
    lines = [_header("Mock throughput", section)]
    lines += _table([*_COLUMNS, "stored=201s"], _server_rows(section["servers"]))
    if "prism_missing" in section:
        lines.append(f"Prism not measured: {section['prism_missing']}")
    return lines


def _operations_lines(section: dict[str, Any]) -> list[str]:
    lines = [_header("Mock operations", section)]
    rows = [
        row
        for scenario, servers in section["operations"].items()
        for row in _server_rows(servers, scenario)
    ]
    # For list, update and patch: the preloaded store is whole after the run.
    lines += _table(["operation", *_COLUMNS, "store kept"], rows)
    if "prism_missing" in section:
        lines.append(f"Prism not measured: {section['prism_missing']}")
    return lines


def _client_lines(section: dict[str, Any]) -> list[str]:
    lines = [
        f"Client overhead: {section['calls_per_variant']:,} creates per variant against the "
        "mock, median per call, one keep-alive connection"
    ]
    labels = {
        "raw": "httpx.Client.post (raw)",
        "generated": "create_assignment_source.sync (generated)",
        "statsig_console": "statsig_console.create_assignment_source (retry layer)",
    }
    rows = [
        [labels[variant], f"{median:,.0f}", f"{section['ratio_to_raw'][variant]:.3f}x"]
        for variant, median in section["median_us"].items()
    ]
    return lines + _table(["call", "median us", "vs raw"], rows)


def _contract_lines(section: dict[str, Any]) -> list[str]:
    return [
        "Contract suite (scripts/contract-test, default run, wall time of the whole command)",
        *_table(
            ["cases generated", "tests passed", "seconds", "cases/s"],
            [
                [
                    str(section["cases"]),
                    str(section["passed"]),
                    f"{section['seconds']:.1f}",
                    f"{section['cases_per_s']:.1f}",
                ]
            ],
        ),
    ]


def _generation_lines(section: dict[str, Any]) -> list[str]:
    lines = [
        f"Generation: scripts/generate --check, median of {len(section['generate_runs_s'])} "
        f"runs: {section['generate_check_s']:.2f} s",
        f"Import time in a fresh interpreter, median of {section['import_runs']} runs",
    ]
    rows = [
        [f"import {module}", f"{ms:.1f}", f"{section['import_ratio_to_httpx'][module]:.2f}x"]
        for module, ms in section["import_ms"].items()
    ]
    return lines + _table(["", "ms", "vs httpx"], rows)


def render(results: dict[str, Any]) -> str:
    machine = results["machine"]
    out = [
        f"{results['date']}  {machine['cores']} cores, {machine['cpu']}, "
        f"Python {machine['python']}, {machine['system']}",
    ]
    renderers = {
        "mock_throughput": _mock_lines,
        "mock_operations": _operations_lines,
        "client_overhead": _client_lines,
        "contract_suite": _contract_lines,
        "generation": _generation_lines,
    }
    for key, renderer in renderers.items():
        if key in results:
            out += ["", *renderer(results[key])]
    if results["targets"]:
        rows = []
        for raw in results["targets"]:
            target = Target(
                raw["name"], raw["measured"], raw["unit"], raw["comparison"], raw["goal"]
            )
            rows.append(
                [
                    target.name,
                    target.show(target.measured),
                    f"{target.comparison} {target.show(target.goal)}",
                    "met" if target.met else "NOT MET",
                ]
            )
        out += ["", "Targets", *_table(["", "measured", "target", ""], rows)]
    return "\n".join(out)
