"""The command line: parse arguments, run export, plan or apply, and return the exit code.

Exit codes follow Terraform's ``-detailed-exitcode``: 0 nothing to change (or all
done), 2 changes pending (plan), 1 an error (invalid files, a failed request, a
failed change).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import httpx

from statsig_console import spec
from statsig_console._config import BASE_URL_VARIABLE, client_from_env
from statsig_console._errors import ConfigurationError, StatsigApiError
from statsig_console._retry import RetryPolicy
from statsig_console.pacing import STATSIG_WINDOWS, Pacer

from . import render
from .apply import carry_out, describe, send
from .files import dump_yaml, export_names, read_directory, source_paths
from .plan import Plan, compute, live_value
from .progress import reporter_for
from .remote import DEFAULT_PAGE_SIZE, Remote
from .validate import check

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130

# A command run may wait longer than a service call: it has nothing better to do, and
# giving up half-way leaves work for the next run. Still bounded, so CI never hangs.
COMMAND_RETRY = RetryPolicy(max_attempts=8, max_elapsed=180.0, max_retry_after=60.0)
# Fields Statsig sets, left out of an export so that the files hold only intent.
_NOT_EXPORTED = ("owner", "dryRun")


class CommandError(Exception):
    """A failure the command reports in one line and exits 1 for."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="statsig-console",
        description="Statsig Console API assignment sources as code. The API key comes "
        "from STATSIG_CONSOLE_API_KEY.",
    )
    groups = parser.add_subparsers(dest="group", required=True)
    sources = groups.add_parser("sources", help="assignment sources")
    commands = sources.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("directory", type=Path, metavar="DIR")
    common.add_argument(
        "--base-url",
        help=f"the API's base URL (default: ${BASE_URL_VARIABLE}, else Statsig's)",
    )
    common.add_argument(
        "--page-size", type=_positive, default=DEFAULT_PAGE_SIZE, help="sources per list page"
    )
    common.add_argument(
        "--rate-window",
        type=_window,
        action="append",
        metavar="LIMIT/SECONDS",
        help="send at most LIMIT mutations in any SECONDS (repeatable; default: Statsig's "
        "100/10 and 900/900); lower it to leave budget to others using the project",
    )
    planning = argparse.ArgumentParser(add_help=False)
    planning.add_argument(
        "--prune",
        action="store_true",
        help="delete managed sources (isReadOnly: true) that no file names",
    )

    commands.add_parser(
        "export", parents=[common], help="write every live source to DIR, one YAML file each"
    )
    plan = commands.add_parser(
        "plan", parents=[common, planning], help="show what apply would change"
    )
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.add_argument(
        "--remote-validate",
        action="store_true",
        help="send each create and update as a dry run, so Statsig checks it",
    )
    apply = commands.add_parser(
        "apply", parents=[common, planning], help="make Statsig hold what DIR says"
    )
    apply.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    apply.add_argument("--fail-fast", action="store_true", help="stop at the first failure")
    return parser


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _window(value: str) -> tuple[int, float]:
    limit, slash, seconds = value.partition("/")
    try:
        window = (int(limit), float(seconds))
    except ValueError:
        window = (0, 0.0)
    if not slash or window[0] < 1 or not 0 < window[1] < float("inf"):
        raise argparse.ArgumentTypeError(f"expected LIMIT/SECONDS such as 100/10, got {value!r}")
    return window


