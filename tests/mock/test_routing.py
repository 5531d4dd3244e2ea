"""Routing comes from the spec: an operation added to a copy is routed and checked, no code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from statsig_console_mock import DEFAULT_API_KEY, MockSettings
from statsig_console_mock.router import Found, NotAllowed, NotFound, Router
from statsig_console_mock.testing import run_mock_server

from .helpers import CREATE, ENDPOINT, minimal_body

HEADERS = {CREATE.key_header or "": DEFAULT_API_KEY}
WIDGETS = "/widgets"
WIDGET = "/widgets/{widgetID}"
ERROR = {"$ref": "#/components/schemas/ErrorResponse"}


def _json(schema: dict[str, Any], example: object | None = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": schema}
    if example is not None:
        media["example"] = example
    return {"content": {"application/json": media}}


def _widget_operations() -> dict[str, Any]:
    widget = {"type": "object", "required": ["label"], "properties": {"label": {"type": "string"}}}
    error = {"description": "refused", **_json(ERROR)}
    return {
        WIDGETS: {
            "get": {
                "operationId": "listWidgets",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}}
                ],
                "responses": {
                    "200": {"description": "ok", **_json({"type": "array"}, [{"label": "a"}])},
                    "400": error,
                },
            },
            "post": {
                "operationId": "createWidget",
                "security": [{"StatsigApiKey": []}],
                "requestBody": {"required": True, **_json(widget)},
                "responses": {
                    "201": {"description": "made", **_json(widget, {"label": "made"})},
                    "400": error,
                },
            },
        },
        WIDGET: {
            "get": {
                "operationId": "getWidget",
                "parameters": [
                    {
                        "name": "widgetID",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^w-"},
                    }
                ],
                "responses": {"200": {"description": "ok", **_json(widget, {"label": "one"})}},
            }
        },
    }


@pytest.fixture(scope="module")
def widgets_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    source = Path(__file__).resolve().parents[2] / "openapi" / "statsig-console-api.yaml"
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    document["paths"].update(_widget_operations())
    path: Path = tmp_path_factory.mktemp("spec") / "with-widgets.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    with run_mock_server(MockSettings(spec_path=path)) as base_url:
        yield base_url


def test_a_new_operation_validates_its_body(widgets_url: str) -> None:
    url = f"{widgets_url}{WIDGETS}"
    made = httpx.post(url, json={"label": "x"}, headers=HEADERS)
    missing = httpx.post(url, json={}, headers=HEADERS)
    wrong = httpx.post(url, json={"label": 3}, headers=HEADERS)
    no_key = httpx.post(url, json={"label": "x"})

    # No handler: the declared example, as Prism answers.
    assert (made.status_code, made.json()) == (201, {"label": "made"})
    assert (missing.status_code, missing.json()["message"]) == (400, "label: is required")
    assert wrong.json()["message"] == "label: must be a string, not an integer"
    assert no_key.status_code == 401
    # The security the operation declares, none elsewhere: the list needs no key.
    assert httpx.get(url).status_code == 200


def test_a_new_operation_validates_its_query(widgets_url: str) -> None:
    url = f"{widgets_url}{WIDGETS}"
    listed = httpx.get(url, params={"limit": "5"}, headers=HEADERS)
    too_many = httpx.get(url, params={"limit": "11"}, headers=HEADERS)
    not_a_number = httpx.get(url, params={"limit": "five"}, headers=HEADERS)

    assert (listed.status_code, listed.json()) == (200, [{"label": "a"}])
    assert too_many.status_code == 400
    assert too_many.json()["message"] == "query parameter limit: must be less than or equal to 10"
    assert not_a_number.json()["message"].startswith("query parameter limit: must be an integer")


def test_a_new_path_parameter_is_one_decoded_segment(widgets_url: str) -> None:
    found = httpx.get(f"{widgets_url}/widgets/w-1", headers=HEADERS)
    # An encoded slash stays inside the segment: a parameter value, not a deeper path.
    encoded = httpx.get(f"{widgets_url}/widgets/w-a%2Fb", headers=HEADERS)
    refused = httpx.get(f"{widgets_url}/widgets/x%2Fb", headers=HEADERS)

    assert (found.status_code, found.json()) == (200, {"label": "one"})
    assert encoded.status_code == 200
    assert refused.status_code == 400
    assert refused.json()["message"].startswith("path parameter widgetID: must match")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", WIDGETS, "GET, POST"),
        ("DELETE", WIDGETS, "GET, POST"),
        ("POST", "/widgets/w-1", "GET"),
        ("PUT", ENDPOINT, "GET, POST"),
    ],
)
def test_a_method_the_spec_lacks_is_a_405_with_allow(
    widgets_url: str, method: str, path: str, allow: str
) -> None:
    response = httpx.request(method, f"{widgets_url}{path}", headers=HEADERS)

    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {"status": 405, "message": response.json()["message"]}
    assert allow in response.json()["message"]


@pytest.mark.parametrize(
    "path", ["/widgets/", "/widgets/w-1/more", "/widgets//", "/widget", "/widgets/%2F/x"]
)
def test_a_path_the_spec_lacks_is_a_404(widgets_url: str, path: str) -> None:
    response = httpx.get(f"{widgets_url}{path}", headers=HEADERS)

    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_the_operations_the_spec_had_keep_working(widgets_url: str) -> None:
    response = httpx.post(f"{widgets_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)

    assert response.status_code == 201


def test_the_router_matches_static_paths_before_templates() -> None:
    router = Router([("GET", "/a/{x}", "template"), ("GET", "/a/b", "static")])

    assert router.match("GET", "/a/b") == Found("static", {})
    assert router.match("GET", "/a/c%20d") == Found("template", {"x": "c d"})
    assert router.match("POST", "/a/c") == NotAllowed(("GET",))
    assert isinstance(router.match("GET", "/a"), NotFound)
