"""Shared helpers: the fixture documents and a shortcut from documents to differences."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from statsig_console_upstream.compare import Difference, compare
from statsig_console_upstream.load import LoadedDocument, find_operation
from statsig_console_upstream.normalize import Endpoint, normalize_endpoint

ROOT = Path(__file__).resolve().parents[2]
OUR_SPEC = ROOT / "openapi" / "statsig-console-api.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STATSIG_3_0 = FIXTURES / "statsig-openapi-3.0.json"
PATH = "/console/v1/experiments/assignment_sources"

Document = dict[str, Any]


def statsig_document() -> Document:
    """A fresh copy of the fixture in the shape of Statsig's document (safe to mutate)."""
    document: Document = json.loads(STATSIG_3_0.read_text(encoding="utf-8"))
    return document


def our_document() -> Document:
    document: Document = yaml.safe_load(OUR_SPEC.read_text(encoding="utf-8"))
    return document


def post(document: Document) -> dict[str, Any]:
    """The endpoint's operation object inside `document`."""
    operation: dict[str, Any] = document["paths"][PATH]["post"]
    return operation


def schemas(document: Document) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def request_schema(document: Document) -> dict[str, Any]:
    """The inline request body schema of the Statsig-shaped fixture."""
    found: dict[str, Any] = post(document)["requestBody"]["content"]["application/json"]["schema"]
    return found


def endpoint(document: Document, *, source: str = "test", descriptions: bool = False) -> Endpoint:
    loaded = LoadedDocument(source=source, document=copy.deepcopy(document))
    return normalize_endpoint(loaded, find_operation(loaded), descriptions=descriptions)


def differences(
    upstream: Document, ours: Document | None = None, *, descriptions: bool = False
) -> list[Difference]:
    return compare(
        endpoint(ours if ours is not None else our_document(), descriptions=descriptions),
        endpoint(upstream, descriptions=descriptions),
        descriptions=descriptions,
    )


def summary(found: list[Difference]) -> set[tuple[str, str, str]]:
    """(location, kind, severity) of each difference: what the tests pin down."""
    return {(d.location, d.kind.value, d.severity.value) for d in found}
