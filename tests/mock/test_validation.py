"""400 answers: every invalid request names the field and the broken rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .helpers import ENDPOINT, SpecChecker, minimal_body


def _message(client: httpx.Client, checker: SpecChecker, **kwargs: Any) -> str:
    response = client.post(ENDPOINT, **kwargs)
    assert response.status_code == 400, response.text
    message: str = checker.check(response)["message"]
    return message


def test_each_required_field_of_the_spec_is_enforced(
    client: httpx.Client, checker: SpecChecker, spec: dict[str, Any]
) -> None:
    required = spec["components"]["schemas"]["AssignmentSourceCreate"]["required"]
    assert required
    for field in required:
        body = minimal_body()
        del body[field]
        assert _message(client, checker, json=body) == f"{field}: is required"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": 3}, "name: must be a string, not an integer"),
        ({"sql": None}, "sql: must be a string, not null"),
        ({"isVerified": "yes"}, "isVerified: must be a boolean, not a string"),
        ({"tags": "a,b"}, "tags: must be an array, not a string"),
        ({"tags": ["a", 2]}, "tags[1]: must be a string, not an integer"),
        ({"idTypeMapping": {}}, "idTypeMapping: must be an array, not an object"),
        (
            {"idTypeMapping": [{"statsigUnitID": "stableID"}]},
            "idTypeMapping[0].column: is required",
        ),
        (
            {"idTypeMapping": [{"statsigUnitID": "a", "column": "b"}, "c"]},
            "idTypeMapping[1]: must be an object, not a string",
        ),
        (
            {"idTypeMapping": [{"statsigUnitID": 1, "column": "b"}]},
            "idTypeMapping[0].statsigUnitID: must be a string, not an integer",
        ),
        ({"owner": "me"}, "owner: must be an object or null"),
        ({"owner": {"ownerID": 7}}, "owner.ownerID: must be a string, not an integer"),
        ({"team": 5}, "team: must be a string or null, not an integer"),
        (
            {"scheduledReloadHour": 1.5},
            "scheduledReloadHour: must be an integer or null, not a number",
        ),
        (
            {"scheduledReloadHour": "6"},
            "scheduledReloadHour: must be an integer or null, not a string",
        ),
        ({"dryRun": "true"}, "dryRun: must be a boolean, not a string"),
    ],
)
def test_wrong_types_are_named(
    client: httpx.Client, checker: SpecChecker, changes: dict[str, Any], expected: str
) -> None:
    assert _message(client, checker, json=minimal_body(**changes)) == expected


def test_several_errors_are_reported_together(client: httpx.Client, checker: SpecChecker) -> None:
    body = minimal_body(name=1, tags=[None])
    del body["sql"]

    message = _message(client, checker, json=body)

    assert set(message.split("; ")) == {
        "sql: is required",
        "name: must be a string, not an integer",
        "tags[0]: must be a string, not null",
    }


def test_a_flood_of_errors_is_capped(client: httpx.Client, checker: SpecChecker) -> None:
    message = _message(client, checker, json=minimal_body(tags=list(range(100))))

    parts = message.split("; ")
    assert parts[-1] == "(more errors not shown)"
    assert len(parts) == 11


def test_a_large_body_is_checked_up_to_its_first_error(
    client: httpx.Client, checker: SpecChecker
) -> None:
    message = _message(client, checker, json=minimal_body(tags=list(range(5000))))

    assert message.split("; ") == [
        "tags[0]: must be a string, not an integer",
        "(a body this large is checked up to its first error)",
    ]


def test_integral_floats_count_as_integers(client: httpx.Client) -> None:
    response = client.post(ENDPOINT, json=minimal_body(scheduledReloadHour=6.0))

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"name": ', "body: is not valid JSON"),
        (b"{'name': 'x'}", "body: is not valid JSON"),
        (b'{"a": NaN}', "body: is not valid JSON"),
        (b"\xef\xbb\xbf{}", "body: is not valid JSON"),
        (b'{"name": "\\ud800"}', "body: is not valid JSON"),
        (b"[" * 5000, "body: is not valid JSON"),
        (b'{"name": "caf\xe9"}', "body: is not valid UTF-8 (byte 13)"),
        (b"\xff\xfe{\x00}\x00", "body: is not valid UTF-8 (byte 0)"),
        (b"", "body: is required (a JSON object)"),
        (b"  \r\n ", "body: is required (a JSON object)"),
        (b"[]", "body: must be a JSON object, not array"),
        (b"null", "body: must be a JSON object, not null"),
        (b'"text"', "body: must be a JSON object, not string"),
        (b"42", "body: must be a JSON object, not integer"),
    ],
)
def test_bodies_that_are_not_a_json_object(
    client: httpx.Client, checker: SpecChecker, content: bytes, expected: str
) -> None:
    message = _message(
        client, checker, content=content, headers={"content-type": "application/json"}
    )

    assert message.startswith(expected)


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        (None, "Content-Type: is required and must be application/json"),
        ("text/plain", "Content-Type: must be application/json, not 'text/plain'"),
        ("application/jsonx", "Content-Type: must be application/json, not 'application/jsonx'"),
        ("application/x-www-form-urlencoded", "Content-Type: must be application/json"),
        ("application/json; charset=latin-1", "Content-Type: charset must be utf-8, not 'latin-1'"),
    ],
)
def test_wrong_or_missing_content_type(
    client: httpx.Client, checker: SpecChecker, content_type: str | None, expected: str
) -> None:
    content = httpx.Request("POST", "/", json=minimal_body()).content
    headers = {} if content_type is None else {"content-type": content_type}

    message = _message(client, checker, content=content, headers=headers)

    assert message.startswith(expected)


def test_invalid_requests_store_nothing(client: httpx.Client, mock_url: str) -> None:
    client.post(ENDPOINT, json=minimal_body(name=5))
    client.post(ENDPOINT, content=b"{", headers={"content-type": "application/json"})

    assert httpx.get(f"{mock_url}/_mock/sources").json() == []
