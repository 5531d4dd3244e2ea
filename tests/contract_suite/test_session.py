"""The contract session: pacing, 429 waits, the request bound, the real-mode guard."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
import requests
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from contract_tests.endpoints import LIST, Endpoints
from contract_tests.run import REQUESTS_KEPT_IN_RESERVE, ContractRun
from contract_tests.session import (
    DEFAULT_RETRY_AFTER_S,
    ContractSession,
    RateWindow,
    RequestBudgetExhaustedError,
    TargetMisbehavedError,
    TargetUnreachableError,
    UnsafeRequestError,
    retry_after_seconds,
)
from contract_tests.target import Target
from contract_tests.writes import WRITE_MARKER, WRITE_PREFIX, Ledger
from statsig_console import spec
from statsig_console_mock.testing import run_mock_server

COLLECTION = spec.load().operation(LIST).path

KEY_HEADERS = {"STATSIG-API-KEY": "console-s3cret"}
NOW = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)


class Clock:
    """A fake clock: sleeping advances it instead of waiting."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


class Script:
    """Answers 429 (with the given Retry-After) a number of times, then 201."""

    def __init__(self, limited: int, retry_after: str | None) -> None:
        self.limited = limited
        self.retry_after = retry_after
        self.bodies: list[object] = []
        self.echo = False

    async def handle(self, request: Request) -> Response:
        self.bodies.append(json.loads(await request.body()))
        if len(self.bodies) <= self.limited:
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return JSONResponse({"status": 429, "message": "slow down"}, 429, headers)
        if self.echo:
            return JSONResponse({"message": "ok", "body": self.bodies[-1]}, status_code=201)
        return JSONResponse({"message": "ok"}, status_code=201)


@pytest.fixture
def script() -> Script:
    return Script(limited=2, retry_after="3")


@pytest.fixture
def url(script: Script) -> Iterator[str]:
    app = Starlette(routes=[Route(COLLECTION, script.handle, methods=["POST"])])
    with run_mock_server(app=app) as base_url:
        yield f"{base_url}{COLLECTION}"


def endpoints_for(collection_url: str) -> Endpoints:
    return Endpoints.at(collection_url.removesuffix(COLLECTION))


def session(clock: Clock, **options: object) -> ContractSession:
    return ContractSession(
        sleep=clock.sleep,
        monotonic=clock.monotonic,
        now=lambda: NOW,
        **options,  # type: ignore[arg-type]
    )


def test_429_is_waited_out_and_retried(url: str, script: Script) -> None:
    clock = Clock()
    with session(clock, real=False) as http:
        response = http.post(url, json={"name": "x"})

    assert response.status_code == 201
    assert len(script.bodies) == 3
    assert clock.sleeps == [3.0, 3.0]
    assert (http.sent, http.rate_limit_waits, http.waited_s) == (3, 2, 6.0)


def test_waits_are_bounded(url: str, script: Script) -> None:
    script.limited = 10
    clock = Clock()
    with session(clock, real=False, max_rate_limit_waits=3, max_retry_after_s=2.0) as http:
        response = http.post(url, json={"name": "x"})

    assert response.status_code == 429
    assert len(script.bodies) == 4
    assert clock.sleeps == [2.0, 2.0, 2.0]


def test_requests_are_paced(url: str, script: Script) -> None:
    script.limited = 0
    clock = Clock()
    with session(clock, real=False, min_interval_s=1.5) as http:
        for _ in range(3):
            http.post(url, json={"name": "x"})

    assert clock.sleeps == [1.5, 1.5]


def test_the_request_bound_holds(url: str, script: Script) -> None:
    script.limited = 0
    with session(Clock(), real=False, max_requests=2) as http:
        http.post(url, json={})
        http.post(url, json={})
        with pytest.raises(RequestBudgetExhaustedError, match="bound of 2 requests"):
            http.post(url, json={})

    assert len(script.bodies) == 2


