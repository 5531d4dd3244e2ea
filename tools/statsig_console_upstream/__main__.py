"""`scripts/compare-upstream SOURCE`: compare every operation of our spec with Statsig's
published Console API OpenAPI document.

Exit status: 0 when nothing is breaking, 1 when something is, 2 when a document cannot
be used or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from statsig_console import spec
from statsig_console_upstream.compare import NoCommonOperationError, compare
from statsig_console_upstream.load import (
    DEFAULT_TIMEOUT_SECONDS,
    Fetcher,
    LoadedDocument,
    LoadError,
    http_fetcher,
    load_document,
)
from statsig_console_upstream.normalize import NormalizeError, Normalizer
from statsig_console_upstream.report import Side, render_json, render_text
from statsig_console_upstream.rules import table


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/compare-upstream",
        description="Compare every operation of our spec with Statsig's published Console API "
        "OpenAPI document (matched by method and path). Exits 1 when a difference is "
        "breaking, 2 when a document cannot be used.",
    )
    add = parser.add_argument
    add("source", metavar="SOURCE", nargs="?", help="Statsig's document: a file or https URL")
    add("--ours", metavar="PATH", help="our spec (default: the one packaged with statsig-console)")
    add("--json", action="store_true", help="print JSON instead of a table")
    add("--descriptions", action="store_true", help="also report description changes")
    add("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="download timeout (s)")
    add("--rules", action="store_true", help="print the rule table (Markdown) and exit")
    return parser


def main(argv: Sequence[str] | None = None, *, fetcher: Fetcher | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.rules:
        sys.stdout.write(table())
        return 0
    if args.source is None:
        parser.error("the following arguments are required: SOURCE")
    fetch = fetcher or http_fetcher(timeout=args.timeout)
    try:
        if args.ours is None:
            packaged = spec.load()
            ours = LoadedDocument(packaged.source, dict(packaged.document))
        else:
            ours = load_document(args.ours, fetch)
        upstream = load_document(args.source, fetch)
        differences = compare(
            Normalizer(ours, descriptions=args.descriptions),
            Normalizer(upstream, descriptions=args.descriptions),
            descriptions=args.descriptions,
        )
    except (LoadError, NormalizeError, NoCommonOperationError, spec.SpecError) as error:
        print(f"compare-upstream: {error}", file=sys.stderr)
        return 2
    except (RecursionError, TypeError, AttributeError, ValueError) as error:
        # A document shaped in a way the checks above do not foresee is still an
        # unusable document, not a breaking change: exit 2, never 1.
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
    return 1 if any(d.breaking for d in differences) else 0


if __name__ == "__main__":
    sys.exit(main())
