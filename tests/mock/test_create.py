"""201 answers: Statsig's shape, defaults, echoes, unique names and dry runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from .helpers import ENDPOINT, SpecChecker, minimal_body

Example = Callable[[str], dict[str, Any]]
UNSET_OPTIONAL = {"owner", "team", "teamID", "scheduledReloadHour"}


def test_statsig_example_request_gets_statsig_example_answer(
    client: httpx.Client, checker: SpecChecker, spec: dict[str, Any], example: Example
) -> None:
    response = client.post(ENDPOINT, json=example("minimal"))

    assert response.status_code == 201
    expected = spec["paths"][ENDPOINT]["post"]["responses"]["201"]["content"]["application/json"][
        "examples"
    ]["created"]["value"]
    # Statsig answers no owner, team, teamID or hour for a source created without them;
    # the spec's example shows them as null.
    expected["data"] = {
        key: value for key, value in expected["data"].items() if key not in UNSET_OPTIONAL
    }
    assert checker.check(response) == expected


def test_every_optional_field_is_echoed_as_sent(
    client: httpx.Client, checker: SpecChecker, example: Example
) -> None:
    body = example("complete")

    response = client.post(ENDPOINT, json=body)

    assert response.status_code == 201
    assert checker.check(response)["data"] == body


def test_defaults_fill_description_and_tags_and_leave_out_the_rest(
    client: httpx.Client, checker: SpecChecker
) -> None:
    body = minimal_body()

    data = checker.check(client.post(ENDPOINT, json=body))["data"]

    # Left out, not null: Statsig's examples of a source created without them.
    assert data == {**body, "description": "", "tags": []}
    assert not UNSET_OPTIONAL & set(data)


def test_explicit_nulls_are_kept(client: httpx.Client, checker: SpecChecker) -> None:
    body = minimal_body(
        owner=None, team=None, teamID=None, scheduledReloadHour=None, description="d", tags=["x"]
    )

    data = checker.check(client.post(ENDPOINT, json=body))["data"]

    assert data == body


def test_unknown_fields_are_accepted_and_ignored(
    client: httpx.Client, checker: SpecChecker, mock_url: str
) -> None:
    body = minimal_body(notInTheSpec={"deep": [1, 2]}, createdTime=123)

    response = client.post(ENDPOINT, json=body)

    assert response.status_code == 201
    data = checker.check(response)["data"]
    assert "notInTheSpec" not in data
    assert "createdTime" not in data
    stored = httpx.get(f"{mock_url}/_mock/sources").json()
    assert "notInTheSpec" not in stored[0]


def test_created_sources_are_listed_in_order(client: httpx.Client, mock_url: str) -> None:
    bodies = [minimal_body() for _ in range(3)]
    for body in bodies:
        assert client.post(ENDPOINT, json=body).status_code == 201

    listed = httpx.get(f"{mock_url}/_mock/sources").json()

    assert [source["name"] for source in listed] == [body["name"] for body in bodies]


def test_reset_forgets_every_source(client: httpx.Client, mock_url: str) -> None:
    body = minimal_body()
    assert client.post(ENDPOINT, json=body).status_code == 201

    reset = client.post("/_mock/reset")

    assert reset.status_code == 200
    assert httpx.get(f"{mock_url}/_mock/sources").json() == []
    assert client.post(ENDPOINT, json=body).status_code == 201


def test_a_taken_name_is_a_400_that_says_so(client: httpx.Client, checker: SpecChecker) -> None:
    body = minimal_body()
    assert client.post(ENDPOINT, json=body).status_code == 201

    response = client.post(ENDPOINT, json={**body, "sql": "SELECT 2"})

    assert response.status_code == 400
    message = checker.check(response)["message"]
    assert message.startswith("name:")
    assert "already exists" in message


def test_names_are_compared_exactly(client: httpx.Client) -> None:
    body = minimal_body("Exposures")
    assert client.post(ENDPOINT, json=body).status_code == 201

    assert client.post(ENDPOINT, json={**body, "name": "exposures"}).status_code == 201


def test_dry_run_validates_and_persists_nothing(
    client: httpx.Client, checker: SpecChecker, mock_url: str, example: Example
) -> None:
    body = example("dry_run")

    response = client.post(ENDPOINT, json=body)

    assert response.status_code == 201
    data = checker.check(response)["data"]
    assert "dryRun" not in data
    assert data["name"] == body["name"]
    assert httpx.get(f"{mock_url}/_mock/sources").json() == []
    real = {key: value for key, value in body.items() if key != "dryRun"}
    assert client.post(ENDPOINT, json=real).status_code == 201


def test_dry_run_checks_uniqueness(client: httpx.Client, checker: SpecChecker) -> None:
    body = minimal_body()
    assert client.post(ENDPOINT, json=body).status_code == 201

    response = client.post(ENDPOINT, json={**body, "dryRun": True})

    assert response.status_code == 400
    assert "already exists" in checker.check(response)["message"]


def test_dry_run_false_persists(client: httpx.Client, mock_url: str) -> None:
    body = minimal_body(dryRun=False)

    data = client.post(ENDPOINT, json=body).json()["data"]

    assert "dryRun" not in data
    assert len(httpx.get(f"{mock_url}/_mock/sources").json()) == 1


def test_dry_run_still_reports_invalid_input(client: httpx.Client, checker: SpecChecker) -> None:
    body = minimal_body(dryRun=True)
    del body["sql"]

    response = client.post(ENDPOINT, json=body)

    assert response.status_code == 400
    assert checker.check(response)["message"] == "sql: is required"


def test_review_settings_header_is_accepted(client: httpx.Client) -> None:
    response = client.post(
        ENDPOINT, json=minimal_body(), headers={"x-respect-review-settings": "true"}
    )

    assert response.status_code == 201


def test_content_type_parameters_are_accepted(client: httpx.Client) -> None:
    for content_type in ("application/json; charset=utf-8", "Application/JSON;charset=UTF-8"):
        response = client.post(
            ENDPOINT,
            content=httpx.Request("POST", "/", json=minimal_body()).content,
            headers={"content-type": content_type},
        )
        assert response.status_code == 201, content_type


def test_unicode_is_stored_as_sent(client: httpx.Client, checker: SpecChecker) -> None:
    body = minimal_body("expositions-été-曝光-🙂", description="naïve\u2028line")

    data = checker.check(client.post(ENDPOINT, json=body))["data"]

    assert data["name"] == body["name"]
    assert data["description"] == body["description"]


def test_chunked_bodies_within_the_limit_are_read(client: httpx.Client) -> None:
    encoded = httpx.Request("POST", "/", json=minimal_body()).content

    def pieces() -> Any:
        for start in range(0, len(encoded), 7):
            yield encoded[start : start + 7]

    response = client.post(ENDPOINT, content=pieces(), headers={"content-type": "application/json"})

    assert response.status_code == 201
