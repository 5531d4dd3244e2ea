"""Read an OpenAPI document (JSON or YAML, whatever the name says) from a file or URL.

Plain http is refused except for 127.0.0.1 and ::1 (not `localhost`, which the hosts
file could point anywhere): no document is fetched from the network without TLS, while
a local server still works for tests and air-gapped mirrors. The rule applies to every
redirect hop, environment proxies are not used, and downloads are capped.
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
    """A parsed OpenAPI document and where it came from."""

    source: str
    document: dict[str, Any]

    @property
    def openapi_version(self) -> str:
        return str(self.document.get("openapi", "?"))


def check_url(url: str) -> None:
    """Refuse anything but https, and http to a loopback host."""
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

    def check_request(request: httpx.Request) -> None:
        # Runs before every request, redirects included, so no hop can leave https.
        check_url(str(request.url))

    def fetch(url: str) -> str:
        check_url(url)
        try:
            with (
                httpx.Client(
                    transport=transport,
                    timeout=timeout,
                    follow_redirects=True,
                    trust_env=False,
                    event_hooks={"request": [check_request]},
                ) as client,
                client.stream("GET", url, headers={"Accept": "application/json, */*"}) as response,
            ):
                if response.status_code != 200:
                    raise LoadError(f"{url}: download failed with HTTP {response.status_code}")
                content = bytearray()
                for chunk in response.iter_bytes():
                    content += chunk
                    if len(content) > max_bytes:
                        raise LoadError(f"{url}: the document is larger than {max_bytes} bytes")
                encoding = response.encoding or "utf-8"
        except httpx.HTTPError as error:
            raise LoadError(f"{url}: could not download: {error}") from error
        try:
            return content.decode(encoding, errors="replace")
        except LookupError:  # a charset Python does not know
            return content.decode("utf-8", errors="replace")

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
    """Parse JSON, or YAML when the text is not JSON."""
    stripped = text.lstrip()
    if not stripped:
        raise LoadError(f"{source}: the document is empty")
    json_error: json.JSONDecodeError | None = None
    if stripped[0] in "{[":
        try:
            parsed: object = json.loads(text)
            return parsed
        except json.JSONDecodeError as error:
            # Flow-style YAML also starts with a brace; only report the JSON error if
            # YAML cannot read it either, since that is what the author most likely meant.
            json_error = error
    try:
        loaded: object = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a safe loader
        return loaded
    except yaml.YAMLError as error:
        if json_error is not None:
            raise LoadError(
                f"{source}: malformed JSON at line {json_error.lineno} column "
                f"{json_error.colno}: {json_error.msg}"
            ) from error
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        raise LoadError(f"{source}: malformed YAML{where}: {problem}") from error


def load_document(source: str, fetcher: Fetcher | None = None) -> LoadedDocument:
    """Read, parse and sanity-check an OpenAPI 3.x document."""
    parsed = parse_text(read_source(source, fetcher), source)
    if not isinstance(parsed, dict):
        raise LoadError(
            f"{source}: not an OpenAPI document (the top level is a "
            f"{type(parsed).__name__}, not a mapping)"
        )
    if "swagger" in parsed:
        raise LoadError(f"{source}: Swagger {parsed['swagger']} is not supported; need OpenAPI 3")
    version = parsed.get("openapi")
    if isinstance(version, int | float) and not isinstance(version, bool):
        # An unquoted `openapi: 3.1` is a number to YAML.
        version = parsed["openapi"] = str(version)
    if not isinstance(version, str) or not version.startswith("3."):
        raise LoadError(f"{source}: not an OpenAPI 3 document (openapi: {version!r})")
    if not isinstance(parsed.get("paths"), dict):
        raise LoadError(f"{source}: the document has no `paths` mapping")
    return LoadedDocument(source=source, document=parsed)
