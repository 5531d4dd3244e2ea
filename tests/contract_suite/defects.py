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


# Defects of the rest of the lifecycle. They see every path: the collection and the
# path of one source.

_LIST_PATH = spec.load().operation("listAssignmentSources").path
SOURCE_PREFIX = spec.load().operation("updateAssignmentSource").path.partition("{")[0]
# Marks a request a defect rewrote, so its answer can be rewritten to match.
_WAS = "contract_suite.defect.was"


def _raw_path(scope: Scope) -> str:
    raw = scope.get("raw_path") or scope["path"].encode()
    return str(raw.decode("latin-1"))


def _on_source(scope: Scope) -> bool:
    return str(scope["path"]).startswith(SOURCE_PREFIX)


def skips_an_item_when_paging(scope: Scope, body: bytes, answer: Answer) -> None:
    payload = _parsed(answer.body)
    if scope["path"] != _LIST_PATH or answer.status != 200 or not isinstance(payload, dict):
        return
    if payload["pagination"]["pageNumber"] >= 2 and payload["data"]:
        del payload["data"][0]
        answer.set_json(payload)


def delete_does_nothing_request(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    if scope["method"] == "DELETE" and _on_source(scope):
        # An empty patch: the source stays, a missing one still answers 404.
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-type"]
        headers.append((b"content-type", b"application/json"))
        return {**scope, "method": "PATCH", "headers": headers, _WAS: "DELETE"}, b"{}"
    return scope, body


def delete_does_nothing_answer(scope: Scope, body: bytes, answer: Answer) -> None:
    if scope.get(_WAS) == "DELETE" and answer.status == 200:
        answer.set_json({"message": "Assignment source deleted successfully."})


def patch_clears_what_it_was_not_given(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    payload = _parsed(body)
    if scope["method"] == "PATCH" and _on_source(scope) and isinstance(payload, dict):
        payload = {"description": "", "tags": [], "isVerified": False, **payload}
        body = json.dumps(payload).encode()
    return scope, body


def rename_keeps_the_old_name_request(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    payload = _parsed(body)
    if _on_source(scope) and isinstance(payload, dict) and isinstance(payload.get("name"), str):
        new_name = payload.pop("name")
        return {**scope, _WAS: new_name}, json.dumps(payload).encode()
    return scope, body


def rename_keeps_the_old_name_answer(scope: Scope, body: bytes, answer: Answer) -> None:
    # Answers as if renamed; the source is still stored under the old name.
    payload = _parsed(answer.body)
    if _WAS in scope and answer.status == 200 and isinstance(payload, dict):
        payload["data"]["name"] = scope[_WAS]
        answer.set_json(payload)


def dry_run_update_persists(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    payload = _parsed(body)
    if scope["method"] == "POST" and _on_source(scope) and isinstance(payload, dict):
        payload.pop("dryRun", None)
        body = json.dumps(payload).encode()
    return scope, body


def answers_200_for_404(scope: Scope, body: bytes, answer: Answer) -> None:
    if answer.status == 404 and _on_source(scope):
        answer.status = 200


def _non_ascii(text: str) -> bool:
    return not text.isascii()


def fails_on_non_ascii_names(scope: Scope, body: bytes, answer: Answer) -> None:
    payload = _parsed(body)
    name = payload.get("name") if isinstance(payload, dict) else None
    in_path = _on_source(scope) and _non_ascii(str(scope["path"]))
    if in_path or (isinstance(name, str) and _non_ascii(name)):
        answer.status = 500
        answer.headers = [(b"content-type", b"application/json")]
        answer.set_json({"status": 500, "message": "Internal server error"})


@dataclass(frozen=True)
class LifecycleDefect:
    """A defect of list, update, patch or delete, and what must catch it.

    ``caught_by`` is a check of the summary (the property tests run, or with
    ``stateful`` the walk of the spec's links) or a behaviour test of
    ``test_behaviours.py`` (that file runs).
    """

    name: str
    caught_by: str
    on_request: RequestRewrite | None = None
    on_answer: AnswerRewrite | None = None
    stateful: bool = False

    @property
    def by_check(self) -> bool:
        return not self.caught_by.startswith("test_")

    @property
    def suite(self) -> str:
        if not self.by_check:
            return "contract_tests/test_behaviours.py"
        return f"contract_tests/test_{'stateful' if self.stateful else 'contract'}.py"


LIFECYCLE_DEFECTS = (
    LifecycleDefect(
        "pagination skips an item",
        "test_pagination_returns_every_source_exactly_once",
        on_answer=skips_an_item_when_paging,
    ),
    LifecycleDefect(
        "a delete that does nothing",
        "test_delete_then_404_then_create_again",
        on_request=delete_does_nothing_request,
        on_answer=delete_does_nothing_answer,
    ),
    # The stateful phase follows a delete with the deleted name (the spec's links), so
    # schemathesis's own check sees the source still there.
    LifecycleDefect(
        "a delete that does nothing (check)",
        "use_after_free",
        on_request=delete_does_nothing_request,
        on_answer=delete_does_nothing_answer,
        stateful=True,
    ),
    LifecycleDefect(
        "a patch that clears fields it was not given",
        "test_patch_keeps_what_it_does_not_name",
        on_request=patch_clears_what_it_was_not_given,
    ),
    LifecycleDefect(
        "a rename that leaves the old name reachable",
        "test_a_rename_frees_the_old_name",
        on_request=rename_keeps_the_old_name_request,
        on_answer=rename_keeps_the_old_name_answer,
    ),
    LifecycleDefect(
        "a dry-run update that persists",
        "test_dry_run_changes_persist_nothing",
        on_request=dry_run_update_persists,
    ),
    LifecycleDefect(
        "a 404 answered with 200",
        "response_schema_conformance",
        on_answer=answers_200_for_404,
    ),
    LifecycleDefect(
        "a 404 answered with 200 (behaviour)",
        "test_delete_then_404_then_create_again",
        on_answer=answers_200_for_404,
    ),
    LifecycleDefect(
        "fails only on non-ASCII names",
        "not_a_server_error",
        on_answer=fails_on_non_ascii_names,
    ),
    LifecycleDefect(
        "fails only on non-ASCII names (behaviour)",
        "test_awkward_names_round_trip_in_bodies_and_paths",
        on_answer=fails_on_non_ascii_names,
    ),
)


# Another correct implementation: every message says something else. The behaviour
# tests assert the contract, so it must pass the whole suite as the mock does.

_OTHER_WORDS = "A different server's wording"


def rewords_every_message(scope: Scope, body: bytes, answer: Answer) -> None:
    payload = _parsed(answer.body)
    if not isinstance(payload, dict) or "message" not in payload:
        return
    payload["message"] = f"{_OTHER_WORDS} ({answer.status})"
    for item in payload.get("errors") or []:
        if isinstance(item, dict) and "errorMessage" in item:
            item["errorMessage"] = f"{_OTHER_WORDS}: {item.get('property')} is wrong"
    answer.set_json(payload)
