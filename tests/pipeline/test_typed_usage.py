"""Code that uses the generated client type-checks strictly, with no casts and no Any."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path("examples") / "typed_usage.py"
STRICT_NO_ANY = [
    sys.executable,
    "-m",
    "mypy",
    "--strict",
    "--disallow-any-expr",
    "--disallow-any-explicit",
    "--no-incremental",
]


def _mypy(target: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STRICT_NO_ANY, str(target)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_usage_example_reads_typed_fields_without_casts(repo_root: Path) -> None:
    source = (repo_root / EXAMPLE).read_text(encoding="utf-8")
    assert "result.data.id_type_mapping[0].statsig_unit_id" in source
    assert "create_assignment_source.sync(" in source
    assert "cast(" not in source
    # --disallow-any-explicit below also rejects any annotation that spells Any.

    result = _mypy(EXAMPLE, repo_root)

    assert result.returncode == 0, result.stdout


def test_the_check_rejects_untyped_access(repo_root: Path, tmp_path: Path) -> None:
    # The same check must fail on code that reaches into an untyped dict.
    probe = tmp_path / "untyped_usage.py"
    probe.write_text(
        "from statsig_console_client.models import AssignmentSource\n\n\n"
        "def extra(source: AssignmentSource) -> object:\n"
        '    return source.additional_properties["id"]\n',
        encoding="utf-8",
    )

    result = _mypy(probe, repo_root)

    assert result.returncode == 1
    assert 'Expression has type "Any"' in result.stdout
