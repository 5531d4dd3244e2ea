"""A loopback server that keeps assignment sources and answers the five operations like
Statsig: pages with ``nextPage`` links, 404 for unknown names, 400 with field errors.

Routes, bodies and defaults come from the spec module; a request body is checked
against the operation's body schema, and each failure becomes one ``errors`` entry.
It stands in for the mock while the mock serves create only.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import attrs
import jsonschema

from statsig_console import spec
from tests.loopback import loopback_http

SPEC = spec.load()
NOT_FOUND = SPEC.operation("deleteAssignmentSource").responses[404].examples["not_found"]
# What Statsig fills in on a stored source when the request left it out.
STORED_DEFAULTS: dict[str, Any] = {
    "description": "",
    "tags": [],
    "owner": None,
    "team": None,
    "teamID": None,
    "scheduledReloadHour": None,
}
# Statsig documents no default page size; this one is small so that tests see pages.
DEFAULT_LIMIT = 10


@attrs.frozen
class Request:
    method: str
    # As sent, still percent-encoded.
    raw_path: str
    headers: dict[str, str]


@attrs.define
class StatsigServer:
    url: str = ""
    sources: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    received: list[Request] = attrs.field(factory=list)
    lock: threading.Lock = attrs.field(factory=threading.Lock)

    def requests(self, operation_id: str) -> list[Request]:
        """The requests that reached ``operation_id``."""
        operation = SPEC.operation(operation_id)
        pattern = _pattern(operation.path)
        return [
            r
            for r in self.received
            if r.method == operation.method and pattern.fullmatch(urlsplit(r.raw_path).path)
        ]

    def add(self, *names: str) -> None:
        """Store sources named ``names``, built from the spec's created example."""
        example = SPEC.operation("createAssignmentSource").success.examples["created"]["data"]
        for name in names:
            self.sources[name] = {**example, "name": name}

    def answer(self, method: str, target: str, body: bytes) -> tuple[int, dict[str, Any]]:
        split = urlsplit(target)
        for operation in SPEC:
            match = _pattern(operation.path).fullmatch(split.path)
            if match is None or operation.method != method:
                continue
            names = {key: unquote(value) for key, value in match.groupdict().items()}
            query = {key: values[-1] for key, values in parse_qs(split.query).items()}
            try:
                parsed = json.loads(body) if body else None
            except ValueError:
                return 400, {"status": 400, "message": "Invalid request: body is not JSON"}
            with self.lock:
                return self._operation(operation, names.get("name", ""), query, parsed)
        return 404, dict(NOT_FOUND)

    def _operation(
        self, operation: spec.Operation, name: str, query: dict[str, str], body: Any
    ) -> tuple[int, dict[str, Any]]:
        if operation.body_schema_pointer is not None:
            problems = _problems(operation, body)
            if problems:
                return 400, {
                    "status": 400,
                    "message": "Invalid request. Please check the request input and try again.",
                    "errors": problems,
                }
        success = operation.success.status
        if operation.operation_id == "listAssignmentSources":
            return success, self._page(operation, query)
        if operation.operation_id == "createAssignmentSource":
            if body["name"] in self.sources:
                return 400, _taken(body["name"])
            return success, {
                "message": "Assignment Source created successfully",
                "data": self._store(body["name"], {}, body),
            }
        if name not in self.sources:
            return 404, dict(NOT_FOUND)
        if operation.operation_id == "deleteAssignmentSource":
            del self.sources[name]
            return success, {"message": "Assignment source deleted successfully."}
        new_name = body.get("name", name)
        if new_name != name and new_name in self.sources:
            return 400, _taken(new_name)
        # An update replaces the source; a patch keeps what it does not set.
        patch = operation.operation_id == "patchAssignmentSource"
        kept = self.sources[name] if patch else {}
        if body.get("dryRun"):
            return success, {"message": "ok", "data": {**kept, **body, "name": new_name}}
        del self.sources[name]
        stored = self._store(new_name, kept, body)
        return success, {"message": "Assignment Source updated successfully", "data": stored}

    def _store(self, name: str, kept: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        stored = {**STORED_DEFAULTS, **kept, **body, "name": name}
        stored.pop("dryRun", None)
        if not body.get("dryRun"):
            self.sources[name] = stored
        return stored

    def _page(self, operation: spec.Operation, query: dict[str, str]) -> dict[str, Any]:
        limit = int(query.get("limit", DEFAULT_LIMIT))
        number = int(query.get("page", 1))
        everything = list(self.sources.values())
        data = everything[(number - 1) * limit : number * limit]

        def link(page: int) -> str:
            return f"{operation.path}?{urlencode({'page': page, 'limit': limit})}"

        last = number * limit >= len(everything)
        return {
            "message": "Assignment Sources listed successfully.",
            "data": data,
            "pagination": {
                "itemsPerPage": limit,
                "pageNumber": number,
                "totalItems": len(everything),
                "nextPage": None if last else link(number + 1),
                "previousPage": None if number == 1 else link(number - 1),
                "all": operation.path,
            },
        }


def _taken(name: str) -> dict[str, Any]:
    return {"status": 400, "message": f"An assignment source named {name} already exists."}


def _pattern(template: str) -> re.Pattern[str]:
    # Every {param} is one encoded path segment.
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)))


def _problems(operation: spec.Operation, body: Any) -> list[dict[str, str]]:
    validator = jsonschema.Draft202012Validator(
        {"$ref": spec.SPEC_URI + str(operation.body_schema_pointer)}, registry=SPEC.registry
    )
    found = []
    for error in validator.iter_errors(body):
        path = [str(part) for part in error.absolute_path]
        if error.validator == "required" and isinstance(error.instance, dict):
            missing = [key for key in error.validator_value if key not in error.instance]
            path += missing[:1]
        found.append({"property": ".".join(path) or "body", "errorMessage": error.message})
    # Statsig's own example of field errors: a required column that is empty.
    schema = operation.body_schema or {}
    for key in schema.get("required", ()):
        if isinstance(body, dict) and body.get(key) == "":
            found.append({"property": key, "errorMessage": f"{key} should not be empty"})
    return found


def _handler_for(server: StatsigServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with server.lock:
                server.received.append(
                    Request(
                        method=self.command,
                        raw_path=self.path,
                        headers={key.lower(): value for key, value in self.headers.items()},
                    )
                )
            status, answer = server.answer(self.command, self.path, body)
            payload = json.dumps(answer).encode()
            self.send_response_only(status, "Answered")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(payload)

        do_POST = do_PATCH = do_DELETE = do_GET

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def statsig_server(*names: str) -> Iterator[StatsigServer]:
    """Serve a project holding sources named ``names`` on 127.0.0.1, on a free port."""
    state = StatsigServer()
    state.add(*names)
    with loopback_http(_handler_for(state)) as state.url:
        yield state
