"""429 answers: Statsig's per-project limits on mutations, when their emulation is on."""

from __future__ import annotations

import httpx
import pytest

from statsig_console_mock import (
    DEFAULT_API_KEY,
    MockSettings,
    RateLimitSettings,
    RateWindow,
    create_app,
    mock_state,
)
from statsig_console_mock.ratelimit import RateLimiter
from statsig_console_mock.testing import reset_mock, run_mock_server

from .helpers import DELETE, ENDPOINT, LIST, SpecChecker, minimal_body

OTHER_KEY = "console-second-key-for-limits"


# One client for the module: building one per request costs more than the request.
_http = httpx.Client()


def _post(base_url: str, key: str = DEFAULT_API_KEY) -> httpx.Response:
    return _http.post(
        f"{base_url}{ENDPOINT}", json=minimal_body(), headers={"STATSIG-API-KEY": key}
    )


def test_off_by_default(mock_url: str) -> None:
    statuses = {_post(mock_url).status_code for _ in range(120)}

    assert statuses == {201}


def test_statsig_limits_allow_100_per_10_seconds(checker: SpecChecker) -> None:
    settings = MockSettings(rate_limit=RateLimitSettings())
    with run_mock_server(settings) as base_url, httpx.Client(base_url=base_url) as client:
        headers = {"STATSIG-API-KEY": DEFAULT_API_KEY}
        statuses = [
            client.post(ENDPOINT, json=minimal_body(), headers=headers).status_code
            for _ in range(100)
        ]
        limited = client.post(ENDPOINT, json=minimal_body(), headers=headers)

    assert statuses == [201] * 100
    assert limited.status_code == 429
    body = checker.check(limited)
    assert 1 <= int(limited.headers["retry-after"]) <= 10
    assert body["message"] == (
        f"Too many requests. Please retry after {limited.headers['retry-after']} seconds."
    )


def test_limits_are_per_key_and_reset_clears_them(checker: SpecChecker) -> None:
    settings = MockSettings(
        api_keys=(DEFAULT_API_KEY, OTHER_KEY),
        rate_limit=RateLimitSettings(windows=(RateWindow(3, 60.0),)),
    )
    with run_mock_server(settings) as base_url:
        assert [_post(base_url).status_code for _ in range(4)] == [201, 201, 201, 429]
        assert _post(base_url, OTHER_KEY).status_code == 201
        reset_mock(base_url)
        assert _post(base_url).status_code == 201


def test_invalid_requests_count_too(checker: SpecChecker) -> None:
    settings = MockSettings(rate_limit=RateLimitSettings(windows=(RateWindow(2, 60.0),)))
    with run_mock_server(settings) as base_url:
        url = f"{base_url}{ENDPOINT}"
        headers = {"STATSIG-API-KEY": DEFAULT_API_KEY}
        assert httpx.post(url, json={}, headers=headers).status_code == 400
        assert httpx.post(url, json={}, headers=headers).status_code == 400
        limited = httpx.post(url, json={}, headers=headers)
    assert limited.status_code == 429
    checker.check(limited)


def test_unauthenticated_requests_are_not_counted_against_a_key() -> None:
    settings = MockSettings(rate_limit=RateLimitSettings(windows=(RateWindow(1, 60.0),)))
    app = create_app(settings)
    with run_mock_server(app=app) as base_url:
        for _ in range(5):
            assert _post(base_url, "console-wrong").status_code == 401
        assert _post(base_url).status_code == 201
        assert mock_state(app).rate_limiter is not None


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_windows_slide_and_retry_after_is_exact() -> None:
    clock = _Clock()
    limiter = RateLimiter(RateLimitSettings(windows=(RateWindow(2, 10.0),)), clock=clock)

    assert limiter.acquire("k") is None
    clock.now += 4
    assert limiter.acquire("k") is None
    clock.now += 1
    assert limiter.acquire("k") == 5  # the first request leaves the window at t+10
    clock.now += 5
    assert limiter.acquire("k") is None
    assert limiter.acquire("k") == 4


