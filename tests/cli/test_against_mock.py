"""export, plan and apply against the mock over loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from statsig_console import spec
from statsig_console.cli import command
from statsig_console.cli.plan import compute
from statsig_console_mock import DEFAULT_API_KEY
from statsig_console_mock.testing import stored_sources

from .conftest import Cli
from .helpers import CREATE, example, write

DELETE = spec.load().operation("deleteAssignmentSource")


def _create_directly(base_url: str, body: dict[str, Any]) -> None:
    # As someone would in the console or with their own script: not through the command.
    response = httpx.post(
        base_url + CREATE.url_path(),
        json=body,
        headers={CREATE.key_header or "": DEFAULT_API_KEY},
        timeout=30,
    )
    assert response.status_code == CREATE.success.status, response.text


def _stored(base_url: str) -> dict[str, dict[str, Any]]:
    sources = stored_sources(base_url)
    names = [str(source["name"]) for source in sources]
    assert len(names) == len(set(names)), "a source was created twice"
    return {str(source["name"]): source for source in sources}


def _seed(cli: Cli, directory: Path, count: int) -> None:
    for index in range(count):
        write(directory, f"s{index:03}", example(f"s{index:03}"))
    assert cli("apply", directory, "--yes").code == 0


def test_export_then_plan_has_nothing_to_do(cli: Cli, tmp_path: Path) -> None:
    _create_directly(cli.base_url, example("by-hand", kind="complete"))
    _create_directly(cli.base_url, example("weird/name: ünï"))
    _create_directly(cli.base_url, example("Weird-name---ünï"))
    exported = tmp_path / "exported"

    result = cli("export", exported)

    assert result.code == 0, result.err
    files = sorted(path.name for path in exported.iterdir())
    assert len(files) == 3
    assert all("/" not in name and name.endswith(".yaml") for name in files)
    first = yaml.safe_load((exported / "by-hand.yaml").read_text())
    assert list(first)[:3] == ["name", "description", "isVerified"]
    assert "timestampColumn" in first
    plan = cli("plan", exported, "--prune")
    assert (plan.code, plan.err) == (0, "")
    assert "3 unchanged" in plan.out


def test_an_edit_is_planned_exactly_then_applied(cli: Cli, sources_dir: Path) -> None:
    _seed(cli, sources_dir, 3)
    path = sources_dir / "s001.yaml"
    body = yaml.safe_load(path.read_text())
    body["sql"] = body["sql"] + "\nWHERE ts > '2024-01-01'"
    body["tags"] = ["edited"]
    path.write_text(yaml.safe_dump(body, sort_keys=False))

    plan = cli("plan", sources_dir)

    assert plan.code == 2, plan.err
    lines = plan.out.splitlines()
    assert lines[0] == f"~ update s001  ({path})"
    assert "      +WHERE ts > '2024-01-01'" in lines
    assert '    tags: [] -> ["edited"]' in lines
    assert lines[-1] == "Plan: 0 to create, 1 to update, 0 to delete, 2 unchanged."
    machine = json.loads(cli("plan", sources_dir, "--json").out)
    assert [(c["action"], c["name"]) for c in machine["changes"]] == [("update", "s001")]

    applied = cli("apply", sources_dir, "--yes")

    assert applied.code == 0, applied.err
    assert "0 created, 1 updated, 0 deleted, 2 unchanged, 0 failed" in applied.out
    assert cli("plan", sources_dir).code == 0
    stored = _stored(cli.base_url)["s001"]
    assert (stored["sql"], stored["tags"], stored["isReadOnly"]) == (body["sql"], ["edited"], True)


def test_invalid_files_send_nothing(cli: Cli, sources_dir: Path) -> None:
    _seed(cli, sources_dir, 2)
    before = _stored(cli.base_url)
    write(sources_dir, "new", example("new"))
    wrong_type = write(sources_dir, "s000", example("s000") | {"isVerified": "yes"})
    missing = example("s001")
    del missing["timestampColumn"]
    missing_path = write(sources_dir, "s001", missing)
    bad_yaml = sources_dir / "bad.yml"
    bad_yaml.write_text("name: bad\nsql: 'unterminated\n")

    for verb, *options in (("plan",), ("plan", "--remote-validate"), ("apply", "--yes")):
        result = cli(verb, sources_dir, *options)

        assert result.code == 1
        assert f"{wrong_type}:" in result.err
        assert "isVerified: 'yes' is not of type 'boolean'" in result.err
        assert f"{missing_path}:1: timestampColumn: is required but missing" in result.err
        assert f"{bad_yaml}:" in result.err
        assert "nothing was sent" in result.err
    assert _stored(cli.base_url) == before


def test_prune_deletes_only_managed_sources(cli: Cli, sources_dir: Path) -> None:
    _seed(cli, sources_dir, 3)
    _create_directly(cli.base_url, example("made-by-hand"))
    (sources_dir / "s002.yaml").unlink()

    plan = cli("plan", sources_dir, "--prune")

    assert plan.code == 2
    assert "- delete s002  (managed, in no file)" in plan.out
    assert "made-by-hand" not in plan.out
    assert cli("apply", sources_dir, "--prune", "--yes").code == 0
    assert sorted(_stored(cli.base_url)) == ["made-by-hand", "s000", "s001"]
    assert cli("plan", sources_dir, "--prune").code == 0


def test_a_rename_keeps_the_source(cli: Cli, sources_dir: Path) -> None:
    _seed(cli, sources_dir, 2)
    old = sources_dir / "s001.yaml"
    body = yaml.safe_load(old.read_text())
    old.unlink()
    write(sources_dir, "renamed", {"previousName": "s001", **body, "name": "renamed"})

    plan = cli("plan", sources_dir, "--prune")

    assert plan.code == 2
    assert plan.out.startswith("~ rename s001 -> renamed")
    assert "delete" not in plan.out.replace("0 to delete", "")
    assert cli("apply", sources_dir, "--prune", "--yes").code == 0
    stored = _stored(cli.base_url)
    assert sorted(stored) == ["renamed", "s000"]
    assert stored["renamed"]["sql"] == body["sql"]
    assert cli("plan", sources_dir, "--prune").code == 0


def test_remote_validate_sends_dry_runs_only(cli: Cli, sources_dir: Path) -> None:
    _seed(cli, sources_dir, 1)
    write(sources_dir, "new", example("new"))
    write(sources_dir, "s000", example("s000") | {"description": "changed"})
    before = _stored(cli.base_url)

    result = cli("plan", sources_dir, "--remote-validate")

    assert result.code == 2, result.err
    assert _stored(cli.base_url) == before


def test_apply_asks_before_changing_anything(cli: Cli, sources_dir: Path) -> None:
    write(sources_dir, "new", example("new"))

    result = cli("apply", sources_dir)

    assert result.code == 1
    assert "--yes" in result.err
    assert _stored(cli.base_url) == {}


def _vanishing(
    monkeypatch: pytest.MonkeyPatch, cli: Cli, sources_dir: Path, names: list[str]
) -> None:
    """Two updates planned, then ``names`` deleted behind the command's back: 404s."""
    _seed(cli, sources_dir, 2)
    write(sources_dir, "s000", example("s000") | {"description": "x"})
    write(sources_dir, "s001", example("s001") | {"description": "y"})
    write(sources_dir, "zz-new", example("zz-new"))

    def then_vanish(*args: Any, **kwargs: Any) -> Any:
        plan = compute(*args, **kwargs)
        for name in names:
            response = httpx.delete(
                cli.base_url + DELETE.url_path(name=name),
                headers={DELETE.key_header or "": DEFAULT_API_KEY},
            )
            assert response.status_code == DELETE.success.status
        return plan

    monkeypatch.setattr(command, "compute", then_vanish)


