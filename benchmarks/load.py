"""Requests of one operation at a fixed number of connections, driven by wrk.

wrk runs a Lua script written here, one per scenario: a create carries a new name per
request (run, thread and counter); a list asks for the pages of a preloaded store in
turn; an update or a patch addresses the preloaded sources in turn; a delete takes
the names a create run stored, one per request. Every response's status is counted,
so a server that answers fast with errors cannot pass for a fast server.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from statsig_console import spec as console_spec
from statsig_console_mock import DEFAULT_API_KEY

SPEC = console_spec.load()
LIST = SPEC.operation("listAssignmentSources")
CREATE = SPEC.operation("createAssignmentSource")
UPDATE = SPEC.operation("updateAssignmentSource")
PATCH = SPEC.operation("patchAssignmentSource")
DELETE = SPEC.operation("deleteAssignmentSource")
NAME_MARK = "@NAME@"
# Unreserved characters, so the percent-encoding of a path leaves it whole.
_PATH_MARK = "NAMEINPATH"
# The README's example, with a name the script fills in per request.
REQUEST_BODY: dict[str, object] = {
    "name": NAME_MARK,
    "sql": "SELECT * FROM analytics.exposures",
    "timestampColumn": "ts",
    "experimentIDColumn": "experiment_name",
    "groupIDColumn": "group_id",
    "idTypeMapping": [{"statsigUnitID": "stableID", "column": "user_id"}],
}
# Bodies of the spec's own examples: a new query keeping the name, and a patch of two
# fields, so the stored sources keep their names through every run.
UPDATE_BODY: dict[str, Any] = dict(UPDATE.body_examples["new_query"])
PATCH_BODY: dict[str, Any] = dict(PATCH.body_examples["mark_read_only"])
# What the list, update and patch runs address: a store of this many sources, read a
# page of this size at a time.
PRELOADED = 1_000
PAGE_SIZE = 100
POOL_PREFIX = "bench-pool-"
SCENARIOS = ("create", "list", "update", "patch", "delete")
RESULT_PREFIX = "BENCH_RESULT "

_LUA = r"""
local threads = {}
local prefix = %(prefix)s
local suffix = %(suffix)s
local path_prefix = %(path_prefix)s
local path_suffix = %(path_suffix)s
local run = %(run)s
local pool = %(pool)d
local pool_prefix = %(pool_prefix)s
local pool_base = %(pool_base)d
local name_in_path = %(name_in_path)s
local name_in_body = %(name_in_body)s

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  counter = 0
  statuses = {}
  wrk.method = %(method)s
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["STATSIG-API-KEY"] = %(key)s
end

function request()
  counter = counter + 1
  local name = run .. "-" .. tid .. "-" .. counter
  if pool > 0 then
    name = pool_prefix .. (((counter - 1) %% pool) + pool_base)
  end
  local path = path_prefix
  if name_in_path then
    path = path_prefix .. name .. path_suffix
  end
  local body = nil
  if %(has_body)s then
    body = prefix
    if name_in_body then
      body = prefix .. name .. suffix
    end
  end
  return wrk.format(nil, path, nil, body)
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


def _named_path(operation: console_spec.Operation) -> tuple[str, str]:
    """The operation's path before and after the source's name."""
    before, _, after = operation.url_path(name=_PATH_MARK).partition(_PATH_MARK)
    return before, after


def _compact(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"))


def lua_script(run_id: str, api_key: str = DEFAULT_API_KEY, scenario: str = "create") -> str:
    """The wrk script of one scenario; ``run_id`` tells a run's names from another's."""
    # The name goes into the path, the body, or neither; a scenario with a pool
    # addresses the preloaded sources in turn instead of new names.
    pool = 0
    body: str | None = None
    path = (CREATE.path, "")
    if scenario == "create":
        body = _compact(REQUEST_BODY)
        method = CREATE.method
    elif scenario == "list":
        # The page number takes the place of the name.
        method = LIST.method
        path = (f"{LIST.path}?limit={PAGE_SIZE}&page=", "")
        pool = PRELOADED // PAGE_SIZE
    elif scenario in ("update", "patch"):
        operation, fixed = (UPDATE, UPDATE_BODY) if scenario == "update" else (PATCH, PATCH_BODY)
        method = operation.method
        path = _named_path(operation)
        body = _compact(fixed)
        pool = PRELOADED
    elif scenario == "delete":
        method = DELETE.method
        path = _named_path(DELETE)
    else:
        raise ValueError(f"unknown scenario {scenario!r}; expected one of {SCENARIOS}")
    prefix, _, suffix = (body or "").partition(NAME_MARK)
    return _LUA % {
        "prefix": _lua_string(prefix),
        "suffix": _lua_string(suffix),
        "path_prefix": _lua_string(path[0]),
        "path_suffix": _lua_string(path[1]),
        "run": _lua_string(run_id),
        "pool": pool,
        "pool_prefix": _lua_string("" if scenario == "list" else POOL_PREFIX),
        # Pages are numbered from 1.
        "pool_base": 1 if scenario == "list" else 0,
        "name_in_path": "false" if scenario == "create" else "true",
        "name_in_body": "true" if NAME_MARK in (body or "") else "false",
        "method": _lua_string(method),
        "has_body": "true" if body is not None else "false",
        "key": _lua_string(api_key),
        "result_prefix": RESULT_PREFIX,
    }


def pool_name(index: int) -> str:
    """The name of the ``index``-th preloaded source that update and patch runs address."""
    return f"{POOL_PREFIX}{index}"


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
    scenario: str = "create",
) -> LoadResult:
    """One wrk run; ``threads=1`` leaves the second core of a 2-core machine to the server."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(run_id, scenario=scenario))
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
