"""Checking source files against the spec's request schema before anything is sent."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import jsonschema

from statsig_console import spec
from statsig_console._text import shorten

from .files import PREVIOUS_NAME, Problem, SourceFile, dotted

CREATE = "createAssignmentSource"
# Set by the command (--remote-validate), never by a file: a file saying dryRun would
# make apply report changes it never made.
COMMAND_FIELDS = ("dryRun",)


# jsonschema quotes the whole wrong value; a long one would bury the line that says where.
_MESSAGE_CHARS = 200
# The request schema has no recursion; deeper than this would be a cycle.
_MAX_INLINE_DEPTH = 32


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    packaged = spec.load()
    schema = packaged.operation(CREATE).body_schema
    if schema is None:
        raise spec.SpecError(f"{CREATE} declares no request body schema")
    # References inlined once: following them for every file of a large directory
    # costs more than the rest of the validation.
    return jsonschema.Draft202012Validator(_inline(packaged, schema, 0))


def _inline(packaged: spec.Spec, node: Any, depth: int) -> Any:  # noqa: ANN401 - JSON
    if depth > _MAX_INLINE_DEPTH:
        raise spec.SpecError(f"the schema of {CREATE} refers to itself")
    if isinstance(node, dict) and "$ref" in node:
        target = packaged.resolve(node)
        rest = {k: v for k, v in node.items() if k != "$ref"}
        merged = {**target, **rest} if isinstance(target, dict) else target
        return _inline(packaged, merged, depth + 1)
    if isinstance(node, dict):
        return {key: _inline(packaged, value, depth + 1) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(packaged, item, depth + 1) for item in node]
    return node


def problems_of(source: SourceFile) -> list[Problem]:
    """What is wrong with one file, each at its line; empty when the file is valid."""
    found: list[Problem] = []
    previous = source.data.get(PREVIOUS_NAME)
    if PREVIOUS_NAME in source.data and not (isinstance(previous, str) and previous):
        found.append(
            Problem(source.path, source.line((PREVIOUS_NAME,)), PREVIOUS_NAME, "must be a name")
        )
    for name in COMMAND_FIELDS:
        if name in source.data:
            found.append(
                Problem(
                    source.path,
                    source.line((name,)),
                    name,
                    "is set by the command (plan --remote-validate), not in a file",
                )
            )
    body = source.body
    reported: set[str] = set()
    for error in _validator().iter_errors(body):
        location = list(error.absolute_path)
        if error.validator == "required" and isinstance(error.validator_value, list):
            # One error per missing field, each carrying the whole list: report each once.
            present = error.instance if isinstance(error.instance, dict) else {}
            for key in error.validator_value:
                field = dotted([*location, key])
                if key not in present and field not in reported:
                    reported.add(field)
                    found.append(
                        Problem(
                            source.path, source.line(location), field, "is required but missing"
                        )
                    )
            continue
        message = shorten(error.message, _MESSAGE_CHARS)
        found.append(Problem(source.path, source.line(location), dotted(location), message))
    found.sort(key=lambda problem: problem.line)
    return found


def check(sources: Iterable[SourceFile]) -> list[Problem]:
    """The problems of every file, and names claimed by more than one file."""
    found: list[Problem] = []
    claimed: dict[str, SourceFile] = {}
    listed = list(sources)
    for source in listed:
        found.extend(problems_of(source))
        name = source.data.get("name")
        if not isinstance(name, str):
            continue
        first = claimed.setdefault(name, source)
        if first is not source:
            found.append(
                Problem(
                    source.path,
                    source.line(("name",)),
                    "name",
                    f"{name!r} is already the name in {first.path}",
                )
            )
    for source in listed:
        previous = source.previous_name
        if previous is not None and previous in claimed and previous != source.data.get("name"):
            found.append(
                Problem(
                    source.path,
                    source.line((PREVIOUS_NAME,)),
                    PREVIOUS_NAME,
                    f"{previous!r} is the name in {claimed[previous].path}: one source "
                    "cannot be renamed to another",
                )
            )
    return found
