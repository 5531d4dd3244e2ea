"""The pytest plugin (entry point ``pytest11``): the ``statsig_mock`` fixture.

Installing ``statsig-console-mock`` is all it takes. The fixture starts a mock on a
free loopback port the first time a test asks for it and keeps it for the session,
emptying it (sources, journal, rate-limit counters) before each test. A test that
needs other settings says so with a marker or an indirect parameter, both taking
:class:`~statsig_console_mock.MockSettings` fields; each distinct configuration gets
one server of its own, also kept for the session::

    @pytest.mark.statsig_mock(rate_limit="statsig")      # Statsig's limits
    @pytest.mark.statsig_mock(faults=FaultSettings(rate=1.0, status=503))

Nothing heavy is imported until the fixture is used, so the plugin costs a test run
that does not use it nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

if TYPE_CHECKING:
    from statsig_console_client import AuthenticatedClient

    from statsig_console import RetryPolicy
    from statsig_console_mock.app import MockApp, MockState
    from statsig_console_mock.journal import JournalEntry
    from statsig_console_mock.settings import MockSettings
    from statsig_console_mock.transport import MockTransport

MARKER: Final = "statsig_mock"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): run the statsig_mock fixture with these MockSettings fields "
        "(rate_limit='statsig', faults=FaultSettings(...), api_keys=(...), ...)",
    )


class StatsigMock:
    """One test's view of a running mock: where it is, what it holds, what it was sent."""

    def __init__(self, app: MockApp, base_url: str) -> None:
        self.app = app
        self.base_url = base_url

    @property
    def _state(self) -> MockState:
        from statsig_console_mock.app import mock_state

        return mock_state(self.app)

    @property
    def api_key(self) -> str:
        """An accepted key (the first configured one)."""
        return self._state.settings.api_keys[0]

    def client(self, *, retry: RetryPolicy | None = None, **options: Any) -> AuthenticatedClient:  # noqa: ANN401
        """A ``build_client`` client for this mock, with an accepted key.

        ``retry`` is None by default, so a test sees each refusal as it was answered;
        pass a ``RetryPolicy`` to test retrying code. Other options go to ``build_client``.
        """
        from statsig_console import build_client

        return build_client(self.api_key, base_url=self.base_url, retry=retry, **options)

    def transport(self) -> MockTransport:
        """An in-process transport serving this same mock, with no socket."""
        from statsig_console_mock.transport import MockTransport

        return MockTransport(self.app)

    @property
    def sources(self) -> list[dict[str, Any]]:
        """The stored sources, in creation order."""
        return self._state.store.list()

    @property
    def requests(self) -> list[JournalEntry]:
        """The requests answered since the last reset, oldest first (keys redacted)."""
        return self._state.journal.entries()

    def seed(self, *seeds: Mapping[str, Any] | str | Path) -> list[dict[str, Any]]:
        """Store sources as if created: create bodies, or seed files or folders.

        Each goes through the create operation's validation and defaults; a bad one
        raises :class:`~statsig_console_mock.seeds.SeedError`. Seeding is not journaled.
        """
        from statsig_console_mock.seeds import Seeder

        state = self._state
        seeder = Seeder(state.spec.operations, state.handlers)
        stored: list[dict[str, Any]] = []
        for index, seed in enumerate(seeds):
            if isinstance(seed, str | Path):
                stored.extend(seeder.load(Path(seed)))
            else:
                stored.append(seeder.add(dict(seed), f"seed({index})"))
        if state.state_file is not None:
            state.state_file.save()
        return stored

    def reset(self) -> None:
        """Forget the sources, the journal and the rate-limit counters."""
        self._state.reset()


class _Servers:
    """One running mock per configuration, started on first use, stopped at the end."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._running: dict[MockSettings, tuple[MockApp, str]] = {}

    def get(self, settings: MockSettings) -> tuple[MockApp, str]:
        if settings not in self._running:
            from statsig_console_mock.app import create_app
            from statsig_console_mock.testing import run_mock_server

            app = create_app(settings)
            base_url = self._stack.enter_context(run_mock_server(app=app))
            self._running[settings] = (app, base_url)
        return self._running[settings]

    def close(self) -> None:
        self._stack.close()


def _settings(request: pytest.FixtureRequest) -> MockSettings:
    from statsig_console_mock.settings import (
        STATSIG_RATE_WINDOWS,
        MockSettings,
        RateLimitSettings,
    )

    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers(MARKER))):
        if marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.{MARKER} takes MockSettings fields by name, not {marker.args!r}"
            )
        options.update(marker.kwargs)
    param = getattr(request, "param", None)
    if isinstance(param, MockSettings):
        return param
    if isinstance(param, Mapping):
        options.update(param)
    elif param is not None:
        raise pytest.UsageError(f"{MARKER}: an indirect parameter is MockSettings or a dict")
    rate_limit = options.get("rate_limit")
    if rate_limit == "statsig" or rate_limit is True:
        options["rate_limit"] = RateLimitSettings(STATSIG_RATE_WINDOWS)
    for name in ("api_keys", "allowed_hosts", "seed_paths"):
        if isinstance(options.get(name), list):
            options[name] = tuple(options[name])
    try:
        return MockSettings(**options)
    except TypeError as exc:
        raise pytest.UsageError(f"{MARKER}: {exc}") from None


@pytest.fixture(scope="session")
def _statsig_mock_servers() -> Iterator[_Servers]:
    servers = _Servers()
    try:
        yield servers
    finally:
        servers.close()


@pytest.fixture
def statsig_mock(request: pytest.FixtureRequest, _statsig_mock_servers: _Servers) -> StatsigMock:
    """A Statsig-faithful mock on 127.0.0.1, empty at the start of the test."""
    app, base_url = _statsig_mock_servers.get(_settings(request))
    mock = StatsigMock(app, base_url)
    mock.reset()
    if mock._state.settings.seed_paths:
        mock.seed(*mock._state.settings.seed_paths)
    return mock
