"""Progress of an apply: a live bar on a terminal, one plain line per change elsewhere (CI logs).

rich draws the bar: it is well kept, typed, and its time-remaining column and
terminal detection come with it, where tqdm would need stubs and hand-made columns.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)


class Reporter(Protocol):
    def start(self, total: int) -> None: ...
    def done(self, outcome: str, line: str) -> None: ...
    def stop(self) -> None: ...


class PlainReporter:
    """A line per change, flushed at once so a CI log shows it as it happens."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._total = 0
        self._count = 0

    def start(self, total: int) -> None:
        self._total = total

    def done(self, outcome: str, line: str) -> None:
        self._count += 1
        width = len(str(self._total))
        print(f"[{self._count:>{width}}/{self._total}] {line}", file=self._stream, flush=True)

    def stop(self) -> None:
        return None


class BarReporter:
    """A live bar with the counts so far and the time left; failures stay printed above it."""

    def __init__(self, stream: TextIO) -> None:
        self._console = Console(file=stream)
        self._progress = Progress(
            TextColumn("[bold]applying"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
        )
        self._counts: Counter[str] = Counter()
        self._task = self._progress.add_task("apply", total=0, counts="")

    def start(self, total: int) -> None:
        self._progress.update(self._task, total=total)
        self._progress.start()

    def done(self, outcome: str, line: str) -> None:
        self._counts[outcome] += 1
        if outcome == "failed":
            self._progress.console.print(line, markup=False, highlight=False)
        counts = " ".join(f"{kind} {n}" for kind, n in sorted(self._counts.items()))
        self._progress.update(self._task, advance=1, counts=counts)

    def stop(self) -> None:
        self._progress.stop()


def reporter_for(stream: TextIO) -> Reporter:
    if stream.isatty():
        return BarReporter(stream)
    return PlainReporter(stream)
