"""Reading source files: every problem names the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from statsig_console.cli.files import (
    MAX_DEPTH,
    Problem,
    SourceFile,
    export_names,
    file_stem,
    read_directory,
    read_file,
)
from statsig_console.cli.validate import check, problems_of

from .helpers import example, write

YAML_WITH_ERRORS = """\
name: exposures
description: the checkout service
sql: |
  SELECT *
  FROM analytics.exposures
timestampColumn: 42
experimentIDColumn: experiment_name
groupIDColumn: group_id
idTypeMapping:
  - statsigUnitID: stableID
    column: stable_id
  - statsigUnitID: userID
"""


def _problems(path: Path) -> list[Problem]:
    source = read_file(path)
    assert isinstance(source, SourceFile), source
    return problems_of(source)


def test_a_wrong_type_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "exposures.yaml"
    path.write_text(YAML_WITH_ERRORS, encoding="utf-8")

    found = [str(problem) for problem in _problems(path)]

    assert found == [
        f"{path}:6: timestampColumn: 42 is not of type 'string'",
        f"{path}:12: idTypeMapping[1].column: is required but missing",
    ]


def test_a_missing_field_is_named_once_each(tmp_path: Path) -> None:
    body = example("exposures")
    del body["sql"], body["groupIDColumn"]
    path = write(tmp_path, "exposures", body)

    found = _problems(path)

    assert sorted(problem.field for problem in found) == ["groupIDColumn", "sql"]
    assert {problem.line for problem in found} == {1}


def _nested_tags(depth: int) -> str:
    # Written by hand: json and yaml cannot write what they cannot read back.
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 990, 100_000])
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_file_nested_too_deeply_is_a_problem_not_a_crash(
    tmp_path: Path, suffix: str, depth: int
) -> None:
    path = tmp_path / f"deep{suffix}"
    if suffix == ".json":
        path.write_text(f'{{"name": "deep", "tags": {_nested_tags(depth)}}}', encoding="utf-8")
    else:
        path.write_text(f"name: deep\ntags: {_nested_tags(depth)}\n", encoding="utf-8")

    found = read_file(path)

    assert isinstance(found, Problem)
    assert found.path == path
    # libyaml has a depth limit of its own and says so first.
    assert "nested more than 64 levels" in found.message or "nesting depth" in found.message


def test_a_file_as_deep_as_allowed_is_checked(tmp_path: Path) -> None:
    body = example("deep")
    body["tags"] = ["TAG"]
    path = write(tmp_path, "deep", body, suffix=".json")
    # The source object and tags are two levels; the rest makes MAX_DEPTH.
    text = path.read_text(encoding="utf-8").replace('"TAG"', _nested_tags(MAX_DEPTH - 2))
    path.write_text(text, encoding="utf-8")

    found = _problems(path)

    assert [problem.field for problem in found] == ["tags[0]"]
    assert found[0].message.endswith("is not of type 'string'")


def test_a_long_wrong_value_is_quoted_short(tmp_path: Path) -> None:
    body = example("long")
    body["timestampColumn"] = ["x" * 10_000]
    path = write(tmp_path, "long", body)

    (found,) = _problems(path)

    assert found.field == "timestampColumn"
    assert found.message.startswith("['xxx")
    assert found.message.endswith("...")
    assert len(found.message) <= 200


def test_json_files_carry_lines_too(tmp_path: Path) -> None:
    body = example("exposures")
    body["tags"] = ["a", 7]
    path = write(tmp_path, "exposures", body, suffix=".json")
    tags_line = next(
        number
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if line.strip() == "7"
    )

    [problem] = _problems(path)

    assert (problem.line, problem.field) == (tags_line, "tags[1]")
    assert "not of type 'string'" in problem.message


@pytest.mark.parametrize(
    ("suffix", "text", "line", "says"),
    [
        (".yaml", "name: a\nsql: [unclosed\n", 3, "not valid YAML"),
        (".yml", "name: a\n\tsql: b\n", 2, "not valid YAML"),
        (".json", '{\n "name": "a",\n "sql": \n}\n', 4, "not valid JSON"),
        (".yaml", "- a\n- b\n", 1, "one source"),
        (".yaml", "", 1, "not empty"),
    ],
)
def test_unreadable_files_say_where(
    tmp_path: Path, suffix: str, text: str, line: int, says: str
) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_text(text, encoding="utf-8")

    problem = read_file(path)

    assert isinstance(problem, Problem)
    assert problem.path == path
    assert problem.line == line
    assert says.replace("not empty", "empty") in problem.message


def test_a_field_given_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("name: a\nsql: x\nname: b\n", encoding="utf-8")

    problem = read_file(path)

    assert isinstance(problem, Problem)
    assert (problem.line, problem.field) == (3, "name")


def test_only_source_files_of_the_directory_are_read(tmp_path: Path) -> None:
    for stem, suffix in [("a", ".yaml"), ("b", ".yml"), ("c", ".json")]:
        write(tmp_path, stem, example(stem), suffix=suffix)
    (tmp_path / "README.md").write_text("not a source")
    (tmp_path / "nested").mkdir()
    write(tmp_path / "nested", "d", example("d"))

    sources, problems = read_directory(tmp_path)

    assert problems == []
    assert [source.data["name"] for source in sources] == ["a", "b", "c"]


def test_two_files_naming_one_source_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a", example("same"))
    second = write(tmp_path, "b", example("same"))
    sources, _ = read_directory(tmp_path)

    [problem] = check(sources)

    assert problem.path == second
    assert problem.field == "name"


def test_dry_run_and_previous_name_are_the_commands_own(tmp_path: Path) -> None:
    body = example("new") | {"previousName": "old", "dryRun": True}
    path = write(tmp_path, "new", body)
    source = read_file(path)
    assert isinstance(source, SourceFile)

    [problem] = problems_of(source)

    assert problem.field == "dryRun"
    assert "previousName" not in source.body
    assert source.previous_name == "old"


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("exposures", "exposures"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c d", "a-b-c-d"),
        ("...", "source"),
        ("ünïcode", "n-code"),
    ],
)
def test_file_names_are_safe(name: str, stem: str) -> None:
    assert file_stem(name) == stem


def test_export_names_are_distinct_even_without_case() -> None:
    chosen = export_names(["A b", "a-b", "a/b", "x"])

    assert len({file.lower() for file in chosen.values()}) == 4
    assert chosen["x"] == "x.yaml"
    assert all("/" not in file for file in chosen.values())