def test_an_independent_failure_does_not_stop_the_rest(
    monkeypatch: pytest.MonkeyPatch, cli: Cli, sources_dir: Path
) -> None:
    _vanishing(monkeypatch, cli, sources_dir, ["s000"])

    result = cli("apply", sources_dir, "--yes")

    assert result.code == 1
    assert "failed to update s000" in result.out
    assert result.out.rstrip().endswith(
        "Apply: 1 created, 1 updated, 0 deleted, 0 unchanged, 1 failed."
    )
    assert sorted(_stored(cli.base_url)) == ["s001", "zz-new"]
    monkeypatch.setattr(command, "compute", compute)
    assert cli("apply", sources_dir, "--yes").code == 0
    assert sorted(_stored(cli.base_url)) == ["s000", "s001", "zz-new"]


def test_fail_fast_stops_at_the_first_failure(
    monkeypatch: pytest.MonkeyPatch, cli: Cli, sources_dir: Path
) -> None:
    _vanishing(monkeypatch, cli, sources_dir, ["s000"])

    result = cli("apply", sources_dir, "--yes", "--fail-fast")

    assert result.code == 1
    assert "0 created, 0 updated, 0 deleted, 0 unchanged, 1 failed, 2 not tried" in result.out
    assert sorted(_stored(cli.base_url)) == ["s001"]


def test_the_key_is_never_printed(cli: Cli, sources_dir: Path) -> None:
    _seed(cli, sources_dir, 1)
    write(sources_dir, "s000", example("s000") | {"description": "changed"})

    results = [cli("plan", sources_dir), cli("apply", sources_dir, "--yes")]

    assert all(DEFAULT_API_KEY not in r.out + r.err for r in results)


def test_export_to_a_path_that_is_a_file_says_so(cli: Cli, tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("mine", encoding="utf-8")

    result = cli("export", taken)

    assert result.code == command.EXIT_ERROR
    assert result.err == f"statsig-console: cannot export to {taken}: File exists\n"
    assert taken.read_text(encoding="utf-8") == "mine"


def test_an_export_that_cannot_write_a_file_says_what_it_left(cli: Cli, tmp_path: Path) -> None:
    for name in ("a-first", "b-blocked", "c-last"):
        _create_directly(cli.base_url, example(name))
    exported = tmp_path / "exported"
    # A folder where the second file goes: only a file is a source file, so the
    # export starts, and writing that one file fails.
    (exported / "b-blocked.yaml").mkdir(parents=True)

    result = cli("export", exported)

    assert result.code == command.EXIT_ERROR
    assert "Traceback" not in result.err
    assert f"cannot write {exported / 'b-blocked.yaml'}" in result.err
    assert f"1 of 3 source(s) were written, so {exported} is incomplete" in result.err
    assert (exported / "a-first.yaml").is_file()
