"""The same behaviour checks over a socket and in process: both must pass, and agree.

Each check is a list of requests; every mode sends it to a fresh mock of its own and
the answers are compared with what Statsig answers (as the spec and the seed facts
describe it) and with each other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from statsig_console_client.models import AssignmentSourceCreate

from statsig_console import create_assignment_source, create_assignment_source_async
from statsig_console_mock import DEFAULT_API_KEY, create_app, mock_state
from statsig_console_mock.app import MockApp
from statsig_console_mock.testing import run_mock_server
from statsig_console_mock.transport import MockTransport, in_process_client

from .helpers import CREATE, KEY_HEADER, example_body

# (method, path, headers, body) -> (status, JSON answer)
Send = Callable[[str, str, dict[str, str], Any], tuple[int, Any]]
KEY = {KEY_HEADER: DEFAULT_API_KEY}


def _answer(response: httpx.Response) -> tuple[int, Any]:
    return response.status_code, response.json()


@pytest.fixture(params=["socket", "in-process", "in-process-async"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[MockApp, Send]]:
    app = create_app()
    if request.param == "socket":
        with run_mock_server(app=app) as base_url, httpx.Client(base_url=base_url) as http:
            yield app, lambda m, p, h, b: _answer(http.request(m, p, headers=h, json=b))
    elif request.param == "in-process":
        with httpx.Client(base_url="http://mock", transport=MockTransport(app)) as http:
            yield app, lambda m, p, h, b: _answer(http.request(m, p, headers=h, json=b))
    else:
        transport = MockTransport(app)

        def send(method: str, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
            async def go() -> tuple[int, Any]:
                async with httpx.AsyncClient(base_url="http://mock", transport=transport) as http:
                    return _answer(await http.request(method, path, headers=headers, json=body))

            return asyncio.run(go())

        yield app, send


def test_a_create_is_answered_and_stored(served: tuple[MockApp, Send]) -> None:
    app, send = served
    body = example_body("created", tags=["a"])
    status, answer = send("POST", CREATE.url_path(), KEY, body)
    assert status == 201
    assert answer["data"]["name"] == "created"
    assert answer["data"]["tags"] == ["a"]
    assert answer["data"]["description"] == ""
    assert [source["name"] for source in mock_state(app).store.list()] == ["created"]
    assert send("GET", "/_mock/sources", {}, None) == (200, [answer["data"]])


def test_a_taken_name_is_refused(served: tuple[MockApp, Send]) -> None:
    _, send = served
    assert send("POST", CREATE.url_path(), KEY, example_body("twice"))[0] == 201
    status, answer = send("POST", CREATE.url_path(), KEY, example_body("twice"))
    assert status == 400
    assert "already exists" in answer["message"]


def test_an_invalid_body_names_the_field(served: tuple[MockApp, Send]) -> None:
    _, send = served
    body = example_body()
    del body["sql"]
    status, answer = send("POST", CREATE.url_path(), KEY, body)
    assert (status, answer["message"]) == (400, "sql: is required")


def test_a_missing_or_unknown_key_is_refused(served: tuple[MockApp, Send]) -> None:
    _, send = served
    assert send("POST", CREATE.url_path(), {}, example_body())[0] == 401
    status, answer = send("POST", CREATE.url_path(), {KEY_HEADER: "not-a-key"}, example_body())
    assert status == 401
    assert "not-a-key" not in answer["message"]


def test_unknown_paths_and_methods(served: tuple[MockApp, Send]) -> None:
    _, send = served
    assert send("GET", "/nowhere", KEY, None)[0] == 404
    assert send("PUT", "/_mock/sources", KEY, None)[0] == 405


def test_the_journal_and_reset(served: tuple[MockApp, Send]) -> None:
    _, send = served
    send("POST", CREATE.url_path(), KEY, example_body("journaled"))
    send("POST", CREATE.url_path(), {}, example_body("refused"))
    status, entries = send("GET", "/_mock/requests", {}, None)
    assert status == 200
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", CREATE.path, 201),
        ("POST", CREATE.path, 401),
    ]
    assert entries[1]["body"]["name"] == "refused"
    assert send("POST", "/_mock/reset", KEY, None)[0] == 200
    assert send("GET", "/_mock/requests", {}, None) == (200, [])
    assert send("GET", "/_mock/sources", {}, None) == (200, [])


def _transcript(send: Send) -> list[tuple[int, Any]]:
    invalid = example_body("b")
    invalid["idTypeMapping"] = [{}]
    return [
        send("POST", CREATE.url_path(), KEY, example_body("a")),
        send("POST", CREATE.url_path(), KEY, example_body("a")),
        send("POST", CREATE.url_path(), KEY, invalid),
        send("POST", CREATE.url_path(), {KEY_HEADER: "wrong-key-123456"}, example_body("c")),
        send("PUT", "/_mock/sources", KEY, None),
        send("GET", "/_mock/sources", {}, None),
    ]


def test_socket_and_in_process_answer_alike() -> None:
    socket_app, process_app = create_app(), create_app()
    with run_mock_server(app=socket_app) as base_url, httpx.Client(base_url=base_url) as http:
        over_socket = _transcript(lambda m, p, h, b: _answer(http.request(m, p, headers=h, json=b)))
    with httpx.Client(base_url="http://mock", transport=MockTransport(process_app)) as http:
        in_process = _transcript(lambda m, p, h, b: _answer(http.request(m, p, headers=h, json=b)))
    assert over_socket == in_process
    assert [status for status, _ in in_process] == [201, 400, 400, 401, 405, 200]


def test_the_in_process_client_works_sync_and_async() -> None:
    app = create_app()
    with in_process_client(app) as client:
        create_assignment_source(client, AssignmentSourceCreate.from_dict(example_body("sync")))

        async def create_async() -> None:
            body = AssignmentSourceCreate.from_dict(example_body("async"))
            await create_assignment_source_async(client, body)

        asyncio.run(create_async())
    assert [source["name"] for source in mock_state(app).store.list()] == ["sync", "async"]


def test_the_sync_transport_serves_threads_concurrently() -> None:
    app = create_app()
    transport = MockTransport(app)
    names = [f"threaded-{index}" for index in range(40)]
    with httpx.Client(base_url="http://mock", transport=transport) as http:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(
                pool.map(
                    lambda name: (
                        http.post(
                            CREATE.url_path(), json=example_body(name), headers=KEY
                        ).status_code
                    ),
                    names,
                )
            )
    assert statuses == [201] * len(names)
    assert sorted(source["name"] for source in mock_state(app).store.list()) == sorted(names)
