"""The console script is always there; without the cli extra it says how to get it."""

from __future__ import annotations

import sys
from importlib.metadata import entry_points

import pytest

from statsig_console.cli import EXTRA_HINT, main


def test_the_console_script_is_declared() -> None:
    [script] = entry_points(group="console_scripts", name="statsig-console")

    assert script.value == "statsig_console.cli:main"


@pytest.mark.parametrize("module", ["yaml", "rich"])
def test_a_missing_extra_exits_1_with_the_install_line(
    module: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A None entry makes the import machinery report the module as absent.
    monkeypatch.setitem(sys.modules, module, None)

    code = main(["sources", "plan", "."])

    assert code == 1
    assert EXTRA_HINT == "pip install 'statsig-console[cli]'"
    assert EXTRA_HINT in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--page-size", "abc"], "--page-size: expected a whole number, got 'abc'"),
        (["--page-size", "0"], "--page-size: must be at least 1, got 0"),
        (["--rate-window", "5/0"], "--rate-window: expected LIMIT/SECONDS such as 100/10"),
    ],
)
def test_a_bad_option_is_a_usage_error_naming_it(
    option: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["sources", "plan", ".", *option])

    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
