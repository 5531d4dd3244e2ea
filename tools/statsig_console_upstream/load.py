"""Read an OpenAPI 3 document (JSON or YAML, whatever the name says) from a file or URL.

Plain http is refused except for 127.0.0.1 and ::1 (not `localhost`, which the hosts
file could point anywhere), on every redirect hop; environment proxies are not used and
downloads are capped. A local server still works for tests and air-gapped mirrors.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml

DEFAULT_TIMEOUT_SECONDS = 30.0
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1"})
# Statsig's whole document is a few MB; far more than that is not an OpenAPI document.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
# YAML's C loader is an optional part of PyYAML; the pure-Python one gives the same result.
_YamlLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Fetcher = Callable[[str], str]


class LoadError(Exception):
    """The document could not be read, parsed, or is not an OpenAPI 3 document."""


@dataclass(frozen=True)
class LoadedDocument:
    source: str
    document: dict[str, Any]

    @property
    def openapi_version(self) -> str:
        return str(self.document.get("openapi", "?"))


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if not (parts.scheme == "https" and parts.hostname) and not (
        parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    ):
        raise LoadError(
            f"{url}: only https URLs are accepted (plain http only for 127.0.0.1 and [::1])"
        )


def http_fetcher(
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Fetcher:
    """A fetcher that downloads a URL with httpx; `transport` lets tests stand in for it."""

    def fetch(url: str) -> str:
        check_url(url)
        # The hook runs before every request, redirects included: no hop can leave https.
        hooks = {"request": [lambda request: check_url(str(request.url))]}
        content = bytearray()
        try:
            with (
                httpx.Client(
                    transport=transport,
                    timeout=timeout,
                    follow_redirects=True,
                    trust_env=False,
                    event_hooks=hooks,
                ) as client,
                client.stream("GET", url, headers={"Accept": "application/json, */*"}) as response,
            ):
                if response.status_code != 200:
                    raise LoadError(f"{url}: download failed with HTTP {response.status_code}")
                for chunk in response.iter_bytes():
                    content += chunk
                    if len(content) > max_bytes:
                        raise LoadError(f"{url}: the document is larger than {max_bytes} bytes")
                encoding = response.encoding or "utf-8"  # httpx knows the codec
        except httpx.HTTPError as error:
            raise LoadError(f"{url}: could not download: {error}") from error
        return content.decode(encoding, errors="replace")

    return fetch


def read_source(source: str, fetcher: Fetcher | None = None) -> str:
    """The text of a file path or URL."""
    if source.startswith(("https://", "http://")):
        return (fetcher or http_fetcher())(source)
    try:
        return Path(source).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise LoadError(f"{source}: not UTF-8 text ({error.reason})") from error
    except OSError as error:  # "no such file or directory", "is a directory"...
        raise LoadError(f"{source}: {(error.strerror or 'cannot read').lower()}") from error


def parse_text(text: str, source: str) -> object:
    """JSON, or YAML (which flow-style text starting with a brace may also be)."""
    if not text.strip():
        raise LoadError(f"{source}: the document is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        json_error = error
    try:
        return yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        # Text that looks like JSON most likely is: report what JSON found.
        if text.lstrip()[0] in "{[":
            where, problem = f"line {json_error.lineno} column {json_error.colno}", json_error.msg
            raise LoadError(f"{source}: malformed JSON at {where}: {problem}") from error
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise LoadError(f"{source}: malformed YAML{where}: {problem}") from error


def load_document(source: str, fetcher: Fetcher | None = None) -> LoadedDocument:
    """Read, parse and sanity-check an OpenAPI 3.x document."""
    parsed = parse_text(read_source(source, fetcher), source)
    if not isinstance(parsed, dict):
        kind = type(parsed).__name__
        raise LoadError(f"{source}: not an OpenAPI document (the top level is a {kind})")
    if "swagger" in parsed:
        raise LoadError(f"{source}: Swagger {parsed['swagger']} is not supported; need OpenAPI 3")
    version = parsed.get("openapi")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = parsed["openapi"] = str(version)  # an unquoted `openapi: 3.1` is a number
    if not isinstance(version, str) or not version.startswith("3."):
        raise LoadError(f"{source}: not an OpenAPI 3 document (openapi: {version!r})")
    if not isinstance(parsed.get("paths"), dict):
        raise LoadError(f"{source}: the document has no `paths` mapping")
    return LoadedDocument(source, parsed)
