"""Valid creates with unique names at a fixed number of connections, driven by wrk.

wrk runs a Lua script written here: every request carries a new name (run, thread
and counter), and every response's status is counted, so a server that answers fast
with errors cannot pass for a fast server.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.processes import ENDPOINT
from statsig_console_mock import DEFAULT_API_KEY

NAME_MARK = "@NAME@"
# The README's example, with a name the script fills in per request.
REQUEST_BODY: dict[str, object] = {
    "name": NAME_MARK,
    "sql": "SELECT * FROM analytics.exposures",
    "timestampColumn": "ts",
    "experimentIDColumn": "experiment_name",
    "groupIDColumn": "group_id",
    "idTypeMapping": [{"statsigUnitID": "stableID", "column": "user_id"}],
}
RESULT_PREFIX = "BENCH_RESULT "

_LUA = r"""
local threads = {}
local prefix = %(prefix)s
local suffix = %(suffix)s
local run = %(run)s

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  counter = 0
  statuses = {}
  wrk.method = "POST"
  wrk.path = %(path)s
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["STATSIG-API-KEY"] = %(key)s
end

function request()
  counter = counter + 1
  local name = run .. "-" .. tid .. "-" .. counter
  return wrk.format(nil, nil, nil, prefix .. name .. suffix)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses")
    for status, n in pairs(seen) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%%s": %%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    '%(result_prefix)s{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"socket_errors": %%d, "statuses": {%%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
"""


def _lua_string(text: str) -> str:
    # JSON string syntax is valid Lua for the ASCII text used here.
    return json.dumps(text)


def lua_script(run_id: str, api_key: str = DEFAULT_API_KEY) -> str:
    body = json.dumps(REQUEST_BODY, separators=(",", ":"))
    prefix, suffix = body.split(NAME_MARK)
    return _LUA % {
        "prefix": _lua_string(prefix),
        "suffix": _lua_string(suffix),
        "run": _lua_string(run_id),
        "path": _lua_string(ENDPOINT),
        "key": _lua_string(api_key),
        "result_prefix": RESULT_PREFIX,
    }


@dataclass(frozen=True, slots=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    statuses: dict[int, int]

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.seconds

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    @property
    def non_2xx_share(self) -> float:
        if not self.answered:
            return 1.0
        ok = sum(n for status, n in self.statuses.items() if 200 <= status < 300)
        return 1.0 - ok / self.answered


def parse_wrk_output(stdout: str) -> LoadResult:
    for line in stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            raw = json.loads(line.removeprefix(RESULT_PREFIX))
            return LoadResult(
                requests=int(raw["requests"]),
                seconds=int(raw["duration_us"]) / 1e6,
                p50_ms=int(raw["p50_us"]) / 1000,
                p99_ms=int(raw["p99_us"]) / 1000,
                socket_errors=int(raw["socket_errors"]),
                statuses={int(status): int(n) for status, n in raw["statuses"].items()},
            )
    raise RuntimeError(f"wrk printed no result line:\n{stdout}")


def run_wrk(
    wrk: str,
    base_url: str,
    *,
    run_id: str,
    connections: int,
    seconds: int,
    threads: int = 1,
) -> LoadResult:
    """One wrk run; ``threads=1`` leaves the second core of a 2-core machine to the server."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(run_id))
    try:
        completed = subprocess.run(  # noqa: S603 - a fixed command built here
            [
                wrk,
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base_url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        )
    finally:
        Path(script.name).unlink()
    return parse_wrk_output(completed.stdout)
