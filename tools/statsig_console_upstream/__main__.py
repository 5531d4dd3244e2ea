"""`scripts/compare-upstream SOURCE`: compare every operation of our spec with Statsig's
published Console API document. Exit status: 0 when nothing is breaking, 1 when something
is, 2 when a document cannot be used or the arguments are wrong."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from statsig_console import spec
from statsig_console_upstream import load
from statsig_console_upstream.compare import compare
from statsig_console_upstream.normalize import Normalizer
from statsig_console_upstream.report import render_json, render_text
from statsig_console_upstream.rules import table

parser = argparse.ArgumentParser(
    prog="scripts/compare-upstream",
    description="Compare every operation of our spec with Statsig's published Console API "
    "OpenAPI document (matched by method and path). Exits 1 when a difference is "
    "breaking, 2 when a document cannot be used.",
)
parser.add_argument("source", metavar="SOURCE", nargs="?", help="a file or https URL")
parser.add_argument("--ours", metavar="PATH", help="our spec (default: statsig-console's)")
parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
parser.add_argument("--descriptions", action="store_true", help="report description changes")
parser.add_argument("--timeout", type=float, default=load.DEFAULT_TIMEOUT_SECONDS, help="seconds")
parser.add_argument("--rules", action="store_true", help="print the rule table and exit")


def main(argv: Sequence[str] | None = None, *, fetcher: load.Fetcher | None = None) -> int:
    args = parser.parse_args(argv)
    if args.rules:
        sys.stdout.write(table())
        return 0
    if args.source is None:
        parser.error("the following arguments are required: SOURCE")
    fetch = fetcher or load.http_fetcher(timeout=args.timeout)
    try:
        packaged = spec.load() if args.ours is None else None
        ours = (
            load.LoadedDocument(packaged.source, dict(packaged.document))
            if packaged
            else load.load_document(args.ours, fetch)
        )
        upstream = load.load_document(args.source, fetch)
        normalizers = (Normalizer(d, descriptions=args.descriptions) for d in (ours, upstream))
        differences = compare(*normalizers)
    except (load.LoadError, spec.SpecError) as error:
        print(f"compare-upstream: {error}", file=sys.stderr)
        return 2
    except (RecursionError, TypeError, AttributeError, ValueError) as error:
        # A document shaped in a way the checks do not foresee is still an unusable
        # document, not a breaking change: exit 2, never 1.
        reason = f"{type(error).__name__}: {' '.join(str(error).split())}"
        print(f"compare-upstream: cannot process the documents ({reason})", file=sys.stderr)
        return 2
    sys.stdout.write((render_json if args.json else render_text)(differences, ours, upstream))
    return 1 if any(d.breaking for d in differences) else 0


if __name__ == "__main__":
    sys.exit(main())