@pytest.mark.parametrize(
    "send",
    [
        {"json": {"name": "x"}},
        {"json": {"name": "x", "dryRun": "true"}},
        {"json": [{"dryRun": True}]},
        {"data": b"not json"},
        {},
    ],
    ids=["no dryRun", "dryRun not a boolean", "not an object", "not JSON", "no body"],
)
def test_real_mode_refuses_what_could_persist(
    url: str, script: Script, send: dict[str, object]
) -> None:
    with (
        session(Clock(), real=True, endpoints=endpoints_for(url)) as http,
        pytest.raises(UnsafeRequestError, match="dryRun: true"),
    ):
        http.post(url, **send)  # type: ignore[arg-type]

    assert script.bodies == []


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"])
def test_real_mode_sends_no_other_method(url: str, script: Script, method: str) -> None:
    with (
        session(Clock(), real=True, endpoints=endpoints_for(url)) as http,
        pytest.raises(UnsafeRequestError, match=f"refused to send {method}"),
    ):
        http.request(method, url, json={"name": "x", "dryRun": True})

    assert script.bodies == []


def test_real_mode_sends_nowhere_else(url: str, script: Script) -> None:
    with (
        session(Clock(), real=True, endpoints=endpoints_for(url)) as http,
        pytest.raises(UnsafeRequestError, match="only the list and dry-run"),
    ):
        http.post(url + "/other", json={"name": "x", "dryRun": True})

    assert script.bodies == []


def test_real_mode_cleans_the_key_out_of_answers(url: str, script: Script) -> None:
    script.limited = 0
    script.echo = True
    with session(Clock(), real=True, endpoints=endpoints_for(url), secret="console-s3cret") as http:
        response = http.post(url, json={"note": "console-s3cret", "dryRun": True})

    assert "console-s3cret" not in response.text
    assert "console-[redacted]" in response.text


def test_real_mode_sends_dry_runs(url: str, script: Script) -> None:
    script.limited = 0
    with session(Clock(), real=True, endpoints=endpoints_for(url)) as http:
        http.post(url, data=json.dumps({"name": "x", "dryRun": True}).encode())

    assert len(script.bodies) == 1


def test_every_request_gets_a_fresh_name_unless_kept(url: str, script: Script) -> None:
    script.limited = 0
    with session(Clock(), real=False) as http:
        http.post(url, json={"name": "same"})
        http.post(url, data=json.dumps({"name": "same"}))
        with http.keeping_names():
            http.post(url, json={"name": "same"})
        http.post(url, json={"name": 7})

    names = [body["name"] for body in script.bodies if isinstance(body, dict)]
    assert names[0] != names[1]
    # Made unique by adding to the name: what was generated is still sent.
    assert all(str(name).startswith("same~ct") for name in names[:2])
    assert names[2:] == ["same", 7]


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("5", 5.0),
        ("0", 0.0),
        ((NOW + timedelta(seconds=42)).strftime("%a, %d %b %Y %H:%M:%S GMT"), 42.0),
        ((NOW - timedelta(seconds=42)).strftime("%a, %d %b %Y %H:%M:%S GMT"), 0.0),
        ("soon", DEFAULT_RETRY_AFTER_S),
        ("", DEFAULT_RETRY_AFTER_S),
        (None, DEFAULT_RETRY_AFTER_S),
    ],
)
def test_retry_after_forms(header: str | None, seconds: float) -> None:
    assert retry_after_seconds(header, lambda: NOW) == seconds


def test_the_run_stops_sending_quietly_at_the_bound(url: str, script: Script) -> None:
    script.limited = 0
    http = session(Clock(), real=False, max_requests=REQUESTS_KEPT_IN_RESERVE + 2)
    run = ContractRun(
        target=Target(base_url=url, api_key="k", real=False),
        base_url=url,
        session=http,
        disabled_checks={},
    )

    class FakeCase:
        body: object = {"name": "x"}

    sent = 0
    for _ in range(10):
        if run.prepare(FakeCase()):  # type: ignore[arg-type]
            http.post(url, json={"name": "x"})
            sent += 1

    assert sent == 2
    assert (run.cases, run.over_bound) == (10, 8)


class Redirects:
    """Answers every request on any path with ``status`` pointing to ``location``."""

    def __init__(self) -> None:
        self.status = 302
        self.location = ""
        self.seen: list[tuple[str, str, dict[str, str]]] = []

    async def handle(self, request: Request) -> Response:
        self.seen.append((request.method, request.url.path, dict(request.headers)))
        return Response(status_code=self.status, headers={"Location": self.location})


