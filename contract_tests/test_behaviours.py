"""Behaviours the schema cannot express: unique names and dry runs.

They run against the same target as the property test. Against the real API only the
dry-run checks run, and every request there is a dry run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .run import unique_name
from .target import Target

PATH = "/console/v1/experiments/assignment_sources"


def source_body(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "sql": "SELECT * FROM analytics.exposures",
        "timestampColumn": "ts",
        "experimentIDColumn": "experiment_name",
        "groupIDColumn": "group_id",
        "idTypeMapping": [{"statsigUnitID": "stableID", "column": "user_id"}],
        **extra,
    }


@pytest.fixture
def api(target: Target, target_base_url: str) -> Iterator[httpx.Client]:
    headers = {"STATSIG-API-KEY": target.api_key}
    with httpx.Client(base_url=target_base_url, headers=headers, timeout=30) as client:
        yield client


@pytest.fixture
def persisting(target: Target) -> None:
    if target.real:
        pytest.skip("needs a persisted source; nothing is persisted in Statsig")


def test_a_dry_run_is_validated_and_answered_like_a_create(api: httpx.Client) -> None:
    name = unique_name()

    response = api.post(PATH, json=source_body(name, dryRun=True))

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["name"] == name
    assert "dryRun" not in data


def test_a_dry_run_persists_nothing(api: httpx.Client, target: Target) -> None:
    name = unique_name()
    first = api.post(PATH, json=source_body(name, dryRun=True))
    # Had the first been stored, this one would be a duplicate.
    second = api.post(PATH, json=source_body(name, dryRun=True))

    assert (first.status_code, second.status_code) == (201, 201), second.text
    if not target.real:
        created = api.post(PATH, json=source_body(name))
        assert created.status_code == 201, created.text


def test_a_dry_run_rejects_invalid_input(api: httpx.Client) -> None:
    body = source_body(unique_name(), dryRun=True)
    del body["sql"]

    response = api.post(PATH, json=body)

    assert response.status_code == 400
    assert response.json()["status"] == 400


@pytest.mark.usefixtures("persisting")
def test_a_taken_name_is_rejected_with_a_clear_message(api: httpx.Client) -> None:
    name = unique_name()
    assert api.post(PATH, json=source_body(name)).status_code == 201

    again = api.post(PATH, json=source_body(name, description="another"))

    assert again.status_code == 400
    assert again.json()["status"] == 400
    assert again.json()["message"].startswith("name:")
    assert "already exists" in again.json()["message"]


@pytest.mark.usefixtures("persisting")
def test_a_dry_run_checks_uniqueness_too(api: httpx.Client) -> None:
    name = unique_name()
    assert api.post(PATH, json=source_body(name)).status_code == 201

    response = api.post(PATH, json=source_body(name, dryRun=True))

    assert response.status_code == 400
    assert "already exists" in response.json()["message"]


def test_defaults_are_filled_in(api: httpx.Client) -> None:
    response = api.post(PATH, json=source_body(unique_name(), dryRun=True))

    data = response.json()["data"]
    assert data["description"] == ""
    assert data["tags"] == []
