"""The fixture example of docs/testing-with-the-mock.md, run as the pytest file it is.

The page's first Python block is the user's module (``sync.py``), the one marked
not-run its test file (``test_sync.py``); both are written to a fresh folder outside
this checkout and pytest runs there, with the plugin found through its entry point.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.docs.blocks import read_page

PAGE = Path(__file__).resolve().parents[2] / "docs" / "testing-with-the-mock.md"


def test_the_fixture_example_passes_under_pytest(tmp_path: Path) -> None:
    blocks = [block for block in read_page(PAGE).blocks if block.language == "python"]
    (module,) = [block for block in blocks if block.code.startswith("# sync.py")]
    (test_file,) = [block for block in blocks if block.code.startswith("# test_sync.py")]
    (tmp_path / "sync.py").write_text(module.code, encoding="utf-8")
    (tmp_path / "test_sync.py").write_text(test_file.code, encoding="utf-8")

    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_sync.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "2 passed" in ran.stdout
