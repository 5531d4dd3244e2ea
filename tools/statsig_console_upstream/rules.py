"""The rules: for each kind of change and each direction, whether it is breaking, and why.

A change is **breaking** when, trusting Statsig's document, something real fails: our
client could send a request Statsig rejects, or the client generated from our spec could
fail on a response Statsig sends. On the request side every value *we* allow must be one
Statsig accepts; on the response side every value *Statsig* may send must be one we
accept. Each rule is one function registered with `rule()` for a (kind, direction) pair;
the table in docs/compare-upstream.md is `table()`, and a test keeps the two equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from statsig_console_upstream.schema import LOWER_BOUNDS, UPPER_BOUNDS, value_key


class Direction(StrEnum):
    """Which way the compared thing travels, which decides whose values must fit whose."""

    REQUEST = "request"
    RESPONSE = "response"
    OPERATION = "operation"


REQUEST, RESPONSE, OPERATION = Direction.REQUEST, Direction.RESPONSE, Direction.OPERATION


class Kind(StrEnum):
    OPERATION_ADDED = "operation added"
    OPERATION_REMOVED = "operation removed"
    SECURITY_CHANGED = "security changed"
    PARAMETER_ADDED = "parameter added"
    PARAMETER_REMOVED = "parameter removed"
    REQUEST_BODY_CHANGED = "request body changed"
    STATUS_ADDED = "status added"
    STATUS_REMOVED = "status removed"
    MEDIA_TYPE_ADDED = "media type added"
    MEDIA_TYPE_REMOVED = "media type removed"
    SCHEMA_UNDOCUMENTED = "body schema not documented"
    RESPONSE_HEADER_ADDED = "response header added"
    RESPONSE_HEADER_REMOVED = "response header removed"
    FIELD_ADDED = "field added"
    FIELD_REMOVED = "field removed"
    MADE_REQUIRED = "made required"
    MADE_OPTIONAL = "made optional"
    MADE_NULLABLE = "made nullable"
    MADE_NON_NULLABLE = "made non-nullable"
    TYPE_CHANGED = "type changed"
    ENUM_CHANGED = "enum changed"
    FORMAT_CHANGED = "format changed"
    UNION_CHANGED = "union changed"
    CONSTRAINT_CHANGED = "constraint changed"
    ADDITIONAL_PROPERTIES_CHANGED = "additionalProperties changed"
    DEPRECATED_CHANGED = "deprecation changed"
    DESCRIPTION_CHANGED = "description changed"


@dataclass(frozen=True)
class Change:
    """What the comparison found, before a rule judges it. `ours`/`upstream` are the
    compared values (the enclosing object schemas for a field; a status for a
    media type is in `name`)."""

    kind: Kind
    direction: Direction
    ours: Any = None
    upstream: Any = None
    name: str = ""


Verdict = tuple[bool, str]
Judge = Callable[[Change], Verdict]


@dataclass(frozen=True)
class Rule:
    kind: Kind
    direction: Direction
    summary: str
    judge: Judge


RULES: dict[tuple[Kind, Direction], Rule] = {}


def rule(kind: Kind, **summaries: str) -> Callable[[Judge], Judge]:
    """Register `judge` for `kind` in each direction named (request=, response=,
    operation=), with the one-line summary the rule table shows for it."""

    def register(judge: Judge) -> Judge:
        for direction, summary in summaries.items():
            key = (kind, Direction(direction))
            if key in RULES:
                raise ValueError(f"two rules for {kind.value} ({direction})")
            RULES[key] = Rule(kind, Direction(direction), summary, judge)
        return judge

    return register


def fixed(kind: Kind, direction: Direction, breaking: bool, reason: str) -> None:
    """A rule whose verdict does not depend on the values."""
    summary = f"{'breaking' if breaking else 'informational'}: {reason}"
    rule(kind, **{direction.value: summary})(lambda change: (breaking, reason))


def judge(change: Change) -> Verdict:
    return RULES[(change.kind, change.direction)].judge(change)


def table() -> str:
    """The rule table as Markdown, one row per registered rule, in `Kind` order."""
    rows = ["| change | side | verdict |", "| --- | --- | --- |"]
    for kind in Kind:
        for direction in Direction:
            found = RULES.get((kind, direction))
            if found is not None:
                rows.append(f"| {kind.value} | {direction.value} | {found.summary} |")
    return "\n".join(rows) + "\n"


# --- helpers ---------------------------------------------------------------------------


def widen(types: frozenset[str]) -> frozenset[str]:
    """An integer is a number."""
    return types | {"integer"} if "number" in types else types


def types_within(inner: frozenset[str] | None, outer: frozenset[str] | None) -> bool:
    """Whether every value of types `inner` is one of types `outer` (None is any)."""
    if outer is None:
        return True
    return inner is not None and widen(inner) <= widen(outer)


def values_within(inner: tuple[Any, ...] | None, outer: tuple[Any, ...] | None) -> bool:
    if outer is None:
        return True
    allowed = {value_key(value) for value in outer}
    return inner is not None and all(value_key(value) in allowed for value in inner)


def shapes_within(inner: frozenset[str], outer: frozenset[str]) -> bool:
    return inner <= outer


def _within(change: Change, within: Callable[[Any, Any], bool], noun: str) -> Verdict:
    """Breaking when the sender (we in requests, Statsig in responses) may send a `noun`
    the receiver does not accept."""
    if change.direction is REQUEST:
        breaking = not within(change.ours, change.upstream)
        if breaking:
            return True, f"our client may send a {noun} Statsig does not accept"
        return False, f"Statsig accepts every {noun} we send"
    breaking = not within(change.upstream, change.ours)
    if breaking:
        return True, f"Statsig may send a {noun} the generated client does not parse"
    return False, f"Statsig sends a subset of the {noun}s we accept"


# --- operations ------------------------------------------------------------------------

fixed(Kind.OPERATION_ADDED, OPERATION, False, "an operation on this resource our spec lacks")
fixed(
    Kind.OPERATION_REMOVED,
    OPERATION,
    True,
    "our client calls an operation Statsig does not document (expect 404 or 405)",
)


@rule(
    Kind.SECURITY_CHANGED,
    request="breaking if Statsig no longer accepts our credentials, or requires some where "
    "we declare none; informational if Statsig accepts more, or asks for none",
)
def _security(change: Change) -> Verdict:
    mine, theirs = change.ours, change.upstream
    if not theirs or frozenset() in theirs:
        # Sending a key where none is needed is harmless; more likely a documentation gap
        # (Statsig's document has `security: []` at the top level).
        return False, "Statsig's document asks for no authentication here; ours still works"
    if not any(mine):
        return True, "our spec declares no credentials; Statsig rejects requests without them"
    if any(key and key not in theirs for key in mine):
        return True, "Statsig no longer accepts the credentials our client sends"
    return False, "Statsig accepts more ways to authenticate"


@rule(Kind.PARAMETER_ADDED, request="breaking if Statsig requires it, else informational")
def _parameter_added(change: Change) -> Verdict:
    if change.upstream:
        return True, "Statsig requires it and our client never sends it"
    return False, "an optional parameter our client cannot set yet"


fixed(Kind.PARAMETER_REMOVED, REQUEST, False, "Statsig no longer documents it; it may be ignored")


@rule(
    Kind.REQUEST_BODY_CHANGED,
    request="breaking if Statsig no longer documents the body we send, or requires one",
)
def _request_body(change: Change) -> Verdict:
    if change.ours is not None:
        return True, "Statsig no longer documents the body our client sends"
    return bool(change.upstream.required), "Statsig documents a body our client does not send"


@rule(Kind.STATUS_ADDED, response="breaking for a 2xx status, else informational")
def _status_added(change: Change) -> Verdict:
    if change.name.startswith("2"):
        return True, "a success status the generated client does not parse"
    return False, "an error status our spec does not describe"


@rule(Kind.STATUS_REMOVED, response="breaking for a 2xx status, else informational")
def _status_removed(change: Change) -> Verdict:
    if change.name.startswith("2"):
        return True, "the success status the generated client expects is no longer documented"
    return False, "Statsig no longer documents this error status"


fixed(Kind.MEDIA_TYPE_ADDED, REQUEST, False, "an extra media type; ours still works")
fixed(Kind.MEDIA_TYPE_ADDED, RESPONSE, False, "an extra media type; ours still works")
fixed(Kind.MEDIA_TYPE_REMOVED, REQUEST, True, "Statsig no longer documents the media type we send")


@rule(Kind.MEDIA_TYPE_REMOVED, response="breaking for a 2xx status, else informational")
def _media_type_removed(change: Change) -> Verdict:
    # An error response that lost its documented body is only less documented.
    if change.name.startswith("2"):
        return True, "Statsig no longer documents the media type our client parses"
    return False, "Statsig no longer documents this media type"


for _direction in (REQUEST, RESPONSE):
    fixed(Kind.SCHEMA_UNDOCUMENTED, _direction, False, "one side gives no schema to compare")
fixed(Kind.RESPONSE_HEADER_ADDED, RESPONSE, False, "response headers do not affect parsing")
fixed(Kind.RESPONSE_HEADER_REMOVED, RESPONSE, False, "response headers do not affect parsing")

# --- fields ----------------------------------------------------------------------------


@rule(
    Kind.FIELD_ADDED,
    request="breaking if Statsig requires it, else informational",
    response="breaking if our schema forbids additional properties, else informational",
)
def _field_added(change: Change) -> Verdict:
    if change.direction is REQUEST:
        if change.name in change.upstream.required:
            return True, "Statsig requires it and our client never sends it"
        return False, "an optional field our client cannot set yet"
    if change.ours.additional is False:
        return True, "our schema forbids additional properties"
    return False, "the generated model keeps it in additional_properties"


@rule(
    Kind.FIELD_REMOVED,
    request="breaking if Statsig forbids additional properties, else informational",
    response="breaking if we require it, else informational",
)
def _field_removed(change: Change) -> Verdict:
    if change.direction is REQUEST:
        if change.upstream.additional is False:
            return True, "Statsig forbids unknown fields; sending it would be rejected"
        return False, "Statsig no longer documents it; it may be ignored"
    if change.name in change.ours.required:
        return True, "we require it but Statsig no longer promises to send it"
    return False, "an optional field Statsig no longer documents"


fixed(Kind.MADE_REQUIRED, REQUEST, True, "Statsig rejects requests without it; ours may omit it")
fixed(Kind.MADE_REQUIRED, RESPONSE, False, "Statsig now always sends it")
fixed(Kind.MADE_OPTIONAL, REQUEST, False, "Statsig no longer needs it")
fixed(
    Kind.MADE_OPTIONAL,
    RESPONSE,
    True,
    "Statsig may omit it; the generated client would fail to parse that",
)
fixed(Kind.MADE_NULLABLE, REQUEST, False, "Statsig also accepts null")
fixed(
    Kind.MADE_NULLABLE,
    RESPONSE,
    True,
    "Statsig may send null; the generated client would fail to parse it",
)
fixed(
    Kind.MADE_NON_NULLABLE,
    REQUEST,
    True,
    "our client may send null, which Statsig no longer accepts",
)
fixed(Kind.MADE_NON_NULLABLE, RESPONSE, False, "Statsig no longer sends null here")

# --- values ----------------------------------------------------------------------------


@rule(
    Kind.TYPE_CHANGED,
    request="breaking unless Statsig's types include ours (an integer is a number)",
    response="breaking unless our types include Statsig's",
)
def _type_changed(change: Change) -> Verdict:
    return _within(change, types_within, "type")


@rule(
    Kind.ENUM_CHANGED,
    request="breaking if we allow a value Statsig lacks",
    response="breaking if Statsig may send a value we lack (the generated enum rejects it)",
)
def _enum_changed(change: Change) -> Verdict:
    return _within(change, values_within, "value")


@rule(
    Kind.UNION_CHANGED,
    request="breaking if we allow a `oneOf`/`anyOf` branch Statsig lacks",
    response="breaking if Statsig has a branch we lack",
)
def _union_changed(change: Change) -> Verdict:
    return _within(change, shapes_within, "shape")


@rule(
    Kind.FORMAT_CHANGED,
    request="breaking if Statsig adds or changes a format",
    response="breaking if we rely on a format Statsig dropped or changed",
)
def _format_changed(change: Change) -> Verdict:
    if change.direction is REQUEST:
        if change.upstream is not None:
            return True, "Statsig expects a format our client does not enforce"
        return False, "Statsig no longer asks for a format"
    if change.ours is not None:
        return True, "the generated client parses our format; Statsig no longer promises it"
    return False, "Statsig now documents a format"


def _stricter(key: str, ours: object, upstream: object) -> bool:
    """Whether Statsig's constraint `key` rejects something ours accepts."""
    if upstream is None:
        return False
    if ours is None:
        return True
    if isinstance(ours, int | float) and isinstance(upstream, int | float):
        if key in LOWER_BOUNDS:
            return upstream > ours
        if key in UPPER_BOUNDS:
            return upstream < ours
    return upstream != ours