class Records:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict[str, str]]] = []

    async def handle(self, request: Request) -> Response:
        self.seen.append((request.method, request.url.path, dict(request.headers)))
        return JSONResponse({"message": "ok"}, status_code=201)


def _serving(handler: object) -> Starlette:
    methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    return Starlette(routes=[Route("/{path:path}", handler, methods=methods)])  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("to", ["another path", "another server", "itself"])
@pytest.mark.parametrize("real", [True, False], ids=["real", "mock"])
def test_a_redirect_is_never_followed_and_stops_the_session(
    status: int, to: str, real: bool
) -> None:
    redirects, elsewhere = Redirects(), Records()
    with (
        run_mock_server(app=_serving(redirects.handle)) as api_url,
        run_mock_server(app=_serving(elsewhere.handle)) as other_url,
    ):
        url = f"{api_url}{COLLECTION}"
        redirects.status = status
        redirects.location = {
            "another path": f"{api_url}/other",
            "another server": f"{other_url}{COLLECTION}",
            "itself": url,
        }[to]
        body = {"name": "x", "dryRun": True}
        with session(
            Clock(), real=real, endpoints=endpoints_for(url), secret="console-s3cret"
        ) as http:
            with pytest.raises(TargetMisbehavedError, match=f"answered {status}") as raised:
                http.post(url, json=body, headers={"STATSIG-API-KEY": "console-s3cret"})
            # Nothing more goes to a server that redirects, whoever asks and how.
            with pytest.raises(TargetMisbehavedError):
                http.post(url, json=body, allow_redirects=True)

    assert redirects.location in str(raised.value)
    assert elsewhere.seen == []
    assert [(method, path) for method, path, _ in redirects.seen] == [("POST", COLLECTION)]
    assert http.sent == 1


def test_sending_a_prepared_request_follows_no_redirect_either() -> None:
    redirects, elsewhere = Redirects(), Records()
    with (
        run_mock_server(app=_serving(redirects.handle)) as api_url,
        run_mock_server(app=_serving(elsewhere.handle)) as other_url,
    ):
        redirects.location = f"{other_url}{COLLECTION}"
        with session(Clock(), real=False) as http:
            prepared = http.prepare_request(requests.Request("POST", f"{api_url}{COLLECTION}"))
            response = http.send(prepared, allow_redirects=True)

    assert response.status_code == 302
    assert elsewhere.seen == []


def test_a_refused_connection_fails_without_the_library_frames() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}{COLLECTION}"
    body = {"name": "x", "dryRun": True}
    with (
        session(Clock(), real=True, endpoints=endpoints_for(dead), secret="console-s3cret") as http,
        pytest.raises(TargetUnreachableError, match="failed before an answer came") as raised,
    ):
        http.post(dead, json=body, headers={"STATSIG-API-KEY": "console-s3cret"})

    # No chained exception, so no traceback reaches the frames that hold the headers.
    assert raised.value.__cause__ is None
    assert raised.value.__context__ is None
    assert "console-s3cret" not in str(raised.value)
    assert http.sent == 1


def test_the_key_is_sent_but_never_shown_by_a_repr(url: str, script: Script) -> None:
    script.limited = 0
    with session(Clock(), real=True, endpoints=endpoints_for(url), secret="console-s3cret") as http:
        response = http.post(
            url, json={"name": "x", "dryRun": True}, headers={"STATSIG-API-KEY": "console-s3cret"}
        )

    assert response.request.headers["STATSIG-API-KEY"] == "console-s3cret"
    assert "console-s3cret" not in repr(response.request.headers)
    assert "s3cret" not in repr(http)


class Quotes:
    """Answers 401 quoting the key it received in the form the test picks."""

    def __init__(self) -> None:
        self.form = "raw"

    async def handle(self, request: Request) -> Response:
        key = request.headers.get("statsig-api-key", "")
        if self.form == "json-escaped":
            escaped = "".join(f"\\u{ord(c):04x}" if c in "-3" else c for c in key)
            text = f'{{"status": 401, "message": "Key: {escaped}"}}'
            return Response(text, 401, media_type="application/json")
        if self.form == "utf-16":
            body = json.dumps({"status": 401, "message": f"Key: {key}"}).encode("utf-16")
            return Response(body, 401, headers={"Content-Type": "application/json; charset=utf-16"})
        if self.form == "header":
            return JSONResponse({"status": 401}, 401, headers={"X-Key": key})
        return JSONResponse({"status": 401, "message": f"Key: {key}"}, 401)


