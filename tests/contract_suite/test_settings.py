"""A wrong setting stops the contract suite before any test runs, with one clear line."""

from __future__ import annotations

import pytest

from .runner import ROOT, clean_environment, run

# pytest's exit status for a usage error.
USAGE_ERROR = 4

WRONG_SETTINGS = {
    "seed-not-a-number": ({"STATSIG_CONTRACT_SEED": "xyz"}, (), "STATSIG_CONTRACT_SEED"),
    "no-examples": ({"STATSIG_CONTRACT_MAX_EXAMPLES": "0"}, (), "at least 1"),
    "negative-examples-option": ({}, ("--max-examples=-5",), "--max-examples must be at least 1"),
    "base-url-without-scheme": ({"STATSIG_API_BASE_URL": "statsigapi.net"}, (), "http://"),
    "pace-not-finite": (
        {
            "STATSIG_CONSOLE_API_KEY": "console-settings-test",
            "STATSIG_API_BASE_URL": "http://127.0.0.1:9",
            "STATSIG_CONTRACT_MIN_INTERVAL_S": "nan",
        },
        (),
        "STATSIG_CONTRACT_MIN_INTERVAL_S must be seconds",
    ),
    "writes-against-the-mock": ({}, ("--allow-writes",), "applies to the real API"),
}


@pytest.mark.parametrize(
    ("settings", "options", "message"), WRONG_SETTINGS.values(), ids=WRONG_SETTINGS.keys()
)
def test_a_wrong_setting_is_one_usage_error(
    settings: dict[str, str], options: tuple[str, ...], message: str
) -> None:
    result = run([str(ROOT / "scripts" / "contract-test"), *options], clean_environment(**settings))

    assert result.returncode == USAGE_ERROR, result.stdout[-2000:]
    assert message in result.stderr
    assert " passed" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    # The key of the real-mode case is not shown either.
    assert "console-settings-test" not in result.stdout + result.stderr
