"""The reading of fenced blocks and not-run marks that the docs tests rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from .blocks import expected_output, read_page

PAGE = """# A page

<!-- not-run: needs a Statsig key -->
```console
scripts/contract-test
```

```python
print("hi")
```

```output
hi
```

- a list item with a nested block:

  ```text
  <!-- not-run: inside a block, this is text -->
  ```

<!-- not-run: a mark with prose after it -->
Prose.

<!-- not-run -->
```sh
true
```
"""


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_blocks_are_read_with_their_language_mark_and_line(page: Path) -> None:
    read = read_page(page)
    described = [(b.line, b.language, b.not_run, b.code) for b in read.blocks]
    assert described == [
        (4, "console", "needs a Statsig key", "scripts/contract-test\n"),
        (8, "python", None, 'print("hi")\n'),
        (12, "output", None, "hi\n"),
        (18, "text", None, "<!-- not-run: inside a block, this is text -->\n"),
        (26, "sh", "", "true\n"),
    ]


def test_a_mark_before_prose_is_stray_and_one_inside_a_block_is_not(page: Path) -> None:
    assert read_page(page).stray_marks == (22,)


def test_an_output_block_belongs_to_the_block_right_before_it(page: Path) -> None:
    read = read_page(page)
    console, python, _output, _text, shell = read.blocks
    assert expected_output(read, python) == "hi\n"
    assert expected_output(read, console) is None
    assert expected_output(read, shell) is None


def test_a_block_left_open_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "open.md"
    path.write_text("text\n\n```python\nprint(1)\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"open\.md:3: the code block is never closed"):
        read_page(path)
