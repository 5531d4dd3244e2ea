"""Render differences as a table for people, or as JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from statsig_console_upstream.compare import Difference
from statsig_console_upstream.load import LoadedDocument

HEADERS = ("operation", "where", "change", "ours", "Statsig")
# A column wider than this wraps the table on an ordinary terminal; cut the value instead.
MAX_COLUMN = 48


def _cell(value: str | None) -> str:
    text = "-" if value is None else value
    return text if len(text) <= MAX_COLUMN else text[: MAX_COLUMN - 1] + "…"


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


def render_text(
    differences: Sequence[Difference], ours: LoadedDocument, upstream: LoadedDocument
) -> str:
    breaking = [d for d in differences if d.breaking]
    informational = [d for d in differences if not d.breaking]
    lines = [
        "Comparing our operations with Statsig's (matched by method and path)",
        f"  ours:    {ours.source} (OpenAPI {ours.openapi_version})",
        f"  Statsig: {upstream.source} (OpenAPI {upstream.openapi_version})",
        "",
    ]
    if not differences:
        lines.append("No differences: our spec matches Statsig's document for these operations.")
        return "\n".join(lines) + "\n"
    for title, group in (("BREAKING", breaking), ("INFORMATIONAL", informational)):
        if group:
            lines += [f"{title} ({len(group)})", *_table(group), ""]
    verdict = (
        "update the spec before Statsig's change reaches your users"
        if breaking
        else "nothing breaks; consider documenting what is new"
    )
    lines.append(f"{len(breaking)} breaking, {len(informational)} informational: {verdict}.")
    return "\n".join(lines) + "\n"


def render_json(
    differences: Sequence[Difference], ours: LoadedDocument, upstream: LoadedDocument
) -> str:
    groups = {
        severity: [asdict(d) for d in differences if d.severity == severity]
        for severity in ("breaking", "informational")
    }
    payload = {
        "ours": {"source": ours.source, "openapi": ours.openapi_version},
        "upstream": {"source": upstream.source, "openapi": upstream.openapi_version},
        "summary": {severity: len(group) for severity, group in groups.items()},
        **groups,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
