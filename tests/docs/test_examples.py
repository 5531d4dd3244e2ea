"""Every code example in README.md and docs/*.md runs, or says why it does not.

``python`` blocks are executed in this process and ``console`` blocks with bash, each
against a mock of its own on 127.0.0.1; an ``output`` block right after an example is
what it must print. A block marked ``<!-- not-run: REASON -->`` is skipped with that
reason, so the skips in pytest's summary list every example not run and why. Blocks of
``text``, ``yaml``, ``json`` or ``toml`` are data (a report's layout, a workflow file),
not examples. The convention is written down in docs/README.md.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from statsig_console_mock import DEFAULT_API_KEY
from statsig_console_mock.testing import run_mock_server

from .blocks import DATA, OUTPUT, PYTHON, SHELL, Block, Page, expected_output, read_page

ROOT = Path(__file__).resolve().parents[2]
PAGES = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
# The address the console examples are written for, the mock's default.
DOCUMENTED_BASE_URL = "http://127.0.0.1:8089"
SHELL_TIMEOUT_S = 60

READ = {path: read_page(path) for path in PAGES}
BLOCKS = [block for page in READ.values() for block in page.blocks]
EXAMPLES = [block for block in BLOCKS if block.is_example]
PYTHON_EXAMPLES = [block for block in EXAMPLES if block.language in PYTHON]
SHELL_EXAMPLES = [block for block in EXAMPLES if block.language in SHELL]


def _ids(blocks: list[Block]) -> list[str]:
    return [block.name for block in blocks]


def _page(block: Block) -> Page:
    return READ[block.page]


def test_the_pages_are_found() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in PAGES}
    assert {
        "README.md",
        "docs/README.md",
        "docs/client.md",
        "docs/mock.md",
        "docs/contract-tests.md",
        "docs/benchmarks.md",
        "docs/development.md",
    } <= names
    assert PYTHON_EXAMPLES
    assert any(block.not_run is None for block in SHELL_EXAMPLES)


@pytest.mark.parametrize("page", PAGES, ids=[path.name for path in PAGES])
def test_every_mark_stands_right_before_a_block(page: Path) -> None:
    assert not READ[page].stray_marks, (
        f"{page.name}: a not-run mark on line(s) {list(READ[page].stray_marks)} is not "
        "followed by a code block"
    )


@pytest.mark.parametrize("block", BLOCKS, ids=_ids(BLOCKS))
def test_every_block_is_an_example_its_output_or_data(block: Block) -> None:
    known = PYTHON | SHELL | DATA | {OUTPUT}
    assert block.language in known, (
        f"{block.name}: a block needs one of the languages {sorted(known)}, not {block.language!r}"
    )
    if block.not_run is not None:
        assert block.is_example, f"{block.name}: only an example can be marked not-run"
        assert block.not_run, f"{block.name}: the not-run mark must say why"
    if block.language == OUTPUT:
        page = _page(block)
        position = page.blocks.index(block)
        before = page.blocks[position - 1] if position else None
        message = f"{block.name}: an output block must follow the example that is run to print it"
        assert before is not None, message
        assert before.is_example, message
        assert before.not_run is None, message
    if block.language in SHELL:
        prompts = [line for line in block.code.splitlines() if line.startswith("$ ")]
        assert not prompts, f"{block.name}: command lines are written without a '$ ' prompt"


@pytest.mark.parametrize("block", PYTHON_EXAMPLES, ids=_ids(PYTHON_EXAMPLES))
def test_python_example(
    block: Block, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if block.not_run is not None:
        pytest.skip(f"{block.name} not run: {block.not_run}")
    # Leading newlines keep the line numbers of a traceback those of the page.
    code = compile("\n" * block.line + block.code, str(block.page), "exec")
    monkeypatch.chdir(ROOT)
    with run_mock_server() as base_url:
        monkeypatch.setenv("STATSIG_CONSOLE_API_KEY", DEFAULT_API_KEY)
        monkeypatch.setenv("STATSIG_API_BASE_URL", base_url)
        exec(code, {"__name__": "__main__"})
    printed = capsys.readouterr().out
    expected = expected_output(_page(block), block)
    if expected is not None:
        assert printed == expected, f"{block.name} printed something else than its output block"


@pytest.mark.parametrize("block", SHELL_EXAMPLES, ids=_ids(SHELL_EXAMPLES))
def test_console_example(block: Block) -> None:
    if block.not_run is not None:
        pytest.skip(f"{block.name} not run: {block.not_run}")
    # The variables that could point a command at Statsig are not inherited.
    env = {key: value for key, value in os.environ.items() if not key.startswith("STATSIG_")}
    env["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", "")))
    with run_mock_server() as base_url:
        completed = _run_bash(block.code.replace(DOCUMENTED_BASE_URL, base_url), env)
    assert completed.returncode == 0, (
        f"{block.name} failed (exit {completed.returncode}):\n{completed.stderr}{completed.stdout}"
    )
    expected = expected_output(_page(block), block)
    if expected is not None:
        assert completed.stdout.replace(base_url, DOCUMENTED_BASE_URL) == expected, (
            f"{block.name} printed something else than its output block"
        )


def _run_bash(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A session of its own, so that a timeout stops whatever the commands started too.
    with subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=SHELL_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"the commands did not finish within {SHELL_TIMEOUT_S} s")
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_the_readme_is_short_and_shows_the_two_commands() -> None:
    readme = READ[ROOT / "README.md"]
    assert len(readme.path.read_text(encoding="utf-8").splitlines()) <= 160
    commands = [
        line.split("#", 1)[0].strip()
        for block in readme.blocks
        if block.language in SHELL
        for line in block.code.splitlines()
    ]
    assert "scripts/contract-test" in commands
    assert "scripts/test" in commands
