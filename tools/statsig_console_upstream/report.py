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


def render_text(found: Sequence[Difference], ours: LoadedDocument, theirs: LoadedDocument) -> str:
    lines = [
        "Comparing our operations with Statsig's (matched by method and path)",
        f"  ours:    {ours.source} (OpenAPI {ours.openapi_version})",
        f"  Statsig: {theirs.source} (OpenAPI {theirs.openapi_version})",
        "",
    ]
    if not found:
        lines.append("No differences: our spec matches Statsig's document for these operations.")
        return "\n".join(lines) + "\n"
    breaking = [d for d in found if d.breaking]
    for title, group in (("BREAKING", breaking), ("INFORMATIONAL", found[len(breaking) :])):
        if group:
            lines += [f"{title} ({len(group)})", *_table(group), ""]
    verdict = "update the spec before Statsig's change reaches your users"
    verdict = verdict if breaking else "nothing breaks; consider documenting what is new"
    lines.append(
        f"{len(breaking)} breaking, {len(found) - len(breaking)} informational: {verdict}."
    )
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
