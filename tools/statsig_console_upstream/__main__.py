"""`scripts/compare-upstream SOURCE`: compare every operation of our spec with Statsig's
published Console API document and print the differences, as a table for people or as
JSON for machines. Exit status: 0 when nothing is breaking, 1 when something is, 2 when
a document cannot be used or the arguments are wrong."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict

from statsig_console import spec
from statsig_console_upstream import load
from statsig_console_upstream.compare import Difference, compare
from statsig_console_upstream.load import LoadedDocument
from statsig_console_upstream.normalize import Normalizer
from statsig_console_upstream.rules import table

HEADERS = ("operation", "where", "change", "ours", "Statsig")
# A column wider than this wraps the table on an ordinary terminal; cut the value instead.
MAX_COLUMN = 48

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


def _table(differences: Sequence[Difference]) -> list[str]:
    rows = [
        (d.operation, d.location, d.kind, _cell(d.ours), _cell(d.upstream)) for d in differences
    ]
    widths = [max(len(row[i]) for row in [HEADERS, *rows]) for i in range(len(HEADERS))]

    def line(cells: Sequence[str]) -> str:
        return ("  " + "  ".join(map(str.ljust, cells, widths))).rstrip()

    lines = [line(HEADERS), line(["-" * width for width in widths])]
    for difference, row in zip(differences, rows, strict=True):
        lines += [line(row), f"      why: {difference.reason}"]
    return lines


def _cell(value: str | None) -> str:
    # A description may span lines; JSON keeps it whole.
    text = "-" if value is None else " ".join(value.split())
    return text if len(text) <= MAX_COLUMN else text[: MAX_COLUMN - 1] + "…"


def render_text(found: Sequence[Difference], ours: LoadedDocument, theirs: LoadedDocument) -> str:
    lines = [
        "Comparing our operations with Statsig's (matched by method and path)",
        f"  ours:    {ours.source} (OpenAPI {ours.openapi_version})",
        f"  Statsig: {theirs.source} (OpenAPI {theirs.openapi_version})",
        "",
    ]
    breaking = [d for d in found if d.breaking]
    for title, group in (("BREAKING", breaking), ("INFORMATIONAL", found[len(breaking) :])):
        if group:
            lines += [f"{title} ({len(group)})", *_table(group), ""]
    if not found:
        lines.append("No differences: our spec matches Statsig's document for these operations.")
    else:
        verdict = "update the spec before Statsig's change reaches your users"
        verdict = verdict if breaking else "nothing breaks; consider documenting what is new"
        informational = len(found) - len(breaking)
        lines.append(f"{len(breaking)} breaking, {informational} informational: {verdict}.")
    return "\n".join(lines) + "\n"


def render_json(found: Sequence[Difference], ours: LoadedDocument, theirs: LoadedDocument) -> str:
    groups = {
        s: [asdict(d) for d in found if d.severity == s] for s in ("breaking", "informational")
    }
    payload = {
        "ours": {"source": ours.source, "openapi": ours.openapi_version},
        "upstream": {"source": theirs.source, "openapi": theirs.openapi_version},
        "summary": {severity: len(group) for severity, group in groups.items()},
        **groups,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None, *, fetcher: load.Fetcher | None = None) -> int:
    args = parser.parse_args(argv)
    if args.rules:
        sys.stdout.write(table())
        return 0
    if args.source is None:
        parser.error("the following arguments are required: SOURCE")
    fetch = fetcher or load.http_fetcher(timeout=args.timeout)
    try:
        if args.ours is None:
            packaged = spec.load()
            ours = LoadedDocument(packaged.source, dict(packaged.document))
        else:
            ours = load.load_document(args.ours, fetch)
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