def run(argv: Sequence[str], *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    arguments = _parser().parse_args(list(argv))
    try:
        if arguments.command == "export":
            return _export(arguments, out)
        if arguments.command == "plan":
            return _plan(arguments, out, err)
        return _apply(arguments, out, err)
    except CommandError as error:
        print(f"statsig-console: {error}", file=err)
        return EXIT_ERROR
    except OSError as error:
        # A file the command reads or writes that the system refused (an unreadable
        # directory, say): said in one line, as any other error.
        print(f"statsig-console: {error.filename or 'a file'}: {error.strerror}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(
            "statsig-console: interrupted; running the same command again finishes the job",
            file=err,
        )
        return EXIT_INTERRUPTED


def _remote(arguments: argparse.Namespace) -> Remote:
    try:
        client = client_from_env(base_url=arguments.base_url, retry=COMMAND_RETRY)
    except ConfigurationError as error:
        raise CommandError(str(error)) from None
    windows = tuple(arguments.rate_window or STATSIG_WINDOWS)
    return Remote(client, pacer=Pacer(windows), page_size=arguments.page_size)


def _live(remote: Remote) -> list[dict[str, Any]]:
    try:
        return remote.list_all()
    except (StatsigApiError, httpx.HTTPError) as error:
        raise CommandError(f"could not list the live sources: {error}") from None


def _directory(path: Path) -> Path:
    if not path.is_dir():
        raise CommandError(f"{path} is not a directory")
    return path


def _export(arguments: argparse.Namespace, out: TextIO) -> int:
    directory: Path = arguments.directory
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"cannot export to {directory}: {error.strerror}") from None
    if source_paths(directory):
        raise CommandError(
            f"{directory} already holds source files; export into an empty directory"
        )
    live = _live(_remote(arguments))
    order = _export_order()
    names = export_names(str(item["name"]) for item in live)
    for written, item in enumerate(live):
        # Every field, the managed flag too: a file without it would ask for isReadOnly.
        fields = {key: live_value(item, key) for key in order if key not in _NOT_EXPORTED}
        fields = {key: value for key, value in fields.items() if value is not None}
        path = directory / names[str(item["name"])]
        try:
            path.write_text(dump_yaml(fields), encoding="utf-8")
        except OSError as error:
            raise CommandError(
                f"cannot write {path}: {error.strerror}; {written} of {len(live)} source(s) "
                f"were written, so {directory} is incomplete"
            ) from None
    print(f"Exported {len(live)} source(s) to {directory}.", file=out)
    return EXIT_OK


def _export_order() -> list[str]:
    # The create body's order: the fields a file holds are the ones a create sends.
    schema = spec.load().operation("createAssignmentSource").body_schema or {}
    return list(schema.get("properties") or {})


def _compute(arguments: argparse.Namespace, err: TextIO) -> tuple[Remote, Plan]:
    directory = _directory(arguments.directory)
    sources, problems = read_directory(directory)
    problems.extend(check(sources))
    if problems:
        for problem in problems:
            print(problem, file=err)
        raise CommandError(
            f"{len(problems)} problem(s) in {directory}; nothing was sent to Statsig"
        )
    remote = _remote(arguments)
    return remote, compute(sources, _live(remote), prune=arguments.prune)


def _plan(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    remote, plan = _compute(arguments, err)
    failures = _remote_validate(remote, plan, err) if arguments.remote_validate else 0
    out.write(render.as_json(plan) if arguments.json else render.text(plan))
    if failures:
        raise CommandError(f"Statsig rejected {failures} planned change(s) in the dry run")
    return EXIT_CHANGES if plan.pending else EXIT_OK


def _remote_validate(remote: Remote, plan: Plan, err: TextIO) -> int:
    failures = 0
    for change in plan.changes:
        try:
            send(remote, change, dry_run=True)
        except (StatsigApiError, httpx.HTTPError) as error:
            failures += 1
            print(f"dry run of {change.kind} {describe(change)} failed: {error}", file=err)
    return failures


def _apply(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    remote, plan = _compute(arguments, err)
    out.write(render.text(plan))
    if not plan.pending:
        return EXIT_OK
    if not arguments.yes and not _confirmed(len(plan.changes), out):
        raise CommandError("not applied (answer 'yes', or pass --yes)")
    out.flush()
    outcome = carry_out(remote, plan, reporter_for(out), fail_fast=arguments.fail_fast)
    print(outcome.summary(), file=out)
    return EXIT_ERROR if outcome.failed else EXIT_OK


def _confirmed(count: int, out: TextIO) -> bool:
    if not sys.stdin.isatty():
        raise CommandError("refusing to apply without a terminal to confirm on: pass --yes")
    out.write(f"Apply these {count} change(s)? Only 'yes' is accepted: ")
    out.flush()
    return sys.stdin.readline().strip() == "yes"
