"""Regenerate `generated_client/` from the spec, or check that it is up to date.

The client is the pure output of openapi-python-client (pinned in uv.lock) run on
`openapi/statsig-console-api.yaml` with `openapi/generator-config.yaml` and the
templates in `openapi/templates/`. `--check` regenerates into a temporary folder
and compares it with the committed copy file by file.

The same run writes the spec's JSON copy that the production layer ships as package
data (`statsig_console/openapi.json`), so installs read the spec without a YAML parser.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "statsig-console-api.yaml"
CONFIG = ROOT / "openapi" / "generator-config.yaml"
TEMPLATES = ROOT / "openapi" / "templates"
CLIENT_DIR = ROOT / "generated_client"
PACKAGED_SPEC = ROOT / "packages" / "statsig-console" / "src" / "statsig_console" / "openapi.json"
# Build and cache artifacts that installing or importing the client leaves behind;
# they are not the generator's output.
IGNORED_PARTS = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"})
IGNORED_SUFFIXES = (".pyc", ".egg-info")
DIFF_LINES_SHOWN = 40


class GenerationError(Exception):
    """The generator failed or warned; its output is in the message."""


def generate_into(destination: Path) -> None:
    """Run the generator so that `destination` holds a fresh client."""
    command = [
        "openapi-python-client",
        "generate",
        "--path",
        str(SPEC),
        "--config",
        str(CONFIG),
        "--meta",
        "uv",
        "--fail-on-warning",
        "--output-path",
        str(destination),
    ]
    if TEMPLATES.is_dir():
        command += ["--custom-template-path", str(TEMPLATES)]
    # The post-hooks call `ruff`: make sure it is the workspace's pinned one.
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # A cache folder inside the output is not part of the client.
    env["RUFF_NO_CACHE"] = "true"
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        command,
        cwd=destination.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = (result.stdout + result.stderr).strip()
    # --fail-on-warning turns every warning into a non-zero exit.
    if result.returncode != 0:
        raise GenerationError(f"openapi-python-client failed (exit {result.returncode}):\n{output}")


def packaged_spec_bytes(spec: Path = SPEC) -> bytes:
    """The JSON copy of the handwritten YAML spec, key order kept."""
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def check_packaged_spec(packaged: Path = PACKAGED_SPEC) -> list[str]:
    expected = packaged_spec_bytes()
    actual = packaged.read_bytes() if packaged.is_file() else None
    if actual == expected:
        return []
    name = packaged.relative_to(ROOT).as_posix() if packaged.is_relative_to(ROOT) else str(packaged)
    return [f"{'missing' if actual is None else 'changed'}: {name} (the spec's JSON copy)"]


def _is_tracked(relative: Path) -> bool:
    return not any(
        part in IGNORED_PARTS or part.endswith(IGNORED_SUFFIXES) for part in relative.parts
    )


def tree_files(folder: Path) -> dict[str, bytes]:
    """Every generated file below `folder`, keyed by its POSIX relative path."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and _is_tracked(relative):
            files[relative.as_posix()] = path.read_bytes()
    return files


def compare_trees(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    """Lines describing how `actual` (committed) differs from `expected` (fresh)."""
    lines: list[str] = []
    for name in sorted(expected.keys() - actual.keys()):
        lines.append(f"missing (the generator produces it): {name}")
    for name in sorted(actual.keys() - expected.keys()):
        lines.append(f"extra (the generator does not produce it): {name}")
    for name in sorted(expected.keys() & actual.keys()):
        if expected[name] == actual[name]:
            continue
        lines.append(f"changed: {name}")
        diff = list(
            difflib.unified_diff(
                actual[name].decode("utf-8", "replace").splitlines(),
                expected[name].decode("utf-8", "replace").splitlines(),
                fromfile=f"committed/{name}",
                tofile=f"regenerated/{name}",
                lineterm="",
            )
        )
        lines.extend("    " + line for line in diff[:DIFF_LINES_SHOWN])
        if len(diff) > DIFF_LINES_SHOWN:
            lines.append(f"    ... {len(diff) - DIFF_LINES_SHOWN} more diff lines")
    return lines


def check(client_dir: Path = CLIENT_DIR) -> list[str]:
    """Regenerate into a temporary folder; return the differences (empty when current)."""
    with tempfile.TemporaryDirectory(prefix="statsig-generate-") as scratch:
        fresh = Path(scratch) / client_dir.name
        generate_into(fresh)
        committed = tree_files(client_dir) if client_dir.is_dir() else {}
        return compare_trees(tree_files(fresh), committed)


def regenerate(client_dir: Path = CLIENT_DIR) -> None:
    """Replace `client_dir` with a fresh client; the old one stays if generation fails."""
    with tempfile.TemporaryDirectory(prefix="statsig-generate-", dir=client_dir.parent) as scratch:
        fresh = Path(scratch) / client_dir.name
        generate_into(fresh)
        if client_dir.exists():
            shutil.rmtree(client_dir)
        fresh.rename(client_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/generate", description=__doc__)
    parser.add_argument(
        "--check",
        action="store_true",
        help="fail if generated_client/ differs from what the spec and config produce",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            differences = check() + check_packaged_spec()
            if differences:
                print(
                    "generated_client/ or the packaged spec is out of date with openapi/ "
                    f"({sum(not line.startswith('    ') for line in differences)} files differ):",
                    file=sys.stderr,
                )
                print("\n".join(differences), file=sys.stderr)
                print(
                    "\nRun `scripts/generate` and commit the result.",
                    file=sys.stderr,
                )
                return 1
            print("generated_client/ and the packaged spec are up to date with openapi/.")
            return 0
        regenerate()
        PACKAGED_SPEC.write_bytes(packaged_spec_bytes())
    except GenerationError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Regenerated {CLIENT_DIR.relative_to(ROOT)}/ from {SPEC.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
