"""Shared helpers: the spec, independent response checks, and request builders."""

from __future__ import annotations

import itertools
import socket
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import referencing
import yaml
from referencing.jsonschema import DRAFT202012

from statsig_console import spec as console_spec
from statsig_console_mock import DEFAULT_API_KEY

# The lifecycle's operations, as the spec describes them.
LIST = console_spec.load().operation("listAssignmentSources")
CREATE = console_spec.load().operation("createAssignmentSource")
UPDATE = console_spec.load().operation("updateAssignmentSource")
PATCH = console_spec.load().operation("patchAssignmentSource")
DELETE = console_spec.load().operation("deleteAssignmentSource")
ENDPOINT = CREATE.path
_counter = itertools.count()


def spec_path() -> Path:
    return Path(__file__).resolve().parents[2] / "openapi" / "statsig-console-api.yaml"


def load_spec(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def unique_name(prefix: str = "source") -> str:
    return f"{prefix}-{next(_counter)}"


def minimal_body(name: Any = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name or unique_name(),
        "sql": "SELECT * FROM analytics.exposures",
        "timestampColumn": "ts",
        "experimentIDColumn": "experiment_name",
        "groupIDColumn": "group_id",
        "idTypeMapping": [{"statsigUnitID": "stableID", "column": "user_id"}],
    }
    body.update(extra)
    return body


class SpecChecker:
    """Checks the mock's responses against the spec's response schemas.

    Uses the pure-Python ``jsonschema`` package, not the validator the mock runs on,
    so a shared bug cannot hide a drift.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self._spec = spec
        resource = referencing.Resource.from_contents(spec, default_specification=DRAFT202012)
        self._registry: referencing.Registry[Any] = referencing.Registry().with_resource(
            "urn:spec", resource
        )
        # Where each declared answer's schema sits, by operation, whether written inline
        # or shared through components/responses.
        self._pointers = {
            operation.operation_id: {
                str(status): response.schema_pointer
                for status, response in operation.responses.items()
                if response.schema_pointer is not None
            }
            for operation in console_spec.from_document(spec)
        }

    def _validator(self, pointer: str) -> jsonschema.Draft202012Validator:
        return jsonschema.Draft202012Validator(
            {"$ref": f"urn:spec#{pointer}"}, registry=self._registry
        )

    def check(self, response: httpx.Response, operation_id: str = CREATE.operation_id) -> Any:
        """Validate ``response`` as an answer of ``operation_id`` and return its JSON body.

        Statuses the spec declares are checked against their schema (and, for 429,
        the Retry-After header); the rest must still use the error shape.
        """
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        status = str(response.status_code)
        pointers = self._pointers[operation_id]
        if status in pointers:
            pointer = pointers[status].removeprefix("#")
            if status == "429":
                assert int(response.headers["retry-after"]) >= 0
        else:
            pointer = "/components/schemas/ErrorResponse"
        self._validator(pointer).validate(body)
        if response.status_code >= 400:
            assert body["status"] == response.status_code
        return body


def raw_exchange(base_url: str, request: bytes, *, timeout: float = 10.0) -> bytes:
    """Send bytes as they are and return everything the server answers until it closes."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        chunks: list[bytes] = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks)


def raw_create(
    content_length: int | str, body: bytes = b"", *, close: bool = False, padding: str = ""
) -> bytes:
    """A create request as raw bytes, its Content-Length said as given, true or not.

    ``padding`` follows the key's and the content type's values, as a client might send.
    """
    head = (
        f"POST {ENDPOINT} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"STATSIG-API-KEY: {DEFAULT_API_KEY}{padding}\r\n"
        f"Content-Type: application/json{padding}\r\nContent-Length: {content_length}\r\n"
        + ("Connection: close\r\n" if close else "")
        + "\r\n"
    )
    return head.encode() + body


def status_of(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1])


def parse_raw(raw: bytes) -> httpx.Response:
    """An ``httpx.Response`` from a raw HTTP/1.1 answer with a Content-Length body."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    headers: list[tuple[bytes, bytes]] = []
    for line in lines[1:]:
        name, _, value = line.partition(b": ")
        headers.append((name, value))
    return httpx.Response(status_of(raw), headers=headers, content=body)
