"""The mock enforces whatever the spec says: edits to a copy change it, no code edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from statsig_console_mock import DEFAULT_API_KEY, MockSettings, create_app, mock_state
from statsig_console_mock.spec import SpecError
from statsig_console_mock.testing import run_mock_server

from .helpers import ENDPOINT, minimal_body

HEADERS = {"STATSIG-API-KEY": DEFAULT_API_KEY}
Edit = Callable[[dict[str, Any]], None]


def _edited(path: Path, edit: Edit) -> MockSettings:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return MockSettings(spec_path=path)


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


def test_a_new_required_field_is_enforced_and_stored(spec_copy: Path) -> None:
    def add_region(document: dict[str, Any]) -> None:
        schemas = _schemas(document)
        region = {"type": "string", "enum": ["us", "eu"]}
        schemas["AssignmentSourceCreate"]["properties"]["region"] = region
        schemas["AssignmentSourceCreate"]["required"].append("region")
        schemas["AssignmentSource"]["properties"]["region"] = region

    with run_mock_server(_edited(spec_copy, add_region)) as base_url:
        url = f"{base_url}{ENDPOINT}"
        missing = httpx.post(url, json=minimal_body(), headers=HEADERS)
        wrong = httpx.post(url, json=minimal_body(region="mars"), headers=HEADERS)
        created = httpx.post(url, json=minimal_body(region="eu"), headers=HEADERS)

    assert missing.status_code == 400
    assert missing.json()["message"] == "region: is required"
    assert wrong.json()["message"] == 'region: must be one of "us", "eu"'
    assert created.status_code == 201
    assert created.json()["data"]["region"] == "eu"


def test_a_new_constraint_is_enforced(spec_copy: Path) -> None:
    def bound_hour(document: dict[str, Any]) -> None:
        hour = _schemas(document)["AssignmentSourceCreate"]["properties"]["scheduledReloadHour"]
        hour.update(minimum=0, maximum=23)

    with run_mock_server(_edited(spec_copy, bound_hour)) as base_url:
        response = httpx.post(
            f"{base_url}{ENDPOINT}", json=minimal_body(scheduledReloadHour=24), headers=HEADERS
        )

    assert response.status_code == 400
    assert response.json()["message"] == "scheduledReloadHour: must be less than or equal to 23"


def test_the_key_header_comes_from_the_security_scheme(spec_copy: Path) -> None:
    def rename(document: dict[str, Any]) -> None:
        document["components"]["securitySchemes"]["StatsigApiKey"]["name"] = "X-Console-Key"

    with run_mock_server(_edited(spec_copy, rename)) as base_url:
        url = f"{base_url}{ENDPOINT}"
        old = httpx.post(url, json=minimal_body(), headers=HEADERS)
        new = httpx.post(url, json=minimal_body(), headers={"X-Console-Key": DEFAULT_API_KEY})

    assert old.status_code == 401
    assert "X-Console-Key" in old.json()["message"]
    assert new.status_code == 201


def test_the_path_and_media_type_come_from_the_spec(spec_copy: Path) -> None:
    new_path = "/console/v2/experiments/assignment_sources"

    def move(document: dict[str, Any]) -> None:
        operation = document["paths"].pop(ENDPOINT)
        content = operation["post"]["requestBody"]["content"]
        content["application/vnd.statsig+json"] = content.pop("application/json")
        document["paths"][new_path] = operation

    with run_mock_server(_edited(spec_copy, move)) as base_url:
        old = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)
        plain = httpx.post(f"{base_url}{new_path}", json=minimal_body(), headers=HEADERS)
        vendor = httpx.post(
            f"{base_url}{new_path}",
            content=httpx.Request("POST", "/", json=minimal_body()).content,
            headers={**HEADERS, "content-type": "application/vnd.statsig+json"},
        )

    assert old.status_code == 404
    assert plain.status_code == 400
    assert "application/vnd.statsig+json" in plain.json()["message"]
    assert vendor.status_code == 201


def test_defaults_come_from_the_spec(spec_copy: Path) -> None:
    def add_default(document: dict[str, Any]) -> None:
        description = _schemas(document)["AssignmentSourceCreate"]["properties"]["description"]
        description["default"] = "(none)"

    app = create_app(_edited(spec_copy, add_default))
    with run_mock_server(app=app) as base_url:
        response = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)

    assert response.json()["data"]["description"] == "(none)"
    assert mock_state(app).store.list()[0]["description"] == "(none)"


def test_the_spec_path_can_come_from_the_environment(
    spec_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def require_tags(document: dict[str, Any]) -> None:
        _schemas(document)["AssignmentSourceCreate"]["required"].append("tags")

    _edited(spec_copy, require_tags)
    monkeypatch.setenv("STATSIG_MOCK_SPEC", str(spec_copy))

    settings = MockSettings()
    with run_mock_server(settings) as base_url:
        response = httpx.post(f"{base_url}{ENDPOINT}", json=minimal_body(), headers=HEADERS)

    assert settings.spec_path == spec_copy
    assert response.json()["message"] == "tags: is required"


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (lambda d: d["paths"].clear(), "declares no operation"),
        (
            lambda d: d["paths"][ENDPOINT]["post"].pop("requestBody"),
            "declares no request body",
        ),
        (
            lambda d: d["components"]["securitySchemes"]["StatsigApiKey"].update(type="http"),
            "no apiKey scheme",
        ),
        (
            lambda d: d["paths"][ENDPOINT]["post"]["requestBody"]["content"]["application/json"][
                "schema"
            ].update({"$ref": "#/components/schemas/Nope"}),
            "unresolvable reference .*Nope",
        ),
        (
            lambda d: d["components"]["schemas"]["ErrorResponse"]["properties"].pop("status"),
            "the 400 response no longer declares status",
        ),
        (
            lambda d: d["components"]["schemas"]["CreateAssignmentSourceResponse"][
                "properties"
            ].pop("message"),
            "the 201 response no longer declares message",
        ),
    ],
)
def test_a_spec_that_cannot_drive_the_mock_is_refused_at_start(
    spec_copy: Path, edit: Edit, complaint: str
) -> None:
    settings = _edited(spec_copy, edit)

    with pytest.raises(SpecError, match=complaint):
        create_app(settings)


def test_a_missing_spec_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"

    with pytest.raises(SpecError, match=r"nowhere\.yaml"):
        create_app(MockSettings(spec_path=missing))
