"""Bounds on what one client can do to the mock: body depth, store size, admin routes, Host."""

from __future__ import annotations

import json

import httpx
import pytest

from statsig_console_mock import DEFAULT_API_KEY, MockSettings
from statsig_console_mock.hosts import host_name
from statsig_console_mock.server import build_parser, settings_from_args
from statsig_console_mock.settings import DEFAULT_MAX_BODY_DEPTH, MAX_BODY_DEPTH_CEILING
from statsig_console_mock.testing import reset_mock, run_mock_server, stored_sources

from .helpers import CREATE, ENDPOINT, SpecChecker, minimal_body, unique_name

HEADERS = {CREATE.key_header or "": DEFAULT_API_KEY}
LIMIT = DEFAULT_MAX_BODY_DEPTH
# Around the documented limit, where the validator (about 255) and the encoder (about
# 252) used to give up, and where the JSON parser does (1,024).
DEPTHS = sorted({*range(LIMIT - 2, LIMIT + 3), *range(249, 258), *range(1021, 1028)})


def _arrays(levels: int) -> str:
    return "[" * levels + "]" * levels


def _objects(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def _nested(body: dict[str, object], depth: int, shape: str) -> bytes:
    """``body`` with an undeclared field whose value makes the whole body ``depth`` deep.

    The field sits at the top (levels 2 on) or in the first idTypeMapping item
    (levels 4 on), where it is kept in the stored record.
    """
    text = json.dumps(body)
    if shape == "top-arrays":
        return (text[:-1] + ', "extraField": ' + _arrays(depth - 1) + "}").encode()
    if shape == "top-objects":
        return (text[:-1] + ', "extraField": ' + _objects(depth - 1) + "}").encode()
    item = '"column": "user_id"'
    assert item in text
    return text.replace(item, item + ', "extraField": ' + _objects(depth - 3), 1).encode()


SHAPES = ["top-arrays", "top-objects", "in-an-item"]


def _post(base_url: str, raw: bytes) -> httpx.Response:
    headers = {**HEADERS, "Content-Type": "application/json"}
    return httpx.post(f"{base_url}{ENDPOINT}", content=raw, headers=headers, timeout=30)


def _assert_refused(
    response: httpx.Response, checker: SpecChecker, depth: int, *, within_limit: str
) -> None:
    """A 400 that says ``within_limit`` up to the depth limit, and names the limit past it."""
    assert response.status_code == 400
    message = checker.check(response)["message"]
    if depth <= LIMIT:
        assert within_limit in message
    else:
        assert f"at most {LIMIT} levels are accepted" in message


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("depth", DEPTHS)
def test_a_valid_body_is_accepted_up_to_the_depth_limit_and_refused_past_it(
    mock_url: str, checker: SpecChecker, depth: int, shape: str
) -> None:
    response = _post(mock_url, _nested(minimal_body(), depth, shape))

    body = checker.check(response)
    if depth <= LIMIT:
        assert response.status_code == 201
    else:
        assert response.status_code == 400
        assert f"at most {LIMIT} levels are accepted" in body["message"]
        assert stored_sources(mock_url) == []


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("depth", DEPTHS)
def test_an_invalid_body_is_a_400_at_every_depth(
    mock_url: str, checker: SpecChecker, depth: int, shape: str
) -> None:
    invalid = minimal_body()
    del invalid["name"]
    response = _post(mock_url, _nested(invalid, depth, shape))

    _assert_refused(response, checker, depth, within_limit="name: is required")


@pytest.mark.parametrize("depth", [LIMIT, LIMIT + 1, 255, 256])
def test_depth_inside_a_declared_field_counts_too(
    mock_url: str, checker: SpecChecker, depth: int
) -> None:
    # idTypeMapping is level 2, its item level 3, the column's arrays the rest.
    inner = depth - 3
    column = _arrays(inner)
    text = json.dumps(minimal_body())[:-1].replace('"column": "user_id"', '"column": ' + column)
    response = _post(mock_url, (text + "}").encode())

    _assert_refused(
        response, checker, depth, within_limit="idTypeMapping[0].column: must be a string"
    )


def test_the_depth_limit_is_configurable_within_its_ceiling() -> None:
    with run_mock_server(MockSettings(max_body_depth=5)) as base_url:
        assert _post(base_url, _nested(minimal_body(), 5, "top-objects")).status_code == 201
        refused = _post(base_url, _nested(minimal_body(), 6, "top-objects"))
        assert refused.status_code == 400
        assert "at most 5 levels are accepted" in refused.json()["message"]
    for wrong in (0, MAX_BODY_DEPTH_CEILING + 1):
        with pytest.raises(ValueError, match="max_body_depth"):
            MockSettings(max_body_depth=wrong)


def test_a_full_store_refuses_creates_with_a_400_that_says_how_to_raise_it(
    checker: SpecChecker,
) -> None:
    with run_mock_server(MockSettings(max_sources=3)) as base_url:
        created = [
            httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)
            for _ in range(3)
        ]
        refused = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)

        assert [response.status_code for response in created] == [201, 201, 201]
        assert refused.status_code == 400
        message = checker.check(refused)["message"]
        assert "store is full" in message
        assert "--max-sources" in message
        assert len(stored_sources(base_url)) == 3
        # A name already stored is still a duplicate, not a full store.
        taken = httpx.post(f"{base_url}{ENDPOINT}", json=created[0].json()["data"], headers=HEADERS)
        assert "already exists" in taken.json()["message"]
        reset_mock(base_url)
        again = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)
        assert again.status_code == 201


