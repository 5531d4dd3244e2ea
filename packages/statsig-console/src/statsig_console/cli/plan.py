"""The plan: what to create, update (or rename) and delete so Statsig holds what the files say.

Which sources this tool manages: those with ``isReadOnly: true``. Statsig stores and
returns that flag, it means "editable only through the Console API" (the flag a team
sets on sources it manages from code), and a source made in the console does not
have it, so ``--prune`` can never delete one by accident. A tag would be a weaker
marker: tags are free text that anyone may edit or remove in the console. Every file
is therefore created and updated with ``isReadOnly: true`` unless it says otherwise.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from statsig_console import spec

from .files import SourceFile

MANAGED_FIELD = "isReadOnly"
UPDATE = "updateAssignmentSource"
CREATE = "createAssignmentSource"
# Set by Statsig (who made the source); a file may name one, but it is never copied
# from the live source into an update the file did not ask for.
_SERVER_SET = ("owner",)

# What an absent field of a stored source means: Statsig's documented defaults for
# description and tags, and "not set" for the two flags.
ABSENT_MEANS: Mapping[str, Any] = {
    "description": "",
    "tags": [],
    "isVerified": False,
    MANAGED_FIELD: False,
}

Kind = Literal["create", "update", "delete"]


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    def sql_diff(self) -> list[str] | None:
        """A line diff when both sides are multi-line or SQL text, else None."""
        if not (isinstance(self.before, str) and isinstance(self.after, str)):
            return None
        if self.field != "sql" and "\n" not in self.before + self.after:
            return None
        lines = difflib.unified_diff(
            self.before.splitlines(), self.after.splitlines(), lineterm="", n=2
        )
        # The two file headers say nothing here: before is live, after is the file.
        return [line for line in lines if not line.startswith(("---", "+++"))]


@dataclass(frozen=True)
class Change:
    """One mutation: ``name`` is the source's name after it, ``target`` the one addressed."""

    kind: Kind
    name: str
    target: str
    path: Path | None
    fields: tuple[FieldChange, ...] = ()
    body: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_rename(self) -> bool:
        return self.kind == "update" and self.target != self.name


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    unchanged: tuple[str, ...]
    # Differences no update can make: the update operation does not take the field.
    warnings: tuple[str, ...] = ()

    @property
    def pending(self) -> bool:
        return bool(self.changes)

    def of_kind(self, kind: Kind) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]


def desired_fields(source: SourceFile) -> dict[str, Any]:
    """What the file asks Statsig to hold, with the managed marker unless it opts out."""
    fields = source.body
    fields.setdefault(MANAGED_FIELD, True)
    return fields


def is_managed(live: Mapping[str, Any]) -> bool:
    return live_value(live, MANAGED_FIELD) is True


@functools.cache
def _update_fields() -> tuple[str, ...]:
    schema = spec.load().operation(UPDATE).body_schema or {}
    properties = schema.get("properties") or {}
    return tuple(name for name in properties if name != "dryRun")


def _split(
    differences: list[FieldChange], name: str, warnings: list[str]
) -> tuple[FieldChange, ...]:
    """The differences an update can make; a warning for each one it cannot."""
    updatable = set(_update_fields())
    for change in differences:
        if change.field not in updatable:
            warnings.append(
                f"{name}: {change.field} differs ({_short(change.before)} live, "
                f"{_short(change.after)} in the file), but Statsig's full update takes no "
                "such field: only a create can give it a value"
            )
    return tuple(change for change in differences if change.field in updatable)


def _short(value: Any) -> str:  # noqa: ANN401 - any JSON value
    return repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."


def _differences(wanted: Mapping[str, Any], live: Mapping[str, Any]) -> list[FieldChange]:
    # Only the fields a file names are compared: one it leaves out is Statsig's to keep.
    return [
        FieldChange(name, live_value(live, name), value)
        for name, value in wanted.items()
        if live_value(live, name) != value
    ]


def live_value(live: Mapping[str, Any], name: str) -> Any:  # noqa: ANN401 - any JSON value
    return live.get(name, ABSENT_MEANS.get(name))


def update_body(wanted: Mapping[str, Any], live: Mapping[str, Any]) -> dict[str, Any]:
    """A full update: the live source's fields, overlaid with the file's."""
    body = {
        name: live[name]
        for name in _update_fields()
        if name in live and name not in _SERVER_SET and live[name] is not None
    }
    body.update({key: value for key, value in wanted.items() if key in _update_fields()})
    return body


def compute(
    sources: Sequence[SourceFile], live: Iterable[Mapping[str, Any]], *, prune: bool
) -> Plan:
    """The changes that make ``live`` what ``sources`` say (validated files only)."""
    by_name = {str(item["name"]): item for item in live}
    changes: list[Change] = []
    unchanged: list[str] = []
    warnings: list[str] = []
    accounted: set[str] = set()
    for source in sources:
        wanted = desired_fields(source)
        name = str(wanted["name"])
        accounted.add(name)
        previous = source.previous_name
        current = by_name.get(name)
        if current is None and previous is not None and previous in by_name:
            # A rename is an update addressed by the old name, never a delete and a
            # create: the source keeps its history and whatever refers to it.
            accounted.add(previous)
            old = by_name[previous]
            changes.append(
                Change(
                    "update",
                    name,
                    previous,
                    source.path,
                    _split(_differences(wanted, old), name, warnings),
                    update_body(wanted, old),
                )
            )
        elif current is None:
            changes.append(
                Change(
                    "create",
                    name,
                    name,
                    source.path,
                    tuple(FieldChange(k, None, v) for k, v in wanted.items()),
                    wanted,
                )
            )
        else:
            differences = _split(_differences(wanted, current), name, warnings)
            if differences:
                changes.append(
                    Change(
                        "update",
                        name,
                        name,
                        source.path,
                        tuple(differences),
                        update_body(wanted, current),
                    )
                )
            else:
                unchanged.append(name)
    if prune:
        for name, item in by_name.items():
            if name not in accounted and is_managed(item):
                changes.append(Change("delete", name, name, None))
    # Creates and updates before deletes: a failed create never follows a delete it needed.
    order = {"create": 0, "update": 0, "delete": 1}
    changes.sort(key=lambda change: order[change.kind])
    return Plan(tuple(changes), tuple(sorted(unchanged)), tuple(warnings))
