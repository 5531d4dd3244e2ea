"""`scripts/compare-upstream SOURCE`: compare our spec's Create Assignment Source endpoint
with Statsig's published Console API OpenAPI document.

Exit status: 0 when nothing is breaking, 1 when something is, 2 when a document cannot
be read or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from statsig_console_upstream.compare import Difference, Severity, compare
from statsig_console_upstream.load import (
    DEFAULT_TIMEOUT_SECONDS,
    Fetcher,
    LoadError,
    find_operation,
    http_fetcher,
    load_document,
)
from statsig_console_upstream.normalize import Endpoint, NormalizeError, normalize_endpoint
from statsig_console_upstream.report import Side, render_json, render_text

SPEC_IN_WORKSPACE = Path("openapi") / "statsig-console-api.yaml"
# Run from the workspace (an editable install), the package lives in its src/. Installed
# elsewhere it does not, and the spec is looked for in the current directory instead.
OUR_SPEC = Path(__file__).resolve().parents[2] / SPEC_IN_WORKSPACE


def default_our_spec() -> Path | None:
    """Our spec: the workspace's, else ./openapi/statsig-console-api.yaml; None if neither."""
    for candidate in (OUR_SPEC, Path.cwd() / SPEC_IN_WORKSPACE):
        if candidate.is_file():
            return candidate
    return None


def load_endpoint(source: str, *, descriptions: bool, fetcher: Fetcher | None = None) -> Endpoint:
    loaded = load_document(source, fetcher)
    return normalize_endpoint(loaded, find_operation(loaded), descriptions=descriptions)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/compare-upstream",
        description=(
            "Compare POST /console/v1/experiments/assignment_sources in our spec with "
            "Statsig's published Console API OpenAPI document. Exits 1 when a "
            "difference is breaking, 2 when a document cannot be read."
        ),
    )
    parser.add_argument(
        "source",
        metavar="SOURCE",
        help="Statsig's document: a file path or an https URL (JSON or YAML)",
    )
    parser.add_argument(
        "--ours",
        metavar="PATH",
        help=f"our spec (default: the workspace's {SPEC_IN_WORKSPACE}, "
        "else the one under the current directory)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--descriptions", action="store_true", help="also report description changes"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_SECONDS,
        help="seconds to wait when downloading (default: %(default)s)",
    )
    return parser


def main(argv: Sequence[str] | None = None, *, fetcher: Fetcher | None = None) -> int:
    args = build_parser().parse_args(argv)
    fetch = fetcher or http_fetcher(timeout=args.timeout)
    ours_source: str | None = args.ours
    if ours_source is None:
        found = default_our_spec()
        if found is None:
            print(
                f"compare-upstream: cannot find our spec (neither {OUR_SPEC} nor "
                f"./{SPEC_IN_WORKSPACE} exists); pass --ours PATH",
                file=sys.stderr,
            )
            return 2
        ours_source = str(found)
    try:
        ours = load_endpoint(ours_source, descriptions=args.descriptions, fetcher=fetch)
        upstream = load_endpoint(args.source, descriptions=args.descriptions, fetcher=fetch)
        differences: list[Difference] = compare(ours, upstream, descriptions=args.descriptions)
    except (LoadError, NormalizeError) as error:
        print(f"compare-upstream: {error}", file=sys.stderr)
        return 2
    except (RecursionError, TypeError, AttributeError, ValueError) as error:
        # A document shaped in a way the checks above do not foresee is still an
        # unreadable document, not a breaking change: exit 2, never 1.
        reason = " ".join(str(error).split()) or type(error).__name__
        print(
            f"compare-upstream: cannot process the documents ({type(error).__name__}: {reason})",
            file=sys.stderr,
        )
        return 2
    sides = (
        Side(ours.source, ours.openapi_version),
        Side(upstream.source, upstream.openapi_version),
    )
    render = render_json if args.json else render_text
    sys.stdout.write(render(differences, *sides))
    return 1 if any(d.severity is Severity.BREAKING for d in differences) else 0


if __name__ == "__main__":
    sys.exit(main())
