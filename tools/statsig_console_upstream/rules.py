"""The rules: for each kind of change and each side, whether it is breaking, and why.

A change is **breaking** when, trusting Statsig's document, something real fails: our
client could send a request Statsig rejects, or the client generated from our spec could
fail on a response Statsig sends. On the request side every value *we* allow must be one
Statsig accepts; on the response side every value *Statsig* may send must be one we
accept. `RULES` holds one row per (kind, side); the table in docs/compare-upstream.md is
`table()`, and a test keeps the two equal.
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

    @property
    def sender(self) -> Any:  # noqa: ANN401 - whatever the change compares
        """The values that travel: ours in a request, Statsig's in a response."""
        return self.ours if self.side == "request" else self.upstream

    @property
    def receiver(self) -> Any:  # noqa: ANN401 - whatever the change compares
        return self.upstream if self.side == "request" else self.ours


Verdict = tuple[bool, str]
Judge = Callable[[Change], Verdict]
Rule = tuple[str, Judge]


def fixed(breaking: bool, reason: str) -> Rule:
    """A rule whose verdict does not depend on the values."""
    return f"{'**breaking**' if breaking else 'informational'}: {reason}", lambda c: (
        breaking,
        reason,
    )


def when(summary: str, test: Callable[[Change], bool], breaking: str, otherwise: str) -> Rule:
    """Breaking when `test` holds, for the reason `breaking`; else informational."""
    return summary, lambda c: (True, breaking) if test(c) else (False, otherwise)


def success(change: Change) -> bool:
    return change.name.startswith("2")


def types_within(inner: frozenset[str] | None, outer: frozenset[str] | None) -> bool:
    """Whether every value of types `inner` is one of types `outer` (None is any)."""
    return outer is None or (inner is not None and widen(inner) <= widen(outer))


def values_within(inner: tuple[Any, ...] | None, outer: tuple[Any, ...] | None) -> bool:
    allowed = None if outer is None else {value_key(value) for value in outer}
    return allowed is None or (inner is not None and all(value_key(v) in allowed for v in inner))


def narrower(
    kind: str, within: Callable[[Any, Any], bool], noun: str, request: str, response: str
) -> dict[tuple[str, str], Rule]:
    """Breaking when the sender may send a `noun` the receiver does not accept."""

    def test(change: Change) -> bool:
        return not within(change.sender, change.receiver)

    return {
        (kind, "request"): when(
            request,
            test,
            f"our client may send a {noun} Statsig does not accept",
            f"Statsig accepts every {noun} we send",
        ),
        (kind, "response"): when(
            response,
            test,
            f"Statsig may send a {noun} the generated client does not parse",
            f"Statsig sends a subset of the {noun}s we accept",
        ),
    }


def stricter(change: Change) -> bool:
    ours, theirs, numbers = change.ours, change.upstream, (int, float)
    if theirs is None or ours is None:
        return ours is None and theirs is not None
    if isinstance(ours, numbers) and isinstance(theirs, numbers) and change.name in LOWER_BOUNDS:
        return bool(theirs > ours)
    if isinstance(ours, numbers) and isinstance(theirs, numbers) and change.name in UPPER_BOUNDS:
        return bool(theirs < ours)
    return bool(theirs != ours)


def security(change: Change) -> Verdict:
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


# Rules whose verdict does not depend on the values: (kind, side, breaking, reason).
FIXED = (
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
    ("deprecation changed", "request", False, "deprecation changes nothing sent or parsed"),
    ("deprecation changed", "response", False, "deprecation changes nothing sent or parsed"),
)
TWO_XX = "**breaking** for a 2xx status, else informational"

