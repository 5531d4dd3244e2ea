"""Shared helpers: the fixture documents and a shortcut from documents to differences.

Endpoint paths come from the packaged spec (`statsig_console.spec`) or from the
fixtures themselves, never written down here.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from statsig_console import spec
from statsig_console_upstream.compare import Difference, compare
from statsig_console_upstream.load import LoadedDocument
from statsig_console_upstream.normalize import HTTP_METHODS, Normalizer, resource_key

ROOT = Path(__file__).resolve().parents[2]
OUR_SPEC = ROOT / "openapi" / "statsig-console-api.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Equivalent to our Create Assignment Source operation, in Statsig's style.
STATSIG_3_0 = FIXTURES / "statsig-openapi-3.0.json"
# All five operations on assignment sources, in Statsig's published style.
LIFECYCLE = FIXTURES / "statsig-lifecycle-openapi-3.0.json"
CREATE = spec.load().operation("createAssignmentSource")
PATH = CREATE.path

Document = dict[str, Any]


def read_json(path: Path) -> Document:
    document: Document = json.loads(path.read_text(encoding="utf-8"))
    return document


def statsig_document() -> Document:
    """A fresh copy of the create-only fixture (safe to mutate), create alone on its resource."""
    return create_only(read_json(STATSIG_3_0))


def our_document() -> Document:
    """Our spec's create operation alone, whatever else the spec describes."""
    document: Document = yaml.safe_load(OUR_SPEC.read_text(encoding="utf-8"))
    return create_only(document)


def create_only(document: Document) -> Document:
    """`document` without the other operations on the create operation's resource, so a
    test of one kind of change sees only that change."""
    paths: dict[str, Any] = document["paths"]
    for key in list(paths):
        if key != PATH and resource_key(key) == resource_key(PATH):
            del paths[key]
    for method in HTTP_METHODS:
        if method != CREATE.method.lower():
            paths[PATH].pop(method, None)
    return document


def operations(document: Document) -> dict[tuple[str, str], dict[str, Any]]:
    """Every operation object of `document` by (METHOD, path)."""
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def post(document: Document) -> dict[str, Any]:
    """The create operation's object inside `document`."""
    operation: dict[str, Any] = document["paths"][PATH][CREATE.method.lower()]
    return operation


def schemas(document: Document) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def request_schema(document: Document) -> dict[str, Any]:
    """The inline request body schema of the Statsig-shaped fixture."""
    found: dict[str, Any] = post(document)["requestBody"]["content"]["application/json"]["schema"]
    return found


def normalizer(document: Document, *, descriptions: bool = False) -> Normalizer:
    loaded = LoadedDocument(source="test", document=copy.deepcopy(document))
    return Normalizer(loaded, descriptions=descriptions)


def differences(
    upstream: Document, ours: Document | None = None, *, descriptions: bool = False
) -> list[Difference]:
    return compare(
        normalizer(ours if ours is not None else our_document(), descriptions=descriptions),
        normalizer(upstream, descriptions=descriptions),
    )


def summary(found: list[Difference]) -> set[tuple[str, str, str]]:
    """(location, kind, severity) of each difference: what the tests pin down."""
    return {(d.location, d.kind, d.severity) for d in found}
