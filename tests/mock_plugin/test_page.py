"""``GET /_mock/`` in headless Chromium: it loads, lists a source created through the
API (a name with markup showing as text), and shows a refused request with its status.

``scripts/test`` installs Debian's ``chromium`` when it is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from statsig_console_mock import DEFAULT_API_KEY, create_app
from statsig_console_mock.page import page_html
from statsig_console_mock.testing import run_mock_server

from .helpers import CREATE, KEY_HEADER, example_body

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE_NAME = "<script>document.title='owned'</script><b>bold</b>"
BROWSER_TIMEOUT_S = 120


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("chromium is missing; scripts/test installs it (apt-get install chromium)")
    pytest.skip("chromium is not installed (scripts/test installs it)")


class _Cells(HTMLParser):
    """The text of each table row in a tbody, and the class of each cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[list[tuple[str, str]]]] = {}
        self.scripts = 0
        self.title = ""
        self._body: str | None = None
        self._cell: list[str] | None = None
        self._class = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "tbody":
            self._body = values.get("id") or ""
            self.rows[self._body] = []
        elif tag == "tr" and self._body is not None:
            self.rows[self._body].append([])
        elif tag == "td" and self._body is not None:
            self._cell, self._class = [], values.get("class") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._body is not None:
            self.rows[self._body][-1].append(("".join(self._cell), self._class))
            self._cell = None
        elif tag == "tbody":
            self._body = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_title:
            self.title += data


def _rendered(url: str, profile: Path) -> _Cells:
    done = subprocess.run(
        [
            _chromium_or_skip(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            # Virtual time lets the page's script fetch and render before the DOM is taken.
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=BROWSER_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    cells = _Cells()
    cells.feed(done.stdout)
    return cells


def test_the_page_lists_sources_as_text_and_refused_requests(tmp_path: Path) -> None:
    app = create_app()
    with run_mock_server(app=app) as base_url:
        created = httpx.post(
            f"{base_url}{CREATE.url_path()}",
            json=example_body(HOSTILE_NAME),
            headers={KEY_HEADER: DEFAULT_API_KEY},
        )
        assert created.status_code == 201
        refused = httpx.post(f"{base_url}{CREATE.url_path()}", json=example_body("refused"))
        assert refused.status_code == 401

        page = _rendered(f"{base_url}/_mock/", tmp_path / "profile")

    # The name arrived as text: no element was made of it, and its script did not run.
    assert page.title == "Statsig Console mock"
    assert page.scripts == 1
    (source,) = page.rows["sources"]
    assert source[0][0] == HOSTILE_NAME
    # Newest first: the refused create, then the stored one.
    statuses = [(row[1][0], row[2][0], row[3]) for row in page.rows["requests"]]
    assert statuses == [
        ("POST", CREATE.path, ("401", "status-refused")),
        ("POST", CREATE.path, ("201", "status-ok")),
    ]


def test_the_page_needs_nothing_from_elsewhere() -> None:
    html = page_html().decode("utf-8")
    for outside in ("http://", "https://", " src=", "<link", "@import"):
        assert outside not in html
    with run_mock_server() as base_url:
        response = httpx.get(f"{base_url}/_mock/")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in response.headers["content-security-policy"]
