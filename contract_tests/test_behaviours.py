"""Behaviours the schema cannot express: unique names, dry runs, the key.

They run against the same target as the property test, through the same paced and
guarded session. Against the real API only the dry-run tests run.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from .run import ContractRun
from .session import unique_name
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


class Api:
    """POSTs to the endpoint through the run's session, names kept as given."""

    def __init__(self, run: ContractRun, key: str | None) -> None:
        self.run = run
        self.headers = {"STATSIG-API-KEY": key} if key is not None else {}

    def post(self, body: dict[str, Any]) -> requests.Response:
        with self.run.session.keeping_names():
            return self.run.session.post(
                self.run.base_url + PATH, json=body, headers=self.headers, timeout=30
            )


@pytest.fixture
def api(contract_run: ContractRun, target: Target) -> Api:
    return Api(contract_run, target.api_key)


@pytest.fixture
def persisting(target: Target) -> None:
    if target.real:
        pytest.skip("needs a persisted source; nothing is persisted in Statsig")


def test_a_dry_run_is_validated_and_answered_like_a_create(api: Api) -> None:
    name = unique_name()

    response = api.post(source_body(name, dryRun=True))

    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["name"] == name
    assert "dryRun" not in data


def test_a_dry_run_persists_nothing(api: Api, target: Target) -> None:
    name = unique_name()
    first = api.post(source_body(name, dryRun=True))
    # Had the first been stored, this one would be a duplicate.
    second = api.post(source_body(name, dryRun=True))

    assert (first.status_code, second.status_code) == (201, 201), second.text
    if not target.real:
        created = api.post(source_body(name))
        assert created.status_code == 201, created.text


def test_a_dry_run_rejects_invalid_input(api: Api) -> None:
    body = source_body(unique_name(), dryRun=True)
    del body["sql"]

    response = api.post(body)

    assert response.status_code == 400
    assert response.json()["status"] == 400


@pytest.mark.usefixtures("persisting")
def test_a_taken_name_is_rejected_with_a_clear_message(api: Api) -> None:
    name = unique_name()
    assert api.post(source_body(name)).status_code == 201

    again = api.post(source_body(name, description="another"))

    assert again.status_code == 400
    assert again.json()["status"] == 400
    assert again.json()["message"].startswith("name:")
    assert "already exists" in again.json()["message"]


@pytest.mark.usefixtures("persisting")
def test_a_dry_run_checks_uniqueness_too(api: Api) -> None:
    name = unique_name()
    assert api.post(source_body(name)).status_code == 201

    response = api.post(source_body(name, dryRun=True))

    assert response.status_code == 400
    assert "already exists" in response.json()["message"]


def test_defaults_are_filled_in(api: Api) -> None:
    response = api.post(source_body(unique_name(), dryRun=True))

    data = response.json()["data"]
    assert data["description"] == ""
    assert data["tags"] == []


def test_a_request_without_the_key_is_refused(contract_run: ContractRun) -> None:
    response = Api(contract_run, None).post(source_body(unique_name(), dryRun=True))

    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_wrong_key_is_refused(contract_run: ContractRun, target: Target) -> None:
    wrong_key = f"console-{unique_name()}-not-a-key"
    response = Api(contract_run, wrong_key).post(source_body(unique_name(), dryRun=True))

    assert response.status_code == 401
    assert response.json()["status"] == 401
    if not target.real:
        # Statsig quotes the key it received; the mock shows only part of it.
        assert wrong_key not in response.text