@pytest.mark.parametrize("form", ["raw", "json-escaped", "utf-16", "header"])
def test_an_answer_quoting_the_key_in_any_form_shows_it_nowhere(form: str) -> None:
    quotes = Quotes()
    quotes.form = form
    with run_mock_server(app=_serving(quotes.handle)) as base_url:
        url = f"{base_url}{COLLECTION}"
        with session(
            Clock(), real=True, endpoints=endpoints_for(url), secret="console-s3cret"
        ) as http:
            response = http.post(url, json={"name": "x", "dryRun": True}, headers=KEY_HEADERS)

    shown = [response.text, json.dumps(response.json()), repr(response.headers)]
    shown += [repr(response.raw.headers), response.content.decode("latin-1")]
    assert all("s3cret" not in text for text in shown), shown
    assert response.status_code == 401
    if form != "header":
        assert response.json()["message"] == "Key: console-[redacted]"


class Lifecycle:
    """Answers every operation as a success, recording what reached it."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, object]] = []

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        body = json.loads(raw) if raw else None
        # As sent, still percent-encoded.
        path = request.scope["raw_path"].decode()
        self.seen.append((request.method, path, body))
        name = unquote(path.rsplit("/", 1)[-1])
        if isinstance(body, dict) and isinstance(body.get("name"), str):
            name = body["name"]
        status = 201 if path == COLLECTION and request.method == "POST" else 200
        return JSONResponse({"message": "ok", "data": {"name": name}}, status_code=status)


@pytest.fixture
def lifecycle() -> Iterator[tuple[Lifecycle, Endpoints]]:
    recorder = Lifecycle()
    with run_mock_server(app=_serving(recorder.handle)) as base_url:
        yield recorder, Endpoints.at(base_url)


def test_real_mode_reads_the_list(lifecycle: tuple[Lifecycle, Endpoints]) -> None:
    recorder, endpoints = lifecycle
    with session(Clock(), real=True, endpoints=endpoints) as http:
        response = http.get(endpoints.collection_url, params={"limit": 2, "page": 3})

    assert response.status_code == 200
    assert [(method, path) for method, path, _ in recorder.seen] == [("GET", COLLECTION)]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_real_mode_dry_runs_a_change_only_on_a_name_it_made_up(
    lifecycle: tuple[Lifecycle, Endpoints], method: str
) -> None:
    recorder, endpoints = lifecycle
    url = endpoints.source_url("live source/ü")
    with session(Clock(), real=True, endpoints=endpoints) as http:
        http.request(method, url, json={"sql": "SELECT 1", "dryRun": True})
        http.request(method, url, json={"sql": "SELECT 1", "dryRun": True})

    paths = [path for _, path, _ in recorder.seen]
    sent_names = [unquote(path.rsplit("/", 1)[-1]) for path in paths]
    # The generated name is kept and added to, differently each time.
    assert all(name.startswith("live source/ü~ct") for name in sent_names), sent_names
    assert len(set(sent_names)) == 2


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("DELETE", None),
        ("DELETE", {"dryRun": True}),
        ("POST", {"sql": "SELECT 1"}),
        ("PATCH", {"description": "x"}),
        ("PATCH", {"description": "x", "dryRun": "true"}),
    ],
    ids=["delete", "delete with dryRun", "update", "patch", "patch dryRun not a boolean"],
)
def test_real_mode_never_changes_a_source(
    lifecycle: tuple[Lifecycle, Endpoints], method: str, body: object
) -> None:
    recorder, endpoints = lifecycle
    with (
        session(Clock(), real=True, endpoints=endpoints) as http,
        pytest.raises(UnsafeRequestError, match="refused"),
    ):
        http.request(method, endpoints.source_url("live"), json=body)

    assert recorder.seen == []


def test_mutations_are_paced_in_every_window(lifecycle: tuple[Lifecycle, Endpoints]) -> None:
    recorder, endpoints = lifecycle
    clock = Clock()
    windows = (RateWindow(3, 10.0), RateWindow(5, 60.0))
    sent_at: list[float] = []
    with session(clock, real=False, endpoints=endpoints, mutation_windows=windows) as http:
        for _ in range(4):
            http.get(endpoints.collection_url)
        for _ in range(12):
            http.post(endpoints.collection_url, json={"name": "x"})
            sent_at.append(clock.now)

    # Reads are not counted: the first mutations go at once.
    assert sent_at[:3] == [100.0] * 3
    for seconds, limit in ((10.0, 3), (60.0, 5)):
        for start in sent_at:
            inside = [t for t in sent_at if start <= t < start + seconds]
            assert len(inside) <= limit, (seconds, sent_at)
    assert len(recorder.seen) == 16


def test_write_mode_changes_only_the_sources_it_created(
    lifecycle: tuple[Lifecycle, Endpoints],
) -> None:
    recorder, endpoints = lifecycle
    ledger = Ledger()
    mine = f"{WRITE_PREFIX}one"
    renamed = f"{WRITE_PREFIX}two"
    with (
        session(Clock(), real=True, endpoints=endpoints, ledger=ledger) as http,
        http.keeping_names(),
    ):
        refused = [
            # No marker, no prefix, not ours.
            {"method": "POST", "url": endpoints.collection_url, "json": {"name": mine}},
            {
                "method": "POST",
                "url": endpoints.collection_url,
                "json": {"name": "users-own", "tags": [WRITE_MARKER]},
            },
            {"method": "DELETE", "url": endpoints.source_url("users-own")},
            {"method": "PATCH", "url": endpoints.source_url(f"{WRITE_PREFIX}users")},
        ]
        for request in refused:
            with pytest.raises(UnsafeRequestError, match="write mode"):
                http.request(**request)  # type: ignore[arg-type]
        assert recorder.seen == []

        http.post(endpoints.collection_url, json={"name": mine, "tags": [WRITE_MARKER]})
        http.patch(endpoints.source_url(mine), json={"name": renamed})
        # The old name stays the run's own (asking for it again expects a 404).
        assert ledger.owns(mine)
        # A dry run of its own source goes to that source, not to a made-up name.
        http.patch(endpoints.source_url(renamed), json={"isVerified": True, "dryRun": True})
        http.delete(endpoints.source_url(renamed))

    assert [(method, path) for method, path, _ in recorder.seen] == [
        ("POST", COLLECTION),
        ("PATCH", endpoints.source_url(mine).removeprefix(endpoints.base_url)),
        ("PATCH", endpoints.source_url(renamed).removeprefix(endpoints.base_url)),
        ("DELETE", endpoints.source_url(renamed).removeprefix(endpoints.base_url)),
    ]
    assert (ledger.created, ledger.renamed, ledger.deleted) == (
        [mine],
        [(mine, renamed)],
        [renamed],
    )
    assert ledger.live == set()


def test_without_write_mode_a_marked_source_is_still_refused(
    lifecycle: tuple[Lifecycle, Endpoints],
) -> None:
    recorder, endpoints = lifecycle
    body = {"name": f"{WRITE_PREFIX}x", "tags": [WRITE_MARKER]}
    with (
        session(Clock(), real=True, endpoints=endpoints) as http,
        pytest.raises(UnsafeRequestError, match="dryRun: true"),
    ):
        http.post(endpoints.collection_url, json=body)

    assert recorder.seen == []


def test_cleaning_up_gets_room_past_the_bound_and_no_more(url: str, script: Script) -> None:
    script.limited = 0
    with session(Clock(), real=False, max_requests=1) as http:
        http.post(url, json={})
        with http.cleaning_up(2):
            http.post(url, json={})
            http.post(url, json={})
            with pytest.raises(RequestBudgetExhaustedError):
                http.post(url, json={})
        with pytest.raises(RequestBudgetExhaustedError, match="bound of 1 requests"):
            http.post(url, json={})

    assert len(script.bodies) == 3
