"""Turn JSON Schema errors into short messages naming the field and the rule.

A message reads like ``idTypeMapping[0].column: is required``: the path in the body
(dots for object keys, brackets for array indices), a colon, then the broken rule.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

import jsonschema_rs

from statsig_console_mock.text import shorten

ROOT_NAME = "body"
MAX_ERRORS = 10
# Listing the errors of this many values takes at most some 40 ms.
MAX_VALUES_LISTED = 2_000
# Keys and values come from the client: long ones are cut so that one message stays
# readable and a hostile body cannot make it huge.
_MAX_SHOWN = 60
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")

_Kind = jsonschema_rs.ValidationErrorKind

_ARTICLE = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def format_path(path: Sequence[str | int]) -> str:
    out: list[str] = []
    for token in path:
        if isinstance(token, int):
            out.append(f"[{token}]")
        elif _IDENTIFIER.match(token):
            out.append(f".{shorten(token, _MAX_SHOWN)}" if out else shorten(token, _MAX_SHOWN))
        else:
            escaped = shorten(token, _MAX_SHOWN).replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out) or ROOT_NAME


def json_type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _show(value: object) -> str:
    if isinstance(value, str):
        return '"' + shorten(value, _MAX_SHOWN) + '"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return shorten(repr(value), _MAX_SHOWN)


def _one_of_types(types: Iterable[str]) -> str:
    # "a string or null" reads better than the validator's alphabetical order.
    ordered = sorted(types, key=lambda name: name == "null")
    names = [_ARTICLE.get(name, name) for name in ordered]
    return " or ".join(names)


def _branch_messages(
    branches: list[list[jsonschema_rs.ValidationError]], at: list[str | int]
) -> list[str]:
    """Explain an anyOf/oneOf failure.

    A branch that failed only because the value has another type says little; when
    exactly one branch got further than that, its errors are the useful ones.
    """
    type_only: list[str] = []
    deeper: list[list[jsonschema_rs.ValidationError]] = []
    for branch in branches:
        if (
            len(branch) == 1
            and isinstance(branch[0].kind, _Kind.Type)
            and branch[0].instance_path == at
        ):
            type_only.extend(branch[0].kind.types)
        else:
            deeper.append(branch)
    if len(deeper) == 1:
        return [message for error in deeper[0] for message in describe(error)]
    if not deeper and type_only:
        return [f"{format_path(at)}: must be {_one_of_types(dict.fromkeys(type_only))}"]
    return [f"{format_path(at)}: does not match any of the allowed shapes"]


def describe(error: jsonschema_rs.ValidationError) -> list[str]:
    """The message(s) for one schema error (several when it stands for a group)."""
    where = format_path(error.instance_path)
    kind = error.kind
    rule: str
    match kind:
        case _Kind.Required(prop):
            return [f"{format_path([*error.instance_path, prop])}: is required"]
        case _Kind.AdditionalProperties(unexpected):
            return [f"{format_path([*error.instance_path, k])}: is not allowed" for k in unexpected]
        case _Kind.UnevaluatedProperties(unexpected):
            return [f"{format_path([*error.instance_path, k])}: is not allowed" for k in unexpected]
        case _Kind.AnyOf(context) | _Kind.OneOfNotValid(context):
            return _branch_messages(context, error.instance_path)
        case _Kind.Type(types):
            rule = f"must be {_one_of_types(types)}, not {_a_type_of(error.instance)}"
        case _Kind.Enum(options):
            rule = "must be one of " + ", ".join(_show(option) for option in options)
        case _Kind.Constant(expected):
            rule = f"must be {_show(expected)}"
        case _Kind.MinLength(limit):
            rule = f"must be at least {limit} character{'s' if limit != 1 else ''} long"
        case _Kind.MaxLength(limit):
            rule = f"must be at most {limit} character{'s' if limit != 1 else ''} long"
        case _Kind.Minimum(limit):
            rule = f"must be greater than or equal to {limit}"
        case _Kind.Maximum(limit):
            rule = f"must be less than or equal to {limit}"
        case _Kind.ExclusiveMinimum(limit):
            rule = f"must be greater than {limit}"
        case _Kind.ExclusiveMaximum(limit):
            rule = f"must be less than {limit}"
        case _Kind.MultipleOf(multiple):
            rule = f"must be a multiple of {multiple}"
        case _Kind.MinItems(limit):
            rule = f"must have at least {limit} item{'s' if limit != 1 else ''}"
        case _Kind.MaxItems(limit):
            rule = f"must have at most {limit} item{'s' if limit != 1 else ''}"
        case _Kind.UniqueItems():
            rule = "must not contain duplicate items"
        case _Kind.MinProperties(limit):
            rule = f"must have at least {limit} propert{'ies' if limit != 1 else 'y'}"
        case _Kind.MaxProperties(limit):
            rule = f"must have at most {limit} propert{'ies' if limit != 1 else 'y'}"
        case _Kind.Pattern(pattern):
            rule = f"must match the pattern {shorten(pattern, _MAX_SHOWN)}"
        case _Kind.Format(fmt):
            rule = f"must be a valid {fmt}"
        case _Kind.OneOfMultipleValid():
            rule = "matches more than one of the allowed shapes"
        case _Kind.Not():
            rule = "matches a shape that is not allowed"
        case _Kind.FalseSchema():
            rule = "is not allowed"
        case _:
            rule = error.message
    return [f"{where}: {rule}"]


def _a_type_of(value: object) -> str:
    return _ARTICLE.get(json_type_name(value), json_type_name(value))


def _rooted(message: str, root: str) -> str:
    """A message about the body, reworded to be about the value named ``root``."""
    if message.startswith(ROOT_NAME + ":"):
        return root + message[len(ROOT_NAME) :]
    return root + ("" if message.startswith("[") else ".") + message


def error_messages(
    validator: jsonschema_rs.Validator, instance: object, values: int = 0, *, root: str = ROOT_NAME
) -> list[str]:
    """:func:`body_error_messages`, with paths starting at ``root`` instead of the body."""
    messages = body_error_messages(validator, instance, values)
    return messages if root == ROOT_NAME else [_rooted(m, root) for m in messages]


def body_error_messages(
    validator: jsonschema_rs.Validator, instance: object, values: int = 0
) -> list[str]:
    """Up to ``MAX_ERRORS`` messages, in the validator's order, without duplicates.

    ``values`` bounds how many JSON values the instance holds. jsonschema_rs builds
    every error before the first is returned, about 20 µs each, and a 1 MiB body holds
    half a million wrong items: above ``MAX_VALUES_LISTED`` values only the first error
    is described, which ``validate`` finds without looking further.
    """
    if values > MAX_VALUES_LISTED:
        try:
            validator.validate(instance)
        except jsonschema_rs.ValidationError as first:
            return [*describe(first), "(a body this large is checked up to its first error)"]
        return []
    messages: dict[str, None] = {}
    # One more than shown, to know whether to say that some were left out.
    for error in itertools.islice(validator.iter_errors(instance), MAX_ERRORS + 1):
        for message in describe(error):
            messages.setdefault(message)
    shown = list(messages)[:MAX_ERRORS]
    if len(messages) > MAX_ERRORS:
        shown.append("(more errors not shown)")
    return shown
