"""Progress: a bar on a terminal, one plain line per change elsewhere."""

from __future__ import annotations

import io

from statsig_console.cli.progress import BarReporter, PlainReporter, reporter_for


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_one_line_per_change() -> None:
    stream = io.StringIO()
    reporter = reporter_for(stream)
    assert isinstance(reporter, PlainReporter)

    reporter.start(12)
    reporter.done("created", "created a")
    reporter.done("failed", "failed to update b: HTTP 400")
    reporter.stop()

    assert stream.getvalue() == "[ 1/12] created a\n[ 2/12] failed to update b: HTTP 400\n"


def test_a_terminal_gets_a_bar_with_counts_and_failures_above_it() -> None:
    stream = Terminal()
    reporter = reporter_for(stream)
    assert isinstance(reporter, BarReporter)

    reporter.start(3)
    reporter.done("created", "created a")
    reporter.done("failed", "failed to update [b]: HTTP 400")
    reporter.done("updated", "updated c")
    reporter.stop()

    shown = stream.getvalue()
    assert "failed to update [b]: HTTP 400" in shown
    assert "3/3" in shown
    assert "created 1 failed 1 updated 1" in shown
