"""A pytest plugin that keeps the key out of everything a real-mode run writes.

Tracebacks show the arguments and locals of the HTTP library's frames, which hold the
request's headers; options a user adds (``--tb=long``, ``-l``, ``--full-trace``, ``-vv``)
show more. So every report is redacted before any reporter sees it, the terminal
writer redacts whatever is written through it, and the JUnit XML file is redacted
once written.
"""

from __future__ import annotations

from collections.abc import Generator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from _pytest._io import TerminalWriter
from _pytest.reports import BaseReport

from .redaction import Redactor


class RedactedRepr:
    """A failure's text with the key redacted, shown in place of the original."""

    def __init__(self, plain: str, marked: str, crash: Any) -> None:
        self.plain = plain
        self.marked = marked
        self.reprcrash = crash

    def toterminal(self, tw: TerminalWriter) -> None:
        tw.write(self.marked if tw.hasmarkup else self.plain)
        tw.line()

    def __str__(self) -> str:
        return self.plain


class _Crash:
    def __init__(self, path: str, lineno: int, message: str) -> None:
        self.path = path
        self.lineno = lineno
        self.message = message


class OutputGuard:
    def __init__(self, redactor: Redactor, config: pytest.Config) -> None:
        self.redactor = redactor
        self.config = config

    def _render(self, longrepr: Any, markup: bool) -> str:
        buffer = StringIO()
        writer = TerminalWriter(buffer)
        writer.hasmarkup = markup
        terminal = self.config.get_terminal_writer()
        writer.fullwidth = terminal.fullwidth
        longrepr.toterminal(writer)
        return buffer.getvalue().rstrip("\n")

    def redact_report(self, report: BaseReport) -> None:
        text = self.redactor.text
        longrepr = report.longrepr
        if isinstance(longrepr, str):
            report.longrepr = text(longrepr)
        elif isinstance(longrepr, tuple):
            path, lineno, message = longrepr
            report.longrepr = (path, lineno, text(message))
        elif longrepr is not None and hasattr(longrepr, "toterminal"):
            plain = self._render(longrepr, markup=False)
            marked = self._render(longrepr, markup=self.config.get_terminal_writer().hasmarkup)
            if self.redactor.shows_key(plain) or self.redactor.shows_key(marked):
                crash = getattr(longrepr, "reprcrash", None)
                report.longrepr = RedactedRepr(  # type: ignore[assignment]
                    text(plain),
                    text(marked),
                    None
                    if crash is None
                    else _Crash(str(crash.path), int(crash.lineno), text(str(crash.message))),
                )
        report.sections = [(text(title), text(body)) for title, body in report.sections]
        if isinstance(report, pytest.TestReport):
            report.user_properties = [
                (name, text(value) if isinstance(value, str) else value)
                for name, value in report.user_properties
            ]

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.redact_report(report)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self.redact_report(report)

    @pytest.hookimpl(wrapper=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Generator[None, object, object]:
        try:
            return (yield)
        finally:
            xml_path = session.config.getoption("xmlpath", None)
            if xml_path:
                self.redact_file(Path(xml_path))

    def redact_file(self, path: Path) -> None:
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return
        cleaned = self.redactor.text(content)
        if cleaned != content:
            path.write_text(cleaned, encoding="utf-8")


def guard_terminal(writer: TerminalWriter, redactor: Redactor) -> None:
    """Everything the terminal reporter writes passes through the redactor."""
    write = writer.write

    def redacting_write(msg: str, *, flush: bool = False, **markup: bool) -> None:
        write(redactor.text(msg), flush=flush, **markup)

    writer.write = redacting_write  # type: ignore[method-assign]


def install(config: pytest.Config, key: str) -> None:
    redactor = Redactor(key)
    config.pluginmanager.register(OutputGuard(redactor, config), "contract-output-guard")
    if config.pluginmanager.get_plugin("terminalreporter") is not None:
        guard_terminal(config.get_terminal_writer(), redactor)
