"""The plan: creates, updates with their diffs, renames, prunes only managed sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from statsig_console.cli import render
from statsig_console.cli.files import SourceFile, read_file
from statsig_console.cli.plan import compute

from .helpers import example, write


def _source(tmp_path: Path, body: dict[str, Any]) -> SourceFile:
    source = read_file(write(tmp_path, str(body["name"]), body))
    assert isinstance(source, SourceFile)
    return source


def _stored(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    # What Statsig answers for a source made from ``body``: defaults filled in.
    stored = {"description": "", "tags": [], "isReadOnly": True} | body
    return stored | changes


def test_identical_sources_plan_nothing(tmp_path: Path) -> None:
    body = example("same")

    plan = compute([_source(tmp_path, body)], [_stored(body)], prune=True)

    assert plan.changes == ()
    assert plan.unchanged == ("same",)
    assert "0 to create, 0 to update, 0 to delete, 1 unchanged" in render.text(plan)


def test_a_new_file_is_created_managed(tmp_path: Path) -> None:
    plan = compute([_source(tmp_path, example("new"))], [], prune=False)

    [change] = plan.changes
    assert (change.kind, change.name) == ("create", "new")
    assert change.body["isReadOnly"] is True
    assert render.text(plan).startswith("+ create new")


def test_an_update_lists_each_changed_field_and_sql_as_lines(tmp_path: Path) -> None:
    body = example("edited")
    live = _stored(body, sql="SELECT a\nFROM t\nWHERE x", timestampColumn="old_ts")
    body["sql"] = "SELECT a\nFROM t\nWHERE y"

    plan = compute([_source(tmp_path, body)], [live], prune=False)

    [change] = plan.changes
    assert change.kind == "update"
    assert [field.field for field in change.fields] == ["sql", "timestampColumn"]
    text = render.text(plan)
    assert '    timestampColumn: "old_ts" -> "ts"' in text
    assert "      -WHERE x" in text
    assert "      +WHERE y" in text
    assert "       FROM t" in text


def test_an_update_keeps_the_fields_a_file_leaves_out(tmp_path: Path) -> None:
    body = example("kept")
    live = _stored(body, description="written in the console", timestampColumn="old")

    [change] = compute([_source(tmp_path, body)], [live], prune=False).changes

    assert change.body["description"] == "written in the console"
    assert change.body["timestampColumn"] == "ts"
    assert [field.field for field in change.fields] == ["timestampColumn"]


def test_a_rename_is_an_update_of_the_old_name(tmp_path: Path) -> None:
    body = example("new-name") | {"previousName": "old-name"}
    live = _stored(example("old-name"))

    plan = compute([_source(tmp_path, body)], [live], prune=True)

    [change] = plan.changes
    assert (change.kind, change.target, change.name) == ("update", "old-name", "new-name")
    assert change.body["name"] == "new-name"
    assert "previousName" not in change.body
    assert render.text(plan).startswith("~ rename old-name -> new-name")


def test_a_rename_already_done_is_unchanged(tmp_path: Path) -> None:
    body = example("new-name") | {"previousName": "old-name"}

    plan = compute([_source(tmp_path, body)], [_stored(example("new-name"))], prune=True)

    assert plan.changes == ()


def test_prune_deletes_only_managed_sources_and_last(tmp_path: Path) -> None:
    managed = _stored(example("managed-gone"))
    by_hand = _stored(example("made-in-console"), isReadOnly=False)
    unmarked = {k: v for k, v in _stored(example("no-flag")).items() if k != "isReadOnly"}
    sources = [_source(tmp_path, example("wanted"))]

    plan = compute(sources, [managed, by_hand, unmarked], prune=True)
    kept = compute(sources, [managed, by_hand, unmarked], prune=False)

    assert [(c.kind, c.name) for c in plan.changes] == [
        ("create", "wanted"),
        ("delete", "managed-gone"),
    ]
    assert [c.kind for c in kept.changes] == ["create"]


def test_the_json_plan_carries_the_same_changes(tmp_path: Path) -> None:
    body = example("edited")
    sources = [_source(tmp_path, body), _source(tmp_path, example("new"))]
    live = [_stored(body, groupIDColumn="old"), _stored(example("gone"))]

    document = json.loads(render.as_json(compute(sources, live, prune=True)))

    assert document["summary"] == {"create": 1, "update": 1, "delete": 1, "unchanged": 0}
    update = next(c for c in document["changes"] if c["action"] == "update")
    assert update["fields"] == [{"field": "groupIDColumn", "before": "old", "after": "group_id"}]


def test_a_field_the_update_does_not_take_is_a_warning_not_a_change(tmp_path: Path) -> None:
    body = example("created-once", kind="complete")
    live = _stored(body, groupNameColumn="old_group_name", timestampColumn="old")

    plan = compute([_source(tmp_path, body)], [live], prune=False)

    [change] = plan.changes
    assert [field.field for field in change.fields] == ["timestampColumn"]
    assert "groupNameColumn" not in change.body
    [warning] = plan.warnings
    assert warning.startswith("created-once: groupNameColumn differs")
    assert f"! {warning}" in render.text(plan)
    alone = compute([_source(tmp_path, body)], [live | {"timestampColumn": "ts"}], prune=False)
    assert (alone.changes, alone.unchanged) == ((), ("created-once",))
    assert "No changes an update can make" in render.text(alone)
