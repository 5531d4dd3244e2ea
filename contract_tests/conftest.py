"""Fixtures of the contract suite: the target, the schemathesis schema and the run."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.schemas import BaseSchema

from statsig_console import spec
from statsig_console_mock import MockSettings
from statsig_console_mock.testing import run_mock_server

from .config import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_SEED,
    REAL_MODE_EXCLUDED_OPERATIONS,
    REAL_MODE_MAX_EXAMPLES,
    build_config,
    disabled_checks,
)
from .endpoints import CREATE, Endpoints
from .output_guard import install as install_output_guard
from .run import ContractRun
from .session import ContractSession, RateWindow
from .target import Target, target_from_environment
from .writes import (
    CONFIRM_ENV,
    CONFIRM_VALUE,
    Ledger,
    delete_owned,
    sweep_leftovers,
)

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi" / "statsig-console-api.yaml"
# Statsig allows about 100 mutations per 10 s and 900 per 15 minutes per project,
# every key of the project included: a margin is left below both.
REAL_MODE_MUTATION_WINDOWS = (RateWindow(90, 10.0), RateWindow(850, 15 * 60.0))
# Another pace (a minimum interval between any two requests, the windows off) is
# accepted only for a target on this machine (the suite's own tests).
MIN_INTERVAL_ENV = "STATSIG_CONTRACT_MIN_INTERVAL_S"
REAL_MODE_MAX_REQUESTS = 400
# A paced real run lasts up to MAX_REQUESTS x MIN_INTERVAL plus 429 waits: the
# project-wide per-test timeout is far too short for it.
REAL_MODE_TEST_TIMEOUT_S = 3600
RUN_KEY = pytest.StashKey[ContractRun]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contract", "Statsig contract suite")
    group.addoption(
        "--max-examples",
        type=int,
        default=None,
        help="cases per fuzzing phase (default: $STATSIG_CONTRACT_MAX_EXAMPLES, "
        f"else {DEFAULT_MAX_EXAMPLES}; {REAL_MODE_MAX_EXAMPLES} against the real API)",
    )
    group.addoption(
        "--seed",
        type=int,
        default=None,
        help=f"generation seed (default: $STATSIG_CONTRACT_SEED, else {DEFAULT_SEED})",
    )
    group.addoption(
        "--allow-writes",
        action="store_true",
        default=False,
        help="against the real API of a dedicated test project: create (and delete) "
        f"sources of the suite's own; needs {CONFIRM_ENV}={CONFIRM_VALUE} too",
    )


def writes_allowed(config: pytest.Config, target: Target) -> bool:
    """Write mode: both switches, against the real API; a usage error when half set."""
    if not config.getoption("--allow-writes"):
        return False
    if not target.real:
        raise pytest.UsageError(
            "--allow-writes applies to the real API (a key is set); the mock is always written to"
        )
    if os.environ.get(CONFIRM_ENV, "").strip() != CONFIRM_VALUE:
        raise pytest.UsageError(
            f"--allow-writes creates and deletes sources in the project of the key: "
            f"confirm with {CONFIRM_ENV}={CONFIRM_VALUE} (use a dedicated test project)"
        )
    return True


def _int_setting(
    config: pytest.Config, option: str, env: str, default: int, *, least: int | None = None
) -> int:
    value = config.getoption(option)
    named = option
    if not isinstance(value, int):
        named = env
        raw = os.environ.get(env, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise pytest.UsageError(f"{env} must be a whole number, got {raw!r}") from None
    if least is not None and value < least:
        raise pytest.UsageError(f"{named} must be at least {least}, got {value}")
    return value


def _seed(config: pytest.Config) -> int:
    return _int_setting(config, "--seed", "STATSIG_CONTRACT_SEED", DEFAULT_SEED)


def _max_examples(config: pytest.Config, target: Target) -> int:
    default = REAL_MODE_MAX_EXAMPLES if target.real else DEFAULT_MAX_EXAMPLES
    return _int_setting(config, "--max-examples", "STATSIG_CONTRACT_MAX_EXAMPLES", default, least=1)


@pytest.fixture(scope="session")
def target() -> Target:
    try:
        return target_from_environment()
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None


@pytest.fixture(scope="session")
def target_base_url(target: Target) -> Iterator[str]:
    if target.base_url is not None:
        yield target.base_url
        return
    with run_mock_server(MockSettings(api_keys=(target.api_key,))) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def contract_run(
    request: pytest.FixtureRequest, target: Target, target_base_url: str
) -> Iterator[ContractRun]:
    endpoints = Endpoints.at(target_base_url)
    ledger = Ledger() if writes_allowed(request.config, target) else None
    min_interval, windows = _pace(target)
    session = ContractSession(
        real=target.real,
        endpoints=endpoints,
        secret=target.api_key if target.real else None,
        min_interval_s=min_interval,
        mutation_windows=windows,
        max_requests=REAL_MODE_MAX_REQUESTS if target.real else None,
        ledger=ledger,
    )
    run = ContractRun(
        target=target,
        base_url=target_base_url,
        session=session,
        disabled_checks=disabled_checks(target),
        on_progress=_progress_printer(request.config),
        # Real mode is paced: show progress more often.
        progress_every=10 if target.real else 100,
        ledger=ledger,
    )
    request.config.stash[RUN_KEY] = run
    headers = {spec.load().operation(CREATE).key_header or "": target.api_key}
    with session:
        if ledger is not None:
            run.swept = sweep_leftovers(session, endpoints, headers, ledger)
        try:
            yield run
        finally:
            # Also on an interrupt: pytest tears session fixtures down on Ctrl-C.
            if ledger is not None:
                run.not_deleted = delete_owned(session, endpoints, headers, ledger)


def _pace(target: Target) -> tuple[float, tuple[RateWindow, ...]]:
    if not target.real:
        return 0.0, ()
    raw = os.environ.get(MIN_INTERVAL_ENV, "").strip()
    if not raw:
        return 0.0, REAL_MODE_MUTATION_WINDOWS
    if not target.on_loopback:
        raise pytest.UsageError(
            f"{MIN_INTERVAL_ENV} only applies to a server on this machine; "
            "Statsig is always paced under its documented rate limits"
        )
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise pytest.UsageError(f"{MIN_INTERVAL_ENV} must be seconds (0 or more), got {raw!r}")
    return seconds, ()


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # Every setting is checked here, before any test runs, so that one mistake is one
    # usage error (pytest's exit code 4), not an error in each test that uses it.
    try:
        target = target_from_environment()
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    _seed(config)
    _max_examples(config, target)
    _pace(target)
    writes_allowed(config, target)
    # Last, so that the terminal reporter exists and its writer can be guarded.
    if target.real:
        install_output_guard(config, target.api_key)


def pytest_report_header(config: pytest.Config) -> str:
    try:
        target = target_from_environment()
    except ValueError as error:
        return f"contract target: unusable ({error})"
    if target.real:
        if config.getoption("--allow-writes", False):
            return f"contract target: the real API at {target.base_url} (writes allowed)"
        return f"contract target: the real API at {target.base_url} (dry runs only)"
    return f"contract target: {target.base_url or 'the embedded mock'}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    try:
        real = target_from_environment().real
    except ValueError:
        return  # the target fixture reports it
    if real:
        here = Path(__file__).parent
        for item in items:
            if item.path.is_relative_to(here):
                item.add_marker(pytest.mark.timeout(REAL_MODE_TEST_TIMEOUT_S))


def _progress_printer(config: pytest.Config) -> Any:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return None

    def show(run: ContractRun) -> None:
        # Output is captured while a test runs; progress goes to the terminal anyway.
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"    ... {run.progress_line()}")

    return show


@pytest.fixture(scope="session")
def contract_schema(
    pytestconfig: pytest.Config, target: Target, contract_run: ContractRun
) -> BaseSchema:
    config = build_config(
        target,
        contract_run.base_url,
        seed=_seed(pytestconfig),
        max_examples=_max_examples(pytestconfig, target),
    )
    schema: BaseSchema = schemathesis.openapi.from_path(SPEC_PATH, config=config)
    if target.real:
        for operation_id in REAL_MODE_EXCLUDED_OPERATIONS:
            schema = schema.exclude(operation_id=operation_id)

    @schema.hook
    def after_validate(context: Any, case: Any, response: Any, results: list[Any]) -> None:
        contract_run.record_checks(results)

    return schema


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return
    write = terminalreporter.write_line
    terminalreporter.section("contract summary")
    write(f"target:   {run.target.describe(run.base_url)}")
    sent = f"cases:    {run.cases} generated"
    if run.not_sent:
        sent += f" ({run.not_sent} without a JSON object body, not sent to the real API)"
    write(sent)
    write(f"requests: {run.session.sent} sent")
    if run.over_bound:
        write(
            f"          {run.over_bound} more cases not sent: the run's bound of "
            f"{run.session.max_requests} requests was reached"
        )
    if run.session.rate_limit_waits:
        write(
            f"          {run.session.rate_limit_waits} answered 429 and were retried after "
            f"{run.session.waited_s:.0f} s of waiting"
        )
    total_checks = sum(run.checks.values())
    write(f"checks:   {total_checks} run, {sum(run.check_failures.values())} failed")
    for name in sorted(run.checks):
        failed = run.check_failures[name]
        write(f"  {name:<30} {run.checks[name]:>6} run" + (f", {failed} failed" if failed else ""))
    for name, reason in sorted(run.disabled_checks.items()):
        write(f"  {name:<30} switched off: {reason}")
    if run.ledger is not None:
        ledger = run.ledger
        write(f"writes:   swept {len(run.swept)} leftover(s) of earlier runs: {run.swept}")
        write(f"          created {len(ledger.created)}: {ledger.created}")
        for old, new in ledger.renamed:
            write(f"          renamed {old!r} to {new!r}")
        write(f"          deleted {len(ledger.deleted)}: {ledger.deleted}")
        if run.not_deleted:
            write(f"          NOT DELETED (delete them by hand): {run.not_deleted}")
