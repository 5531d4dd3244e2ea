"""The journal: what was answered, bounded, readable, cleared by reset, never a key."""

from __future__ import annotations

import httpx

from statsig_console_mock import MockSettings, create_app, mock_state
from statsig_console_mock.app import MockApp
from statsig_console_mock.journal import REDACTED
from statsig_console_mock.transport import MockTransport

from .helpers import CREATE, KEY_HEADER, example_body

SECRET = "console-secret-key-0123456789"


def _client(settings: MockSettings) -> tuple[httpx.Client, MockApp]:
    app = create_app(settings)
    return httpx.Client(base_url="http://mock", transport=MockTransport(app)), app


def test_an_entry_holds_method_path_query_body_status_and_time() -> None:
    http, _ = _client(MockSettings())
    with http:
        http.post(
            CREATE.url_path(),
            params={"dry": "1"},
            json=example_body("entry"),
            headers={KEY_HEADER: "console-mock-development-key"},
        )
        (entry,) = http.get("/_mock/requests").json()
    assert entry["method"] == "POST"
    assert entry["path"] == CREATE.path
    assert entry["query"] == {"dry": ["1"]}
    assert entry["body"] == example_body("entry")
    assert entry["status"] == 201
    assert entry["time"].endswith("+00:00")


def test_no_accepted_key_is_ever_kept() -> None:
    http, app = _client(MockSettings(api_keys=(SECRET,)))
    with http:
        http.post(
            CREATE.url_path(),
            params={"token": SECRET},
            json=example_body("leaky", description=f"key {SECRET} pasted", tags=[SECRET]),
            headers={KEY_HEADER: SECRET},
        )
        # Refused before its body is read, and the body is still recorded, redacted.
        http.post(CREATE.url_path(), json={"name": SECRET}, headers={KEY_HEADER: "wrong"})
        listed = http.get("/_mock/requests")
    assert SECRET not in listed.text
    assert SECRET not in repr(mock_state(app).journal.entries())
    first, second = listed.json()
    assert first["query"] == {"token": [REDACTED]}
    assert first["body"]["description"] == f"key {REDACTED} pasted"
    assert first["body"]["tags"] == [REDACTED]
    assert (second["status"], second["body"]) == (401, {"name": REDACTED})


def test_the_journal_is_bounded_and_keeps_the_latest() -> None:
    http, _ = _client(MockSettings(journal_size=3))
    with http:
        for index in range(5):
            http.post(CREATE.url_path(), json=example_body(f"n{index}"))
        entries = http.get("/_mock/requests").json()
    assert [entry["body"]["name"] for entry in entries] == ["n2", "n3", "n4"]


def test_a_body_that_is_not_json_is_kept_as_text_and_size_zero_keeps_nothing() -> None:
    http, _ = _client(MockSettings())
    with http:
        http.post(CREATE.url_path(), content=b"not json", headers={"content-type": "text/plain"})
        (entry,) = http.get("/_mock/requests").json()
    assert entry["body"] == "not json"
    quiet, _ = _client(MockSettings(journal_size=0))
    with quiet:
        quiet.post(CREATE.url_path(), json=example_body())
        assert quiet.get("/_mock/requests").json() == []


def test_reset_clears_it_and_the_mocks_own_routes_are_not_recorded() -> None:
    http, _ = _client(MockSettings())
    key = {KEY_HEADER: "console-mock-development-key"}
    with http:
        http.post(CREATE.url_path(), json=example_body(), headers=key)
        http.get("/_mock/sources")
        assert len(http.get("/_mock/requests").json()) == 1
        assert http.post("/_mock/reset", headers=key).status_code == 200
        assert http.get("/_mock/requests").json() == []
