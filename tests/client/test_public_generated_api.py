"""The production layer uses only the generated client's public names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import statsig_console

LAYER = Path(statsig_console.__file__).parent
GENERATED = "statsig_console_client"


def private_uses(source: str) -> list[str]:
    """Private names imported from, or looked up on, the generated package."""
    tree = ast.parse(source)
    generated_names: set[str] = set()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(GENERATED):
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{node.module}.{alias.name}")
                generated_names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(GENERATED):
                    generated_names.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in generated_names
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_the_check_finds_a_private_call() -> None:
    source = (
        "from statsig_console_client.api.assignment_sources import x as _endpoint\n"
        "_endpoint._build_response()\n"
    )
    assert private_uses(source) == ["_endpoint._build_response"]


@pytest.mark.parametrize("module", sorted(LAYER.glob("*.py")), ids=lambda path: path.name)
def test_no_module_of_the_layer_uses_a_private_generated_name(module: Path) -> None:
    assert private_uses(module.read_text(encoding="utf-8")) == []