@rule(
    Kind.CONSTRAINT_CHANGED,
    request="breaking if Statsig's (minimum, maxLength, pattern...) is stricter",
)
def _constraint_changed(change: Change) -> Verdict:
    if _stricter(change.name, change.ours, change.upstream):
        return True, "Statsig rejects values our client may send"
    return False, "Statsig accepts at least what it did"


fixed(
    Kind.CONSTRAINT_CHANGED,
    RESPONSE,
    False,
    "the generated client does not validate constraints",
)


@rule(
    Kind.ADDITIONAL_PROPERTIES_CHANGED,
    response="breaking if we forbid or restrict extra properties Statsig allows",
)
def _additional_changed(change: Change) -> Verdict:
    mine, theirs = change.ours, change.upstream
    if mine is not True and theirs is not False:
        return True, "Statsig may send properties our schema forbids"
    return False, "does not change what our client sends or parses"


fixed(
    Kind.ADDITIONAL_PROPERTIES_CHANGED,
    REQUEST,
    False,
    "does not change what our client sends or parses",
)


@rule(Kind.DEPRECATED_CHANGED, request="informational", response="informational")
def _deprecated(change: Change) -> Verdict:
    return False, "plan to stop using it" if change.upstream else "no longer deprecated"


for _direction in Direction:
    fixed(Kind.DESCRIPTION_CHANGED, _direction, False, "wording only (with --descriptions)")
