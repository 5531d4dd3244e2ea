"""Turn JSON Schema errors into short messages naming the field and the rule.

A message reads like ``idTypeMapping[0].column: is required``: the path in the body
(dots for object keys, brackets for array indices), a colon, then the broken rule.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

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


# In this order: a bool is an int to Python, not to JSON.
_JSON_TYPES: Final = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def json_type_name(value: object) -> str:
    if value is None:
        return "null"
    for python_type, name in _JSON_TYPES:
        if isinstance(value, python_type):
            return name
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


def _counted(verb: str, one: str, many: str, after: str = "") -> Callable[[Any], str]:
    return lambda limit: f"must {verb} {limit} {one if limit == 1 else many}{after}"


# The rules whose message needs only the kind's one value: each kind's message, by its
# class. The kinds that name other fields, or hold other errors, are matched below.
_RULES: Mapping[type, Callable[[Any], str]] = {
    _Kind.Enum: lambda options: "must be one of " + ", ".join(_show(o) for o in options),
    _Kind.Constant: lambda expected: f"must be {_show(expected)}",
    _Kind.MinLength: _counted("be at least", "character", "characters", " long"),
    _Kind.MaxLength: _counted("be at most", "character", "characters", " long"),
    _Kind.Minimum: "must be greater than or equal to {}".format,
    _Kind.Maximum: "must be less than or equal to {}".format,
    _Kind.ExclusiveMinimum: "must be greater than {}".format,
    _Kind.ExclusiveMaximum: "must be less than {}".format,
    _Kind.MultipleOf: "must be a multiple of {}".format,
    _Kind.MinItems: _counted("have at least", "item", "items"),
    _Kind.MaxItems: _counted("have at most", "item", "items"),
    _Kind.MinProperties: _counted("have at least", "property", "properties"),
    _Kind.MaxProperties: _counted("have at most", "property", "properties"),
    _Kind.Pattern: lambda pattern: f"must match the pattern {shorten(pattern, _MAX_SHOWN)}",
    _Kind.Format: "must be a valid {}".format,
}
# The rules that hold no value at all.
_FIXED_RULES: Mapping[type, str] = {
    _Kind.UniqueItems: "must not contain duplicate items",
    _Kind.OneOfMultipleValid: "matches more than one of the allowed shapes",
    _Kind.Not: "matches a shape that is not allowed",
    _Kind.FalseSchema: "is not allowed",
}


def _only_value(kind: object) -> Any:  # noqa: ANN401 - a limit, a pattern, a JSON value
    """The one value a rule's kind holds, under the one name it is matched by."""
    (name,) = getattr(type(kind), "__match_args__")  # noqa: B009 - not in the stubs
    return getattr(kind, name)


def describe(error: jsonschema_rs.ValidationError) -> list[str]:
    """The message(s) for one schema error (several when it stands for a group)."""
    kind = error.kind
    at = error.instance_path
    match kind:
        case _Kind.Required(prop):
            return [f"{format_path([*at, prop])}: is required"]
        case _Kind.AdditionalProperties(unexpected) | _Kind.UnevaluatedProperties(unexpected):
            return [f"{format_path([*at, key])}: is not allowed" for key in unexpected]
        case _Kind.AnyOf(context) | _Kind.OneOfNotValid(context):
            return _branch_messages(context, at)
        case _Kind.Type(types):
            rule = f"must be {_one_of_types(types)}, not {_a_type_of(error.instance)}"
        case _ if type(kind) in _RULES:
            rule = _RULES[type(kind)](_only_value(kind))
        case _:
            rule = _FIXED_RULES.get(type(kind), error.message)
    return [f"{format_path(at)}: {rule}"]


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
