"""Masking the API key in text that leaves the client: messages, notes, exceptions."""

from __future__ import annotations

import functools
import re

import httpx

from . import spec

# Statsig's 401 message echoes the key it received ("... Key: console-xxx"); anything
# shaped like a Console key is masked, not only the exact key this client sent.
CONSOLE_KEY = re.compile(r"console-[A-Za-z0-9_\-]+")
REDACTED = "[redacted]"


def redact(text: str, *, api_key: str) -> str:
    """``text`` with ``api_key`` and anything shaped like a Console key masked."""
    if api_key:
        text = text.replace(api_key, REDACTED)
    return CONSOLE_KEY.sub(f"console-{REDACTED}", text)


@functools.cache
def key_headers() -> frozenset[str]:
    """The headers that carry the key, as the spec's security schemes name them."""
    return frozenset(
        operation.key_header.lower() for operation in spec.load() if operation.key_header
    )


def request_key(request: httpx.Request) -> str:
    """The key a request carries ('' when it carries none)."""
    for name in key_headers():
        value: str | None = request.headers.get(name)
        if value:
            return value
    return ""


def redacted_transport_error(error: httpx.TransportError) -> httpx.TransportError:
    """``error`` itself when its text holds no key, else a copy of it with the key masked.

    httpcore quotes the bytes it could not parse (an illegal status line, header line
    or chunk header) in the message, and a server or proxy may have echoed the key in
    them. The copy is raised ``from None``: the original, chained as the cause, holds
    the same text.
    """
    try:
        request: httpx.Request | None = error.request
    except RuntimeError:  # an error raised outside a request has none
        request = None
    api_key = request_key(request) if request is not None else ""
    text = str(error)
    masked = redact(text, api_key=api_key)
    if masked == text:
        return error
    copy = type(error)(masked, request=request)
    for note in getattr(error, "__notes__", ()):
        copy.add_note(redact(note, api_key=api_key))
    return copy
