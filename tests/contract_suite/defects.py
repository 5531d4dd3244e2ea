"""Broken variants of the mock, each with exactly one defect, for testing the suite.

Each defect is pure ASGI middleware over the real mock: it rewrites the request on
the way in or the answer on the way out, and leaves everything else alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from statsig_console import spec
from statsig_console_mock import DEFAULT_API_KEY

_CREATE = spec.load().operation("createAssignmentSource")
ENDPOINT = _CREATE.path
KEY_HEADER = (_CREATE.key_header or "").lower().encode()


@dataclass
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def set_json(self, payload: object) -> None:
        self.body = json.dumps(payload).encode()


RequestRewrite = Callable[[Scope, bytes], tuple[Scope, bytes]]
AnswerRewrite = Callable[[Scope, bytes, Answer], None]


class DefectMiddleware:
    """Buffers one request and its answer so a defect can rewrite either."""

    def __init__(
        self,
        app: ASGIApp,
        on_request: RequestRewrite | None = None,
        on_answer: AnswerRewrite | None = None,
        every_path: bool = False,
    ) -> None:
        self.app = app
        self.on_request = on_request
        self.on_answer = on_answer
        self.every_path = every_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (not self.every_path and scope["path"] != ENDPOINT):
            await self.app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if self.on_request is not None:
            scope, body = self.on_request(scope, body)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        answer = Answer(status=500, headers=[], body=b"")

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer.status = message["status"]
                answer.headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                answer.body += message.get("body", b"")

        await self.app(scope, replay, capture)
        if self.on_answer is not None:
            self.on_answer(scope, body, answer)
        headers = [(k, v) for k, v in answer.headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(answer.body)).encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})


def _parsed(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return None


def answers_200_instead_of_201(scope: Scope, body: bytes, answer: Answer) -> None:
    if answer.status == 201:
        answer.status = 200


def drops_a_required_response_field(scope: Scope, body: bytes, answer: Answer) -> None:
    if answer.status == 201:
        payload = answer.json()
        del payload["data"]["sql"]
        answer.set_json(payload)


def answers_500_on_some_valid_input(scope: Scope, body: bytes, answer: Answer) -> None:
    # Valid bodies that set isVerified get a server error.
    if answer.status == 201 and "isVerified" in answer.json()["data"]:
        answer.status = 500
        answer.set_json({"status": 500, "message": "Internal server error"})


def returns_text_plain(scope: Scope, body: bytes, answer: Answer) -> None:
    answer.headers = [(k, v) for k, v in answer.headers if k.lower() != b"content-type"]
    answer.headers.append((b"content-type", b"text/plain; charset=utf-8"))


def accepts_a_body_missing_a_required_field(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    payload = _parsed(body)
    if isinstance(payload, dict) and "sql" not in payload:
        # Fills the gap instead of rejecting the request.
        payload["sql"] = "SELECT 1"
        body = json.dumps(payload).encode()
    return scope, body


def accepts_a_request_without_the_key(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != KEY_HEADER]
    headers.append((KEY_HEADER, DEFAULT_API_KEY.encode()))
    return {**scope, "headers": headers}, body


@dataclass(frozen=True)
class Defect:
    name: str
    check: str
    title: str
    on_request: RequestRewrite | None = None
    on_answer: AnswerRewrite | None = None


DEFECTS = (
    Defect(
        "answers 200 instead of 201",
        "status_code_conformance",
        "Undocumented status code",
        on_answer=answers_200_instead_of_201,
    ),
    Defect(
        "drops a required response field",
        "response_schema_conformance",
        "Response violates schema",
        on_answer=drops_a_required_response_field,
    ),
    Defect(
        "accepts a body missing a required field",
        "negative_data_rejection",
        "Schema-violating request accepted",
        on_request=accepts_a_body_missing_a_required_field,
    ),
    Defect(
        "answers 500 on some valid input",
        "not_a_server_error",
        "Server error",
        on_answer=answers_500_on_some_valid_input,
    ),
    Defect(
        "accepts a request without the key",
        "ignored_auth",
        "API accepts requests without authentication",
        on_request=accepts_a_request_without_the_key,
    ),
    Defect(
        "returns text/plain",
        "content_type_conformance",
        "Undocumented Content-Type",
        on_answer=returns_text_plain,
    ),
)
