"""The rules: for each kind of change and each side, whether it is breaking, and why.

Breaking means that, trusting Statsig's document, something real fails: on the request
side every value *we* may send must be one Statsig accepts, on the response side every
value *Statsig* may send one the client generated from our spec accepts. `RULES` holds
one rule per (kind, side); docs/compare-upstream.md shows `table()`, a test keeps them equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from statsig_console_upstream.schema import LOWER_BOUNDS, UPPER_BOUNDS, widen

SIDES = ("operation", "request", "response")
BOTH = SIDES[1:]


@dataclass(frozen=True)
class Change:
    """What the comparison found, before a rule judges it: the compared values (for a
    part only one side has, the `Part` on each side, None where it is missing) and a
    `name` (a response's status, or a constraint's keyword)."""

    kind: str
    side: str
    ours: Any = None
    upstream: Any = None
    name: str = ""
    # The receiver forbids what it does not list (a field, with additionalProperties: false).
    closed: bool = False

    @property
    def sender(self) -> Any:  # noqa: ANN401 - whatever the change compares
        """The values that travel: ours in a request, Statsig's in a response."""
        return self.ours if self.side == "request" else self.upstream

    @property
    def receiver(self) -> Any:  # noqa: ANN401 - whatever the change compares
        return self.upstream if self.side == "request" else self.ours


Verdict = tuple[bool, str]
Rule = tuple[str, Callable[[Change], Verdict]]


def outside(change: Change) -> bool:
    """Whether the sender may send a type, enum value or union branch the receiver does not
    accept (None: anything). Only type names are widened: an integer is a number."""
    inner, outer = change.sender, change.receiver
    return outer is not None and (inner is None or not widen(inner) <= widen(outer))


def success(change: Change) -> bool:
    return change.name.startswith("2")


def stricter(change: Change) -> bool:
    ours, theirs = change.ours, change.upstream
    if theirs is None or ours is None:
        return ours is None
    numbers = isinstance(ours, int | float) and isinstance(theirs, int | float)
    if numbers and change.name in LOWER_BOUNDS:
        return bool(theirs > ours)
    if numbers and change.name in UPPER_BOUNDS:
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


def _rule(verdict: bool | Callable[[Change], bool], reason: str, otherwise: str = "") -> Rule:
    """A fixed verdict and its reason, or a test that makes the change breaking (for
    `reason`; `otherwise` informational)."""
    if isinstance(verdict, bool):
        summary = f"{'**breaking**' if verdict else 'informational'}: {reason}"
        return summary, lambda change: (verdict, reason)
    summary = f"**breaking** if {reason}, else informational"
    return summary, lambda change: (True, reason) if verdict(change) else (False, otherwise)


def _narrower(kind: str, noun: str) -> dict[tuple[str, ...], tuple[Any, ...]]:
    """Breaking when the sender may send a `noun` the receiver does not accept."""
    return {
        (kind, "request"): (
            outside,
            f"our client may send a {noun} Statsig does not accept",
            f"Statsig accepts every {noun} we send",
        ),
        (kind, "response"): (
            outside,
            f"Statsig may send a {noun} the generated client does not parse",
            f"Statsig sends a subset of the {noun}s we accept",
        ),
    }


