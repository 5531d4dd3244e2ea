"""The five operations as the behaviour tests call them, through the run's session.

Paths, the key header and every valid body come from the spec (its own examples);
names are sent as given. In write mode names carry the suite's prefix and bodies its
marker tag, so the session lets them persist and the sweep can find them.
"""

from __future__ import annotations

import copy
import secrets
from typing import Any

import requests

from statsig_console import spec

from .endpoints import CREATE, PATCH, UPDATE, Endpoints
from .run import ContractRun
from .session import unique_name
from .writes import WRITE_MARKER, WRITE_PREFIX

# Bounds a walk through the list, whatever the pagination answers.
MAX_PAGES = 2000


def example(operation_id: str, name: str) -> dict[str, Any]:
    """A deep copy of one of the spec's own request examples."""
    value = spec.load().operation(operation_id).body_examples[name]
    assert isinstance(value, dict)
    return copy.deepcopy(value)


class Api:
    def __init__(self, run: ContractRun, key: str | None) -> None:
        self.run = run
        self.endpoints = Endpoints.at(run.base_url)
        header = spec.load().operation(CREATE).key_header
        assert header is not None
        self.headers = {header: key} if key is not None else {}
        self.writes = run.ledger is not None

    # Names and bodies

    def name(self, hint: str = "") -> str:
        """A fresh name, ``hint`` kept in it (the characters a test is about)."""
        if self.writes:
            return f"{WRITE_PREFIX}{secrets.token_hex(6)}{hint}"
        return f"{unique_name()}{hint}"

    def create_body(self, name: str, example_name: str = "minimal", **extra: Any) -> dict[str, Any]:
        body = {**example(CREATE, example_name), "name": name, **extra}
        return self._marked(body)

    def update_body(self, example_name: str = "new_query", **extra: Any) -> dict[str, Any]:
        return self._marked({**example(UPDATE, example_name), **extra})

    def patch_body(self, example_name: str = "mark_read_only", **extra: Any) -> dict[str, Any]:
        body = {**example(PATCH, example_name), **extra}
        return self._marked(body) if "tags" in body else body

    def _marked(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.writes:
            body["tags"] = [*body.get("tags", []), WRITE_MARKER]
        return body

    # The operations

    def create(self, body: object) -> requests.Response:
        return self._send("POST", self.endpoints.collection_url, body)

    def update(self, name: str, body: object) -> requests.Response:
        return self._send("POST", self.endpoints.source_url(name), body)

    def patch(self, name: str, body: object) -> requests.Response:
        return self._send("PATCH", self.endpoints.source_url(name), body)

    def delete(self, name: str) -> requests.Response:
        return self._send("DELETE", self.endpoints.source_url(name), None)

    def list_page(self, limit: int | None = None, page: int | None = None) -> requests.Response:
        params = {key: value for key, value in (("limit", limit), ("page", page)) if value}
        with self.run.session.keeping_names():
            return self.run.session.get(
                self.endpoints.collection_url, params=params, headers=self.headers, timeout=30
            )

    def walk(self, limit: int) -> list[dict[str, Any]]:
        """Every source, page by page from page 1 until ``nextPage`` is null."""
        sources: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            response = self.list_page(limit, page)
            assert response.status_code == 200, response.text
            payload = response.json()
            assert payload["pagination"]["pageNumber"] == page, payload["pagination"]
            sources.extend(payload["data"])
            if payload["pagination"]["nextPage"] is None:
                return sources
            assert payload["data"], f"page {page} is empty but names a next page"
        raise AssertionError(f"the list named a next page {MAX_PAGES} times")

    def stored(self, name: str) -> list[dict[str, Any]]:
        """The stored sources named ``name`` (one, or none), read through the list."""
        return [source for source in self.walk(100) if source.get("name") == name]

    def _send(self, method: str, url: str, body: object) -> requests.Response:
        with self.run.session.keeping_names():
            return self.run.session.request(
                method, url, json=body, headers=self.headers, timeout=30
            )


def fields_named(response: requests.Response) -> set[str]:
    """The fields a 400's optional ``errors`` names (empty when it carries none)."""
    errors = response.json().get("errors")
    if not isinstance(errors, list):
        return set()
    return {str(item.get("property")) for item in errors if isinstance(item, dict)}
