"""The rules: for each kind of change and each side, whether it is breaking, and why.

A change is **breaking** when, trusting Statsig's document, something real fails: our
client could send a request Statsig rejects, or the client generated from our spec could
fail on a response Statsig sends. On the request side every value *we* allow must be one
Statsig accepts; on the response side every value *Statsig* may send must be one we
accept. Each rule is a function registered with `rule()` for a (kind, side) pair; the
table in docs/compare-upstream.md is `table()`, and a test keeps the two equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from statsig_console_upstream.schema import LOWER_BOUNDS, UPPER_BOUNDS, value_key, widen

SIDES = ("operation", "request", "response")


@dataclass(frozen=True)
class Change:
    """What the comparison found, before a rule judges it: the compared values (for a
    field, the enclosing object schemas) and a `name` (the field, status or keyword)."""

    kind: str
    side: str
    ours: Any = None
    upstream: Any = None
    name: str = ""


Verdict = tuple[bool, str]
Judge = Callable[[Change], Verdict]
# (kind, side) -> (summary for the rule table, judge); kinds in the order they register.
RULES: dict[tuple[str, str], tuple[str, Judge]] = {}


def rule(kind: str, **summaries: str) -> Callable[[Judge], Judge]:
    """Register a judge for `kind` on each side named (operation=, request=, response=),
    with the summary the rule table shows for it."""

    def register(judge: Judge) -> Judge:
        for side, summary in summaries.items():
            if side not in SIDES or (kind, side) in RULES:
                raise ValueError(f"no side {side!r}, or a second rule, for {kind}")
            RULES[(kind, side)] = (summary, judge)
        return judge

    return register


def judge(change: Change) -> Verdict:
    return RULES[(change.kind, change.side)][1](change)


def table() -> str:
    """The rule table as Markdown, one row per registered rule."""
    kinds = list(dict.fromkeys(kind for kind, _ in RULES))
    rows = [
        f"| {kind} | {side} | {RULES[(kind, side)][0]} |"
        for kind in kinds
        for side in SIDES
        if (kind, side) in RULES
    ]
    return "\n".join(["| change | side | verdict |", "| --- | --- | --- |", *rows]) + "\n"


def _fixed(kind: str, side: str, breaking: bool, reason: str) -> None:
    verdict = (breaking, reason)
    summary = f"{'**breaking**' if breaking else 'informational'}: {reason}"
    rule(kind, **{side: summary})(lambda change: verdict)


# Rules whose verdict does not depend on the values.
for _kind, _side, _breaking, _reason in (
    ("operation added", "operation", False, "an operation on this resource our spec lacks"),
    ("operation removed", "operation", True, "we call an operation Statsig does not document"),
    ("parameter removed", "request", False, "Statsig no longer documents it; it may be ignored"),
    ("media type added", "request", False, "an extra media type; ours still works"),
    ("media type added", "response", False, "an extra media type; ours still works"),
    ("media type removed", "request", True, "Statsig no longer documents the media type we send"),
    ("body schema not documented", "request", False, "one side gives no schema to compare"),
    ("body schema not documented", "response", False, "one side gives no schema to compare"),
    ("response header added", "response", False, "response headers do not affect parsing"),
    ("response header removed", "response", False, "response headers do not affect parsing"),
    ("made required", "request", True, "Statsig rejects requests without it; ours may omit it"),
    ("made required", "response", False, "Statsig now always sends it"),
    ("made optional", "request", False, "Statsig no longer needs it"),
    ("made optional", "response", True, "Statsig may omit it; the generated client would fail"),
    ("made nullable", "request", False, "Statsig also accepts null"),
    ("made nullable", "response", True, "Statsig may send null; the generated client rejects it"),
    ("made non-nullable", "request", True, "we may send null, which Statsig no longer accepts"),
    ("made non-nullable", "response", False, "Statsig no longer sends null here"),
    ("constraint changed", "response", False, "the generated client does not validate them"),
    ("additionalProperties changed", "request", False, "does not change what our client sends"),
    ("description changed", "operation", False, "wording only (with --descriptions)"),
    ("description changed", "request", False, "wording only (with --descriptions)"),
    ("description changed", "response", False, "wording only (with --descriptions)"),
):
    _fixed(_kind, _side, _breaking, _reason)


@rule(
    "security changed",
    request="**breaking** if Statsig no longer accepts our credentials or requires some where "
    "we declare none; informational if it accepts more, or asks for none",
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


@rule("parameter added", request="**breaking** if Statsig requires it, else informational")
def _parameter_added(change: Change) -> Verdict:
    if change.upstream:
        return True, "Statsig requires it and our client never sends it"
    return False, "an optional parameter our client cannot set yet"


@rule("request body changed", request="**breaking** if Statsig drops the body we send or needs one")
def _request_body(change: Change) -> Verdict:
    if change.ours is not None:
        return True, "Statsig no longer documents the body our client sends"
    return bool(change.upstream.required), "Statsig documents a body our client does not send"


@rule("status added", response="**breaking** for a 2xx status, else informational")
def _status_added(change: Change) -> Verdict:
    if change.name.startswith("2"):
        return True, "a success status the generated client does not parse"
    return False, "an error status our spec does not describe"


@rule("status removed", response="**breaking** for a 2xx status, else informational")
def _status_removed(change: Change) -> Verdict:
    if change.name.startswith("2"):
        return True, "the success status the generated client expects is no longer documented"
    return False, "Statsig no longer documents this error status"


@rule("media type removed", response="**breaking** for a 2xx status, else informational")
def _media_type_removed(change: Change) -> Verdict:
    # An error response that lost its documented body is only less documented.
    if change.name.startswith("2"):
        return True, "Statsig no longer documents the media type our client parses"
    return False, "Statsig no longer documents this media type"


@rule(
    "field added",
    request="**breaking** if Statsig requires it, else informational",
    response="**breaking** if our schema forbids additional properties, else informational",
)
def _field_added(change: Change) -> Verdict:
    if change.side == "request":
        if change.name in change.upstream.required:
            return True, "Statsig requires it and our client never sends it"
        return False, "an optional field our client cannot set yet"
    if change.ours.additional is False:
        return True, "our schema forbids additional properties"
    return False, "the generated model keeps it in additional_properties"


@rule(
    "field removed",
    request="**breaking** if Statsig forbids additional properties, else informational",
    response="**breaking** if we require it, else informational",
)
def _field_removed(change: Change) -> Verdict:
    if change.side == "request":
        if change.upstream.additional is False:
            return True, "Statsig forbids unknown fields; sending it would be rejected"
        return False, "Statsig no longer documents it; it may be ignored"
    if change.name in change.ours.required:
        return True, "we require it but Statsig no longer promises to send it"
    return False, "an optional field Statsig no longer documents"


def types_within(inner: frozenset[str] | None, outer: frozenset[str] | None) -> bool:
    """Whether every value of types `inner` is one of types `outer` (None is any)."""
    return outer is None or (inner is not None and widen(inner) <= widen(outer))


def values_within(inner: tuple[Any, ...] | None, outer: tuple[Any, ...] | None) -> bool:
    allowed = None if outer is None else {value_key(value) for value in outer}
    return allowed is None or (inner is not None and all(value_key(v) in allowed for v in inner))


def _within(change: Change, within: Callable[[Any, Any], bool], noun: str) -> Verdict:
    """Breaking when the sender (we in requests, Statsig in responses) may send a `noun`
    the receiver does not accept."""
    if change.side == "request":
        if not within(change.ours, change.upstream):
            return True, f"our client may send a {noun} Statsig does not accept"
        return False, f"Statsig accepts every {noun} we send"
    if not within(change.upstream, change.ours):
        return True, f"Statsig may send a {noun} the generated client does not parse"
    return False, f"Statsig sends a subset of the {noun}s we accept"


@rule(
    "type changed",
    request="**breaking** unless Statsig's types include ours (an integer is a number)",
    response="**breaking** unless our types include Statsig's",
)
def _type_changed(change: Change) -> Verdict:
    return _within(change, types_within, "type")


@rule(
    "enum changed",
    request="**breaking** if we allow a value Statsig lacks",
    response="**breaking** if Statsig may send a value we lack (the generated enum rejects it)",
)
def _enum_changed(change: Change) -> Verdict:
    return _within(change, values_within, "value")


@rule(
    "union changed",
    request="**breaking** if we allow a `oneOf`/`anyOf` branch Statsig lacks",
    response="**breaking** if Statsig has a branch we lack",
)
def _union_changed(change: Change) -> Verdict:
    return _within(change, lambda inner, outer: inner <= outer, "shape")


@rule(
    "format changed",
    request="**breaking** if Statsig adds or changes a format",
    response="**breaking** if we rely on a format Statsig dropped or changed",
)
def _format_changed(change: Change) -> Verdict:
    if change.side == "request":
        if change.upstream is not None:
            return True, "Statsig expects a format our client does not enforce"
        return False, "Statsig no longer asks for a format"
    if change.ours is not None:
        return True, "the generated client parses our format; Statsig no longer promises it"
    return False, "Statsig now documents a format"


@rule(
    "constraint changed",
    request="**breaking** if Statsig's (minimum, maxLength, pattern...) is stricter",
)
def _constraint_changed(change: Change) -> Verdict:
    ours, theirs, numbers = change.ours, change.upstream, (int, float)
    if theirs is None:
        stricter = False
    elif ours is None:
        stricter = True
    elif isinstance(ours, numbers) and isinstance(theirs, numbers) and change.name in LOWER_BOUNDS:
        stricter = theirs > ours
    elif isinstance(ours, numbers) and isinstance(theirs, numbers) and change.name in UPPER_BOUNDS:
        stricter = theirs < ours
    else:
        stricter = theirs != ours
    if stricter:
        return True, "Statsig rejects values our client may send"
    return False, "Statsig accepts at least what it did"


@rule(
    "additionalProperties changed",
    response="**breaking** if we forbid or restrict extra properties Statsig allows",
)
def _additional_changed(change: Change) -> Verdict:
    if change.ours is not True and change.upstream is not False:
        return True, "Statsig may send properties our schema forbids"
    return False, "does not change what our client sends or parses"


@rule("deprecation changed", request="informational", response="informational")
def _deprecated(change: Change) -> Verdict:
    return False, "plan to stop using it" if change.upstream else "no longer deprecated"
