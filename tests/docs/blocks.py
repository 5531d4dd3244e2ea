"""The fenced code blocks of a Markdown page, with the marks the docs tests read.

A block is an example (``python``, ``console``...), its expected output (``output``,
right after it) or data (``text``, ``yaml``...). An HTML comment
``<!-- not-run: REASON -->`` on the last non-blank line before a fence says that the
example is not run, and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PYTHON = frozenset({"python"})
SHELL = frozenset({"console", "shell", "bash", "sh"})
OUTPUT = "output"
# Shown to the reader, never run: a report's layout, a workflow file, a config.
DATA = frozenset({"text", "yaml", "json", "toml"})

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_MARK = re.compile(r"^\s*<!--\s*not-run:(?P<reason>.*?)-->\s*$")
_MARK_START = re.compile(r"<!--\s*not-run\b")


@dataclass(frozen=True, slots=True)
class Block:
    """One fenced block: where it is, its language, its text, and its mark."""

    page: Path
    line: int  # of the opening fence, 1-based
    language: str
    code: str
    # The reason given by a not-run mark ("" when the mark gives none), None when unmarked.
    not_run: str | None

    @property
    def name(self) -> str:
        return f"{self.page.name}:{self.line}"

    @property
    def is_example(self) -> bool:
        return self.language in PYTHON | SHELL


@dataclass(frozen=True, slots=True)
class Page:
    """A page's blocks in order, and the lines of marks that precede no fence."""

    path: Path
    blocks: tuple[Block, ...]
    stray_marks: tuple[int, ...]


def read_page(path: Path) -> Page:
    """Every fenced block of the page at ``path``; a fence left open is an error."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    stray: list[int] = []
    pending_mark: tuple[int, str] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = _FENCE.match(line)
        if opening is None:
            mark = _MARK.match(line)
            if mark is not None or _MARK_START.search(line):
                if pending_mark is not None:
                    stray.append(pending_mark[0])
                reason = mark.group("reason").strip() if mark is not None else ""
                pending_mark = (index + 1, reason)
            elif line.strip() and pending_mark is not None:
                stray.append(pending_mark[0])
                pending_mark = None
            index += 1
            continue
        indent = len(opening.group("indent"))
        fence = opening.group("fence")
        end = index + 1
        while end < len(lines):
            closing = _FENCE.match(lines[end])
            if (
                closing is not None
                and closing.group("fence")[0] == fence[0]
                and len(closing.group("fence")) >= len(fence)
                and not closing.group("info").strip()
            ):
                break
            end += 1
        else:
            raise ValueError(f"{path.name}:{index + 1}: the code block is never closed")
        # A block nested in a list is indented with its fence; its text is not.
        body = [text if text[:indent].strip() else text[indent:] for text in lines[index + 1 : end]]
        blocks.append(
            Block(
                page=path,
                line=index + 1,
                language=opening.group("info").strip().split(" ")[0].lower(),
                code="\n".join(body) + "\n",
                not_run=None if pending_mark is None else pending_mark[1],
            )
        )
        pending_mark = None
        index = end + 1
    if pending_mark is not None:
        stray.append(pending_mark[0])
    return Page(path=path, blocks=tuple(blocks), stray_marks=tuple(stray))


def expected_output(page: Page, example: Block) -> str | None:
    """The ``output`` block right after ``example``, if there is one."""
    position = page.blocks.index(example)
    if position + 1 < len(page.blocks) and page.blocks[position + 1].language == OUTPUT:
        return page.blocks[position + 1].code
    return None