# (kind, side) -> (summary for the rule table, judge); the table groups sides by kind, in
# the order the kinds first appear here.
RULES: dict[tuple[str, str], Rule] = {
    **{(kind, side): fixed(breaking, reason) for kind, side, breaking, reason in FIXED},
    ("media type removed", "response"): when(
        TWO_XX,
        # An error response that lost its documented body is only less documented.
        success,
        "Statsig no longer documents the media type our client parses",
        "Statsig no longer documents this media type",
    ),
    ("constraint changed", "request"): when(
        "**breaking** if Statsig's (minimum, maxLength, pattern...) is stricter",
        stricter,
        "Statsig rejects values our client may send",
        "Statsig accepts at least what it did",
    ),
    ("additionalProperties changed", "response"): when(
        "**breaking** if we forbid or restrict extra properties Statsig allows",
        lambda c: c.ours is not True and c.upstream is not False,
        "Statsig may send properties our schema forbids",
        "does not change what our client parses",
    ),
    ("security changed", "request"): (
        "**breaking** if Statsig no longer accepts our credentials or requires some where we "
        "declare none; informational if it accepts more, or asks for none",
        security,
    ),
    ("parameter added", "request"): when(
        "**breaking** if Statsig requires it, else informational",
        lambda c: bool(c.upstream),
        "Statsig requires it and our client never sends it",
        "an optional parameter our client cannot set yet",
    ),
    ("request body changed", "request"): when(
        "**breaking** if Statsig drops the body we send or needs one",
        lambda c: c.ours is not None or bool(c.upstream.required),
        "Statsig no longer documents the body our client sends, or needs one it does not",
        "Statsig documents a body our client does not send",
    ),
    ("status added", "response"): when(
        TWO_XX,
        success,
        "a success status the generated client does not parse",
        "an error status our spec does not describe",
    ),
    ("status removed", "response"): when(
        TWO_XX,
        success,
        "the success status the generated client expects is no longer documented",
        "Statsig no longer documents this error status",
    ),
    ("field added", "request"): when(
        "**breaking** if Statsig requires it, else informational",
        lambda c: c.name in c.upstream.required,
        "Statsig requires it and our client never sends it",
        "an optional field our client cannot set yet",
    ),
    ("field added", "response"): when(
        "**breaking** if our schema forbids additional properties, else informational",
        lambda c: c.ours.additional is False,
        "our schema forbids additional properties",
        "the generated model keeps it in additional_properties",
    ),
    ("field removed", "request"): when(
        "**breaking** if Statsig forbids additional properties, else informational",
        lambda c: c.upstream.additional is False,
        "Statsig forbids unknown fields; sending it would be rejected",
        "Statsig no longer documents it; it may be ignored",
    ),
    ("field removed", "response"): when(
        "**breaking** if we require it, else informational",
        lambda c: c.name in c.ours.required,
        "we require it but Statsig no longer promises to send it",
        "an optional field Statsig no longer documents",
    ),
    **narrower(
        "type changed",
        types_within,
        "type",
        "**breaking** unless Statsig's types include ours (an integer is a number)",
        "**breaking** unless our types include Statsig's",
    ),
    **narrower(
        "enum changed",
        values_within,
        "value",
        "**breaking** if we allow a value Statsig lacks",
        "**breaking** if Statsig may send a value we lack (the generated enum rejects it)",
    ),
    **narrower(
        "union changed",
        lambda inner, outer: bool(inner <= outer),
        "shape",
        "**breaking** if we allow a `oneOf`/`anyOf` branch Statsig lacks",
        "**breaking** if Statsig has a branch we lack",
    ),
    # The generated client parses the formats it knows: the receiver's format is relied on.
    ("format changed", "request"): when(
        "**breaking** if Statsig adds or changes a format",
        lambda c: c.receiver is not None,
        "Statsig expects a format our client does not enforce",
        "Statsig no longer asks for a format",
    ),
    ("format changed", "response"): when(
        "**breaking** if we rely on a format Statsig dropped or changed",
        lambda c: c.receiver is not None,
        "the generated client parses our format; Statsig no longer promises it",
        "Statsig now documents a format",
    ),
}


def judge(change: Change) -> Verdict:
    return RULES[(change.kind, change.side)][1](change)


def table() -> str:
    """The rule table as Markdown, one row per rule, the sides of a kind together."""
    kinds = dict.fromkeys(kind for kind, _ in RULES)
    rows = [
        f"| {kind} | {side} | {RULES[(kind, side)][0]} |"
        for kind in kinds
        for side in SIDES
        if (kind, side) in RULES
    ]
    return "\n".join(["| change | side | verdict |", "| --- | --- | --- |", *rows]) + "\n"
