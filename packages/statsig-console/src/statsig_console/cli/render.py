"""The plan for people (a diff) and for machines (JSON)."""

from __future__ import annotations

import json
from typing import Any

from .plan import Change, Plan

_SYMBOL = {"create": "+", "update": "~", "delete": "-"}


def _value(value: Any) -> str:  # noqa: ANN401 - any JSON value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _heading(change: Change) -> str:
    where = f"  ({change.path})" if change.path is not None else ""
    if change.is_rename:
        return f"~ rename {change.target} -> {change.name}{where}"
    if change.kind == "delete":
        return f"- delete {change.name}  (managed, in no file)"
    return f"{_SYMBOL[change.kind]} {change.kind} {change.name}{where}"


def change_lines(change: Change) -> list[str]:
    lines = [_heading(change)]
    if change.kind == "create":
        return lines
    for field in change.fields:
        diff = field.sql_diff()
        if diff is not None:
            lines.append(f"    {field.field}:")
            lines.extend(f"      {line}" for line in diff)
        else:
            lines.append(f"    {field.field}: {_value(field.before)} -> {_value(field.after)}")
    return lines


def summary(plan: Plan) -> str:
    return (
        f"Plan: {len(plan.of_kind('create'))} to create, {len(plan.of_kind('update'))} to "
        f"update, {len(plan.of_kind('delete'))} to delete, {len(plan.unchanged)} unchanged."
    )


def text(plan: Plan) -> str:
    lines: list[str] = []
    for change in plan.changes:
        lines.extend(change_lines(change))
    lines.extend(f"! {warning}" for warning in plan.warnings)
    if not plan.changes:
        lines.append(
            "No changes an update can make (see above)."
            if plan.warnings
            else "No changes: Statsig holds what the files say."
        )
    lines.append(summary(plan))
    return "\n".join(lines) + "\n"


def as_json(plan: Plan) -> str:
    document = {
        "changes": [
            {
                "action": "rename" if change.is_rename else change.kind,
                "name": change.name,
                "target": change.target,
                "file": str(change.path) if change.path is not None else None,
                "fields": [
                    {"field": f.field, "before": f.before, "after": f.after} for f in change.fields
                ],
            }
            for change in plan.changes
        ],
        "warnings": list(plan.warnings),
        "summary": {
            "create": len(plan.of_kind("create")),
            "update": len(plan.of_kind("update")),
            "delete": len(plan.of_kind("delete")),
            "unchanged": len(plan.unchanged),
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