def test_the_longer_window_can_be_the_one_that_is_full() -> None:
    clock = _Clock()
    windows = (RateWindow(100, 10.0), RateWindow(150, 900.0))
    limiter = RateLimiter(RateLimitSettings(windows=windows), clock=clock)
    start = clock.now

    assert all(limiter.acquire("k") is None for _ in range(100))
    assert limiter.acquire("k") == 10
    clock.now += 11
    assert all(limiter.acquire("k") is None for _ in range(50))

    assert limiter.acquire("k") == round(start + 900 - clock.now)


def test_keys_do_not_share_windows() -> None:
    limiter = RateLimiter(RateLimitSettings(windows=(RateWindow(1, 10.0),)), clock=_Clock())

    assert limiter.acquire("a") is None
    assert limiter.acquire("b") is None
    assert limiter.acquire("a") == 10


@pytest.mark.parametrize(("limit", "seconds"), [(0, 1.0), (1, 0.0), (-1, 5.0)])
def test_nonsense_windows_are_refused(limit: int, seconds: float) -> None:
    with pytest.raises(ValueError, match="rate window"):
        RateWindow(limit, seconds)


def test_reads_are_not_counted() -> None:
    settings = MockSettings(rate_limit=RateLimitSettings(windows=(RateWindow(2, 60.0),)))
    with run_mock_server(settings) as base_url:
        headers = {"STATSIG-API-KEY": DEFAULT_API_KEY}
        reads = [_http.get(f"{base_url}{LIST.path}", headers=headers).status_code for _ in range(5)]
        assert reads == [200] * 5
        assert [_post(base_url).status_code for _ in range(3)] == [201, 201, 429]
        assert _http.get(f"{base_url}{LIST.path}", headers=headers).status_code == 200


def test_every_mutation_counts() -> None:
    settings = MockSettings(rate_limit=RateLimitSettings(windows=(RateWindow(2, 60.0),)))
    with run_mock_server(settings) as base_url:
        headers = {"STATSIG-API-KEY": DEFAULT_API_KEY}
        assert _post(base_url).status_code == 201
        # A delete of an unknown name is still a mutation request.
        deleted = _http.delete(f"{base_url}{DELETE.url_path(name='absent')}", headers=headers)
        assert deleted.status_code == 404
        assert _post(base_url).status_code == 429


def test_keys_of_one_project_share_its_budget() -> None:
    third = "console-third-key-own-project"
    settings = MockSettings(
        api_keys=(DEFAULT_API_KEY, OTHER_KEY, third),
        rate_limit=RateLimitSettings(windows=(RateWindow(3, 60.0),)),
        projects=((DEFAULT_API_KEY, OTHER_KEY),),
    )
    with run_mock_server(settings) as base_url:
        assert _post(base_url).status_code == 201
        assert _post(base_url, OTHER_KEY).status_code == 201
        assert _post(base_url).status_code == 201
        assert _post(base_url, OTHER_KEY).status_code == 429
        assert _post(base_url).status_code == 429
        assert _post(base_url, third).status_code == 201


def test_a_project_key_maps_to_one_budget_in_the_limiter() -> None:
    limiter = RateLimiter(
        RateLimitSettings(windows=(RateWindow(1, 10.0),)), clock=_Clock(), projects=[("a", "b")]
    )

    assert limiter.acquire("b") is None
    assert limiter.acquire("a") == 10
    assert limiter.acquire("c") is None


@pytest.mark.parametrize(
    ("projects", "problem"),
    [
        (((),), "names no key"),
        ((("console-not-accepted",),), "not accepted"),
        (((DEFAULT_API_KEY,), (DEFAULT_API_KEY,)), "earlier project"),
    ],
)
def test_projects_name_accepted_keys_once(
    projects: tuple[tuple[str, ...], ...], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem) as raised:
        MockSettings(projects=projects)
    assert "console-not-accepted" not in str(raised.value)
