"""The README's production example runs as written, against the mock."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from statsig_console_mock import MockSettings, create_app, mock_state
from statsig_console_mock.testing import run_mock_server

from .conftest import API_KEY

README = Path(__file__).resolve().parents[2] / "README.md"


def production_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using the client in production", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the section starts with a Python example"
    return match.group(1)


def test_the_example_builds_from_the_environment_and_creates_a_source(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = production_example()
    assert "client_from_env()" in code
    assert code.count("create_assignment_source(") == 1

    app = create_app(MockSettings(api_keys=(API_KEY,)))
    with run_mock_server(app=app) as url:
        monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", API_KEY)
        monkeypatch.setenv("STATSIG_API_BASE_URL", url)
        exec(compile(code, str(README), "exec"), {})
        stored = mock_state(app).store.list()

    assert capsys.readouterr().out == "exposures4\n"
    assert [item["name"] for item in stored] == ["exposures4"]
