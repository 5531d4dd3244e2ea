"""The retry decisions, driven through RetryTransport with httpx.MockTransport and a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from statsig_console import RetryOutcome, RetryPolicy, RetryTransport
from statsig_console._retry import REPEATABLE_EXTENSION, parse_retry_after
from tests.fakes import FakeTime

from .conftest import CREATE, both_modes

URL = "http://127.0.0.1:9" + CREATE.path
NOW = datetime(2026, 5, 4, 12, 0, 0, tzinfo=UTC)


class Script:
    """Answers (or raises) the scripted items in order and counts the attempts."""

    def __init__(self, *items: int | tuple[int, dict[str, str]] | Exception) -> None:
        self.items = list(items)
        self.attempts = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        item = self.items[min(self.attempts, len(self.items) - 1)]
        self.attempts += 1
        if isinstance(item, Exception):
            raise item
        status, headers = item if isinstance(item, tuple) else (item, {})
        return httpx.Response(status, headers=headers, json={"status": status, "message": "x"})


def send(
    script: Script,
    fake_time: FakeTime,
    policy: RetryPolicy | None = None,
    *,
    use_async: bool = False,
    random: Callable[[], float] = lambda: 1.0,
    method: str = "POST",
    repeatable: bool = False,
) -> httpx.Response:
    transport = RetryTransport(
        policy or RetryPolicy(),
        transport=httpx.MockTransport(script),
        async_transport=httpx.MockTransport(script),
        sleep=fake_time.sleep,
        async_sleep=fake_time.async_sleep,
        clock=fake_time.clock,
        random=random,
    )
    extensions = {REPEATABLE_EXTENSION: True} if repeatable else {}
    body = None if method == "GET" else {"name": "x"}
    if use_async:

        async def post() -> httpx.Response:
            async with httpx.AsyncClient(transport=transport) as client:
                return await client.request(method, URL, json=body, extensions=extensions)

        return asyncio.run(post())
    with httpx.Client(transport=transport) as client:
        return client.request(method, URL, json=body, extensions=extensions)


@both_modes
def test_429_waits_retry_after_then_succeeds(fake_time: FakeTime, use_async: bool) -> None:
    script = Script((429, {"Retry-After": "1"}), (429, {"Retry-After": "2"}), 201)

    response = send(script, fake_time, use_async=use_async)

    assert response.status_code == 201
    assert script.attempts == 3
    assert fake_time.sleeps == [1.0, 2.0]
    assert response.extensions["statsig_console.retry"] == RetryOutcome(3, "")


@both_modes
def test_429_without_retry_after_waits_out_statsigs_shortest_window(
    fake_time: FakeTime, use_async: bool
) -> None:
    script = Script(429, (429, {"Retry-After": "soon"}), 201)

    response = send(script, fake_time, use_async=use_async)

    assert response.status_code == 201
    assert fake_time.sleeps == [10.0, 10.0]


@both_modes
def test_429_asking_for_more_than_max_retry_after_is_returned_at_once(
    fake_time: FakeTime, use_async: bool
) -> None:
    script = Script((429, {"Retry-After": "900"}), 201)

    response = send(script, fake_time, RetryPolicy(max_retry_after=30), use_async=use_async)

    assert response.status_code == 429
    assert script.attempts == 1
    assert fake_time.sleeps == []
    outcome = response.extensions["statsig_console.retry"]
    assert "more than max_retry_after" in outcome.stopped_because


@both_modes
def test_429_with_an_http_date_waits_until_that_date(fake_time: FakeTime, use_async: bool) -> None:
    headers = {
        "Date": format_datetime(NOW, usegmt=True),
        "Retry-After": format_datetime(NOW + timedelta(seconds=7), usegmt=True),
    }
    script = Script((429, headers), 201)

    response = send(script, fake_time, use_async=use_async)

    assert response.status_code == 201
    assert fake_time.sleeps == [7.0]


@both_modes
def test_503_without_retry_after_backs_off_exponentially_up_to_the_cap(
    fake_time: FakeTime, use_async: bool
) -> None:
    script = Script(503)
    policy = RetryPolicy(max_attempts=6, backoff_initial=0.5, backoff_max=3.0, max_elapsed=100)

    response = send(script, fake_time, policy, use_async=use_async)

    assert response.status_code == 503
    assert script.attempts == 6
    # random() == 1.0 shows each ceiling: 0.5 * 2**n, capped at backoff_max.
    assert fake_time.sleeps == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert "last of max_attempts=6" in response.extensions["statsig_console.retry"].stopped_because


def test_backoff_uses_full_jitter(fake_time: FakeTime) -> None:
    draws = iter([0.25, 0.5, 0.0])
    script = Script(503, 503, 503, 201)

    send(script, fake_time, RetryPolicy(backoff_initial=2.0), random=lambda: next(draws))

    assert fake_time.sleeps == [0.25 * 2.0, 0.5 * 4.0, 0.0]


@both_modes
def test_503_honours_retry_after(fake_time: FakeTime, use_async: bool) -> None:
    script = Script((503, {"Retry-After": "4"}), 201)

    response = send(script, fake_time, use_async=use_async)

    assert response.status_code == 201
    assert fake_time.sleeps == [4.0]


@both_modes
@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("full")],
    ids=lambda error: type(error).__name__,
)
def test_errors_before_sending_are_retried(
    fake_time: FakeTime, use_async: bool, error: Exception
) -> None:
    script = Script(error, error, 201)

    response = send(script, fake_time, use_async=use_async)

    assert response.status_code == 201
    assert script.attempts == 3
    assert len(fake_time.sleeps) == 2


@both_modes
@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout("the server may have acted"),
        httpx.WriteTimeout("partly sent"),
        httpx.RemoteProtocolError("disconnected without a response"),
        httpx.ReadError("reset"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_errors_after_sending_are_not_retried(
    fake_time: FakeTime, use_async: bool, error: Exception
) -> None:
    script = Script(error, 201)

    with pytest.raises(type(error)):
        send(script, fake_time, use_async=use_async)

    assert script.attempts == 1
    assert fake_time.sleeps == []


AMBIGUOUS = [
    httpx.ReadTimeout("the server may have acted"),
    httpx.WriteTimeout("partly sent"),
    httpx.RemoteProtocolError("disconnected without a response"),
    httpx.ReadError("reset"),
    httpx.WriteError("broken pipe"),
]


@both_modes
@pytest.mark.parametrize("error", AMBIGUOUS, ids=lambda error: type(error).__name__)
@pytest.mark.parametrize(
    ("method", "repeatable"), [("GET", False), ("POST", True)], ids=["GET", "marked POST"]
)
def test_errors_after_sending_are_retried_for_a_repeatable_request(
    fake_time: FakeTime, use_async: bool, error: Exception, method: str, repeatable: bool
) -> None:
    script = Script(error, error, 200)

    response = send(script, fake_time, use_async=use_async, method=method, repeatable=repeatable)

    assert response.status_code == 200
    assert script.attempts == 3
    assert len(fake_time.sleeps) == 2
    assert response.extensions["statsig_console.retry"] == RetryOutcome(3, "", 2)


@both_modes
@pytest.mark.parametrize("status", [502, 504])
@pytest.mark.parametrize(
    ("method", "repeatable"), [("GET", False), ("DELETE", True)], ids=["GET", "marked DELETE"]
)
def test_502_and_504_are_retried_for_a_repeatable_request(
    fake_time: FakeTime, use_async: bool, status: int, method: str, repeatable: bool
) -> None:
    script = Script(status, 200)

    response = send(script, fake_time, use_async=use_async, method=method, repeatable=repeatable)

    assert response.status_code == 200
    assert response.extensions["statsig_console.retry"].ambiguous_retries == 1


@both_modes
def test_a_503_retry_is_not_counted_as_ambiguous(fake_time: FakeTime, use_async: bool) -> None:
    # A 503 was refused before any work: its retry cannot repeat a change.
    script = Script(503, 200)

    response = send(script, fake_time, use_async=use_async, method="GET")

    assert response.extensions["statsig_console.retry"] == RetryOutcome(2, "", 0)


def test_the_ambiguous_statuses_are_configurable(fake_time: FakeTime) -> None:
    script = Script(500, 200)
    policy = RetryPolicy(ambiguous_statuses={500})

    response = send(script, fake_time, policy, method="GET")

    assert response.status_code == 200


def test_ambiguous_failures_of_a_read_can_be_left_alone(fake_time: FakeTime) -> None:
    script = Script(httpx.ReadTimeout("slow"), 200)

    with pytest.raises(httpx.ReadTimeout):
        send(script, fake_time, RetryPolicy(retry_ambiguous=False), method="GET")

    assert script.attempts == 1


@both_modes
@pytest.mark.parametrize("status", [400, 401, 500, 502, 504, 418, 520])
def test_other_statuses_are_not_retried(fake_time: FakeTime, use_async: bool, status: int) -> None:
    script = Script(status, 201)

    response = send(script, fake_time, use_async=use_async)

    assert response.status_code == status
    assert script.attempts == 1


@both_modes
def test_connection_errors_give_up_after_max_attempts_with_a_note(
    fake_time: FakeTime, use_async: bool
) -> None:
    script = Script(httpx.ConnectError("refused"))

    with pytest.raises(httpx.ConnectError) as caught:
        send(script, fake_time, RetryPolicy(max_attempts=3), use_async=use_async)

    assert script.attempts == 3
    assert len(fake_time.sleeps) == 2
    assert any("gave up after 3 attempt(s)" in note for note in caught.value.__notes__)


@both_modes
def test_no_retry_starts_that_would_end_past_max_elapsed(
    fake_time: FakeTime, use_async: bool
) -> None:
    script = Script((429, {"Retry-After": "4"}))
    policy = RetryPolicy(max_attempts=100, max_elapsed=10, max_retry_after=5)

    response = send(script, fake_time, policy, use_async=use_async)

    # Waits of 4 s end at 4 and 8; a third would end at 12, past 10.
    assert script.attempts == 3
    assert fake_time.sleeps == [4.0, 4.0]
    assert "max_elapsed" in response.extensions["statsig_console.retry"].stopped_because


def test_max_elapsed_counts_time_spent_in_requests(fake_time: FakeTime) -> None:
    script = Script(503)

    def slow(request: httpx.Request) -> httpx.Response:
        fake_time.now += 6  # each attempt takes 6 s of the budget
        return script(request)

    transport = RetryTransport(
        RetryPolicy(max_attempts=10, max_elapsed=10, backoff_initial=1, backoff_max=1),
        transport=httpx.MockTransport(slow),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        random=lambda: 1.0,
    )
    with httpx.Client(transport=transport) as client:
        client.post(URL)

    # 6 s + 1 s wait + 6 s: a second wait would end past 10 s.
    assert script.attempts == 2


def test_connect_errors_can_be_left_alone(fake_time: FakeTime) -> None:
    script = Script(httpx.ConnectError("refused"), 201)

    with pytest.raises(httpx.ConnectError):
        send(script, fake_time, RetryPolicy(retry_connect_errors=False))

    assert script.attempts == 1


def test_the_retried_statuses_are_configurable(fake_time: FakeTime) -> None:
    script = Script(429, 201)

    response = send(script, fake_time, RetryPolicy(retry_statuses={503}))

    assert response.status_code == 429
    assert script.attempts == 1


def test_max_attempts_of_one_disables_retries(fake_time: FakeTime) -> None:
    script = Script((429, {"Retry-After": "1"}), 201)

    response = send(script, fake_time, RetryPolicy(max_attempts=1))

    assert response.status_code == 429
    assert script.attempts == 1


@pytest.mark.parametrize(
    "value", [{"max_attempts": 0}, {"max_elapsed": 0}, {"max_retry_after": -1}, {"backoff_max": 0}]
)
def test_a_policy_that_cannot_work_is_rejected(value: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(value))):
        RetryPolicy(**value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        (" 10 ", 10.0),
        ("1.5", 1.5),
        ("0", 0.0),
        (format_datetime(NOW + timedelta(seconds=90), usegmt=True), 90.0),
        (format_datetime(NOW - timedelta(seconds=90), usegmt=True), 0.0),
        ("soon", None),
        ("-5", None),
        ("", None),
    ],
)
def test_retry_after_values(header: str, expected: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == expected
