"""Each forked template differs from the pinned generator's original by its committed patch.

A generator upgrade then is a mechanical step: the test fails, the fresh diff shows what
upstream changed under our edits, and refreshing the patches records the review:

    .venv/bin/python -m tests.pipeline.test_template_patches
"""

from __future__ import annotations

import difflib
import importlib.metadata
import sys
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "openapi" / "templates"
PATCHES = TEMPLATES / "patches"
GENERATOR = "openapi-python-client"
REFRESH = "`.venv/bin/python -m tests.pipeline.test_template_patches`"


def original_templates() -> Path:
    return Path(str(resources.files("openapi_python_client").joinpath("templates")))


def forked() -> list[str]:
    """Our templates that replace one of the generator's (README.md.jinja included)."""
    originals = original_templates()
    return sorted(p.name for p in TEMPLATES.glob("*.jinja") if (originals / p.name).is_file())


def patch_for(name: str) -> str:
    """The unified diff from the installed generator's template to ours."""
    version = importlib.metadata.version(GENERATOR)
    original = (original_templates() / name).read_text(encoding="utf-8")
    ours = (TEMPLATES / name).read_text(encoding="utf-8")
    return "".join(
        difflib.unified_diff(
            original.splitlines(keepends=True),
            ours.splitlines(keepends=True),
            fromfile=f"{GENERATOR}-{version}/templates/{name}",
            tofile=f"openapi/templates/{name}",
        )
    )


def patch_path(name: str) -> Path:
    return PATCHES / f"{name}.patch"


def test_the_endpoint_client_and_errors_templates_are_forked() -> None:
    # The list is read from the folder, so a fork cannot slip past the check below.
    assert {"client.py.jinja", "endpoint_module.py.jinja", "errors.py.jinja"} <= set(forked())


@pytest.mark.parametrize("name", forked())
def test_a_forked_template_differs_from_the_original_by_its_patch(name: str) -> None:
    path = patch_path(name)
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run {REFRESH}"
    fresh = patch_for(name)
    assert fresh, f"openapi/templates/{name} equals the generator's: delete the fork and its patch"
    assert path.read_text(encoding="utf-8") == fresh, (
        f"openapi/templates/{name} no longer differs from {GENERATOR}'s original by "
        f"{path.relative_to(ROOT)} (a generator upgrade, or an edit of the fork). Review "
        f"the fresh diff, then run {REFRESH} and commit the patch."
    )


def test_every_patch_belongs_to_a_forked_template() -> None:
    names = {f"{name}.patch" for name in forked()}
    stale = sorted(p.name for p in PATCHES.glob("*.patch") if p.name not in names)
    assert not stale, f"patches without a forked template: {stale}; delete them"


def main() -> int:
    PATCHES.mkdir(exist_ok=True)
    for name in forked():
        patch_path(name).write_text(patch_for(name), encoding="utf-8")
        print(f"wrote {patch_path(name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