# (kind, side, ...): a fixed verdict and its reason, or a test, the reason when it holds
# (which is breaking) and the reason otherwise. The rule table groups the sides of a kind,
# in the order the kinds first appear here.
ROWS: dict[tuple[str, ...], tuple[Any, ...]] = {
    ("operation added", "operation"): (False, "an operation on this resource our spec lacks"),
    ("operation removed", "operation"): (True, "we call an operation Statsig does not document"),
    ("parameter added", "request"): (
        lambda c: c.upstream.required,
        "Statsig requires it and our client never sends it",
        "an optional parameter our client cannot set yet",
    ),
    ("parameter removed", "request"): (False, "Statsig no longer documents it; it may be ignored"),
    ("request body added", "request"): (
        lambda c: c.upstream.required,
        "Statsig needs a body our client does not send",
        "Statsig documents a body our client does not send",
    ),
    ("request body removed", "request"): (True, "Statsig drops the body our client sends"),
    ("media type added", *BOTH): (False, "an extra media type; ours still works"),
    ("media type removed", "request"): (True, "Statsig no longer documents the media type we send"),
    # An error response that lost its documented body is only less documented.
    ("media type removed", "response"): (
        success,
        "a 2xx response lost the media type our client parses",
        "Statsig no longer documents this media type",
    ),
    ("body schema not documented", *BOTH): (False, "one side gives no schema to compare"),
    ("status added", "response"): (
        success,
        "it is a success status the generated client does not parse",
        "an error status our spec does not describe",
    ),
    ("status removed", "response"): (
        success,
        "it is the success status the generated client expects",
        "Statsig no longer documents this error status",
    ),
    ("response header added", "response"): (False, "response headers do not affect parsing"),
    ("response header removed", "response"): (False, "response headers do not affect parsing"),
    ("field added", "request"): (
        lambda c: c.upstream.required,
        "Statsig requires it and our client never sends it",
        "an optional field our client cannot set yet",
    ),
    ("field added", "response"): (
        lambda c: c.closed,
        "our schema forbids additional properties",
        "the generated model keeps it in additional_properties",
    ),
    ("field removed", "request"): (
        lambda c: c.closed,
        "Statsig forbids unknown fields, so sending it is rejected",
        "Statsig no longer documents it; it may be ignored",
    ),
    ("field removed", "response"): (
        lambda c: c.ours.required,
        "we require it but Statsig no longer promises to send it",
        "an optional field Statsig no longer documents",
    ),
    ("made required", "request"): (True, "Statsig rejects requests without it; ours may omit it"),
    ("made required", "response"): (False, "Statsig now always sends it"),
    ("made optional", "request"): (False, "Statsig no longer needs it"),
    ("made optional", "response"): (True, "Statsig may omit it; the generated client would fail"),
    ("made nullable", "request"): (False, "Statsig also accepts null"),
    ("made nullable", "response"): (True, "Statsig may send null; the generated client rejects it"),
    ("made non-nullable", "request"): (True, "we may send null, which Statsig no longer accepts"),
    ("made non-nullable", "response"): (False, "Statsig no longer sends null here"),
    **_narrower("type changed", "type"),
    **_narrower("enum changed", "value"),
    **_narrower("union changed", "shape"),
    # The generated client parses the formats it knows: the receiver's format is relied on.
    ("format changed", "request"): (
        lambda c: c.receiver is not None,
        "Statsig expects a format our client does not enforce",
        "Statsig no longer asks for a format",
    ),
    ("format changed", "response"): (
        lambda c: c.receiver is not None,
        "the generated client parses our format and Statsig no longer promises it",
        "Statsig now documents a format",
    ),
    ("constraint changed", "request"): (
        stricter,
        "Statsig's bound or pattern is stricter: it rejects values our client may send",
        "Statsig accepts at least what it did",
    ),
    ("constraint changed", "response"): (False, "the generated client does not validate them"),
    ("additionalProperties changed", "request"): (False, "does not change what our client sends"),
    ("additionalProperties changed", "response"): (
        lambda c: c.ours is not True and c.upstream is not False,
        "we forbid or restrict extra properties Statsig may send",
        "does not change what our client parses",
    ),
    ("description changed", *SIDES): (False, "wording only (with --descriptions)"),
    ("deprecation changed", *SIDES): (False, "deprecation changes nothing sent or parsed"),
}
RULES: dict[tuple[str, str], Rule] = {
    (kind, side): _rule(*row) for (kind, *sides), row in ROWS.items() for side in sides
}
RULES["security changed", "request"] = (
    "**breaking** if Statsig no longer accepts our credentials or requires some where we "
    "declare none; informational if it accepts more, or asks for none",
    security,
)


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