def test_the_store_is_bounded_in_bytes(checker: SpecChecker) -> None:
    sql = "SELECT 1 -- " + "x" * 10_000
    with run_mock_server(MockSettings(max_store_bytes=35_000)) as base_url:
        statuses = [
            httpx.post(
                f"{base_url}{ENDPOINT}", json=minimal_body(sql=sql), headers=HEADERS
            ).status_code
            for _ in range(5)
        ]
        refused = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(sql=sql), headers=HEADERS)
        small = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)

        assert statuses == [201, 201, 201, 400, 400]
        assert "--max-store-bytes" in checker.check(refused)["message"]
        # What still fits is stored: the bound is on bytes, not a count.
        assert small.status_code == 201
        assert len(stored_sources(base_url)) == 4


@pytest.mark.parametrize("setting", ["max_sources", "max_store_bytes"])
def test_store_bounds_must_be_positive(setting: str) -> None:
    with pytest.raises(ValueError, match=setting):
        MockSettings(**{setting: 0})  # type: ignore[arg-type]


def test_reset_needs_an_accepted_key(mock_url: str, client: httpx.Client) -> None:
    assert client.post(ENDPOINT, json=minimal_body()).status_code == 201
    key_header = CREATE.key_header or ""

    for headers in ({}, {key_header: "not-an-accepted-key"}, {key_header: ""}):
        refused = httpx.post(f"{mock_url}/_mock/reset", headers=headers)
        assert refused.status_code == 401
        assert refused.json()["status"] == 401
        assert key_header in refused.json()["message"]
    assert len(stored_sources(mock_url)) == 1

    assert httpx.post(f"{mock_url}/_mock/reset", headers=HEADERS).status_code == 200
    assert stored_sources(mock_url) == []


def test_a_cross_site_form_post_cannot_reset(mock_url: str, client: httpx.Client) -> None:
    assert client.post(ENDPOINT, json=minimal_body()).status_code == 201

    form = httpx.post(
        f"{mock_url}/_mock/reset",
        data={"x": "1"},
        headers={"Origin": "https://attacker.example"},
    )

    assert form.status_code == 401
    assert len(stored_sources(mock_url)) == 1


@pytest.mark.parametrize("host", ["attacker.example", "127.0.0.1.attacker.example", "x"])
@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/_mock/sources"), ("POST", "/_mock/reset"), ("POST", ENDPOINT)]
)
def test_other_host_names_are_refused_on_every_route(
    mock_url: str, checker: SpecChecker, host: str, method: str, path: str
) -> None:
    port = mock_url.rsplit(":", 1)[1]
    response = httpx.request(
        method,
        f"{mock_url}{path}",
        json=minimal_body(),
        headers={**HEADERS, "Host": f"{host}:{port}"},
    )

    assert response.status_code == 400
    message = checker.check(response)["message"]
    assert host in message
    assert "--allowed-host" in message


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_loopback_names_are_answered_with_or_without_a_port(mock_url: str, host: str) -> None:
    port = mock_url.rsplit(":", 1)[1]
    for value in (host, f"{host}:{port}"):
        response = httpx.get(f"{mock_url}/_mock/sources", headers={"Host": value})
        assert response.status_code == 200


def test_an_allowed_host_can_be_added() -> None:
    settings = MockSettings(allowed_hosts=("127.0.0.1", "mock.internal"))
    with run_mock_server(settings) as base_url:
        name = unique_name()
        allowed = httpx.post(
            f"{base_url}{ENDPOINT}",
            json=minimal_body(name),
            headers={**HEADERS, "Host": "mock.internal:9"},
        )
        refused = httpx.get(f"{base_url}/_mock/sources", headers={"Host": "localhost"})

    assert allowed.status_code == 201
    assert refused.status_code == 400


# A Host header's value -> the host name the allow-list is checked against.
HOST_NAMES = {
    "127.0.0.1:8089": "127.0.0.1",
    "LocalHost": "localhost",
    "[::1]:80": "::1",
    "[::1]": "::1",
    "evil.example:1": "evil.example",
}


@pytest.mark.parametrize(("value", "name"), HOST_NAMES.items())
def test_host_name_drops_the_port_and_brackets(value: str, name: str) -> None:
    assert host_name(value) == name


def test_the_command_line_sets_the_new_limits() -> None:
    args = build_parser().parse_args(
        [
            "--host",
            "192.0.2.7",
            "--allowed-host",
            "mock.internal",
            "--max-body-depth",
            "10",
            "--max-sources",
            "7",
            "--max-store-bytes",
            "1000",
        ]
    )
    settings = settings_from_args(args)

    assert settings.allowed_hosts == ("127.0.0.1", "localhost", "::1", "192.0.2.7", "mock.internal")
    assert (settings.max_body_depth, settings.max_sources, settings.max_store_bytes) == (
        10,
        7,
        1000,
    )


def test_a_wildcard_bind_adds_no_host_name() -> None:
    settings = settings_from_args(build_parser().parse_args(["--host", "0.0.0.0"]))

    assert settings.allowed_hosts == ("127.0.0.1", "localhost", "::1")
