"""The Host header check: the mock answers only to the names it is reached by.

A web page whose domain name is re-pointed at 127.0.0.1 (DNS rebinding) reaches the
mock with its own name in the Host header; refusing every name but the allowed ones
keeps such a page from reading or changing the mock's state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from starlette.types import Scope

from statsig_console_mock.text import shorten

_SHOWN_HOST_CHARS: Final = 60
# Bounded, so a client sending a new value every time cannot grow it.
_VERDICTS_REMEMBERED: Final = 64


def host_name(value: str) -> str:
    """The name in a Host header value, without its port and IPv6 brackets, lower-cased."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[1:end] if end > 0 else value
    name, colon, _port = value.rpartition(":")
    return name if colon else value


class HostGuard:
    def __init__(self, allowed: Iterable[str]) -> None:
        # Configured as bare names or addresses ("::1" or "[::1]"), never with a port.
        self._allowed = tuple(dict.fromkeys(host.strip().strip("[]").lower() for host in allowed))
        self._names = frozenset(self._allowed)
        self._verdicts: dict[bytes, str | None] = {}

    def refusal(self, scope: Scope) -> str | None:
        """Why the request's Host header is refused, or None when it is allowed or absent."""
        for name, value in scope["headers"]:
            if name == b"host":
                verdict = self._verdict(value)
                if verdict is not None:
                    return verdict
        return None

    def _verdict(self, value: bytes) -> str | None:
        try:
            return self._verdicts[value]
        except KeyError:
            text = value.decode("latin-1")
            verdict = None
            if host_name(text) not in self._names:
                verdict = (
                    f"Host: {shorten(text, _SHOWN_HOST_CHARS)!r} is not a name of this mock; "
                    f"it answers to {', '.join(self._allowed)} "
                    "(start it with --allowed-host NAME to add one)"
                )
        if len(self._verdicts) < _VERDICTS_REMEMBERED:
            self._verdicts[value] = verdict
        return verdict
