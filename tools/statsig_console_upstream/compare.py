"""Compare our endpoint with Statsig's and classify every difference.

A difference is **breaking** when, trusting Statsig's document, something real fails:
our client could send a request Statsig rejects, or the client generated from our
spec could fail on a response Statsig sends. Everything else is **informational**.
The rules follow from two sentences:

- Request side (body, parameters): every value *we* allow must be one Statsig accepts.
- Response side: every value *Statsig* may send must be one our spec accepts.

Applied to each kind of difference (request side / response side):

- field only in Statsig's document: breaking if Statsig requires it, else
  informational / informational (the generated models keep unknown properties),
  breaking only if our schema sets `additionalProperties: false`.
- field only in ours: informational (Statsig ignores it or no longer documents it),
  breaking if Statsig sets `additionalProperties: false` / breaking if we require it
  (the generated client would fail to parse its absence), else informational.
- made required by Statsig: breaking / informational.
- made optional by Statsig: informational / breaking when we require it.
- made nullable by Statsig: informational / breaking.
- made non-nullable by Statsig: breaking when we allow null / informational.
- type changed: breaking unless Statsig's types include ours (an integer is a
  number) / breaking unless ours include Statsig's.
- enum values: breaking if we allow a value Statsig lacks / breaking if Statsig may
  send a value we lack (the generated enum rejects it).
- format: breaking if Statsig adds or changes one / breaking if we rely on one that
  Statsig dropped or changed.
- constraints (minimum, maxLength, pattern...): breaking if Statsig is stricter /
  informational (the client does not validate them).
- union (`oneOf`/`anyOf`) branches: breaking if we allow a branch Statsig lacks /
  breaking if Statsig has a branch we lack.
- `additionalProperties`: informational / breaking if we forbid or restrict extra
  properties that Statsig allows (anything, or a schema of its own).

Operation-level rules:

- security: breaking when an alternative our client uses is missing from Statsig's
  (scheme type, location and header name are compared; the scheme's key in
  `components` is not); an extra alternative in Statsig's is informational, and so
  is a document that asks for no authentication (sending a key anyway is harmless). When
  ours declares no credentials (no `security`, or `security: []`) and Statsig's requires
  some, that is breaking: our client sends requests without them. Header
  parameters named like an apiKey header are the credential, not a parameter.
- header, query, path parameters: a new required one is breaking (we never send it);
  a new optional one, or one Statsig dropped, is informational; required and schema
  changes follow the request rules.
- request body: a body Statsig now requires, no longer documents, or a media type we
  send that Statsig no longer lists is breaking.
- status codes: a new or removed 2xx status is breaking (the generated client only
  parses the success status it knows); a new or removed error status is
  informational; for a status both document, the body follows the response rules
  (an error body our client parses is a body like any other).
- a body listed without a schema on one side, response headers, `deprecated` flags
  and, with `--descriptions`, descriptions are informational.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from statsig_console_upstream.normalize import (
    LOWER_BOUNDS,
    UPPER_BOUNDS,
    Body,
    Endpoint,
    Parameter,
    Schema,
    SecurityScheme,
    describe,
    value_key,
    values_key,
)


class Severity(StrEnum):
    BREAKING = "breaking"
    INFORMATIONAL = "informational"


class Kind(StrEnum):
    FIELD_ADDED = "field added"
    FIELD_REMOVED = "field removed"
    TYPE_CHANGED = "type changed"
    MADE_REQUIRED = "made required"
    MADE_OPTIONAL = "made optional"
    MADE_NULLABLE = "made nullable"
    MADE_NON_NULLABLE = "made non-nullable"
    ENUM_CHANGED = "enum changed"
    FORMAT_CHANGED = "format changed"
    CONSTRAINT_CHANGED = "constraint changed"
    ADDITIONAL_PROPERTIES_CHANGED = "additionalProperties changed"
    UNION_CHANGED = "union changed"
    DEPRECATED_CHANGED = "deprecation changed"
    DESCRIPTION_CHANGED = "description changed"
    STATUS_ADDED = "status added"
    STATUS_REMOVED = "status removed"
    MEDIA_TYPE_ADDED = "media type added"
    MEDIA_TYPE_REMOVED = "media type removed"
    SCHEMA_UNDOCUMENTED = "body schema not documented"
    REQUEST_BODY_CHANGED = "request body changed"
    PARAMETER_ADDED = "parameter added"
    PARAMETER_REMOVED = "parameter removed"
    RESPONSE_HEADER_ADDED = "response header added"
    RESPONSE_HEADER_REMOVED = "response header removed"
    SECURITY_CHANGED = "security changed"


@dataclass(frozen=True)
class Difference:
    """One way Statsig's document (`upstream`) differs from ours (`ours`)."""

    location: str
    kind: Kind
    severity: Severity
    ours: str | None
    upstream: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "kind": self.kind.value,
            "severity": self.severity.value,
            "ours": self.ours,
            "upstream": self.upstream,
            "reason": self.reason,
        }


class Direction(StrEnum):
    """Which way a schema's values travel, which decides whose values must fit whose."""

    REQUEST = "request"
    RESPONSE = "response"


REQUEST = Direction.REQUEST
RESPONSE = Direction.RESPONSE
# One object for "no schema given": the comparer recognises schemas by identity, and a
# fresh object's id could be reused by another one once it is gone.
ANY = Schema()


def _severity(breaking: bool) -> Severity:
    return Severity.BREAKING if breaking else Severity.INFORMATIONAL


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _where(prefix: str, path: str) -> str:
    return f"{prefix} {path}" if path else prefix


def _widen(types: frozenset[str]) -> frozenset[str]:
    return types | {"integer"} if "number" in types else types


def _types_within(inner: frozenset[str] | None, outer: frozenset[str] | None) -> bool:
    """Whether every value of types `inner` is one of types `outer` (None is any)."""
    if outer is None:
        return True
    if inner is None:
        return False
    return _widen(inner) <= _widen(outer)


def _values_within(inner: tuple[Any, ...] | None, outer: tuple[Any, ...] | None) -> bool:
    if outer is None:
        return True
    if inner is None:
        return False
    allowed = {value_key(value) for value in outer}
    return all(value_key(value) in allowed for value in inner)


def _enum_text(values: tuple[Any, ...] | None) -> str:
    return "(any value)" if values is None else ", ".join(repr(value) for value in values)


def _is_stricter(key: str, ours: object, upstream: object) -> bool:
    """Whether Statsig's constraint `key` rejects something ours accepts."""
    if upstream is None:
        return False
    if ours is None:
        return True
    both_numbers = isinstance(ours, int | float) and isinstance(upstream, int | float)
    if key in LOWER_BOUNDS and both_numbers:
        return bool(upstream > ours)  # type: ignore[operator]
    if key in UPPER_BOUNDS and both_numbers:
        return bool(upstream < ours)  # type: ignore[operator]
    return upstream != ours


class Comparer:
    def __init__(self, *, descriptions: bool) -> None:
        self.descriptions = descriptions
        self.found: list[Difference] = []
        # Pairs of schemas already compared without a difference. A $ref target shared by
        # many paths is one object, so this keeps comparing it from being exponential.
        self._same: set[tuple[int, int, Direction, bool]] = set()
        # Pairs of recursion targets being compared: meeting one again ends the descent.
        self._active: set[tuple[int, int, Direction]] = set()
        self._nullable_targets: dict[int, tuple[Schema, Schema]] = {}

    def add(
        self,
        location: str,
        kind: Kind,
        breaking: bool,
        ours: str | None,
        upstream: str | None,
        reason: str,
    ) -> None:
        self.found.append(Difference(location, kind, _severity(breaking), ours, upstream, reason))

    # --- schemas -------------------------------------------------------------------

    def schema(
        self, ours: Schema, upstream: Schema, prefix: str, path: str, direction: Direction
    ) -> None:
        # Descriptions are compared only below the top (`path`), so that is part of the key.
        if ours.recursive is not None or upstream.recursive is not None:
            # Go on through the schema a recursion marker stands for, until the same
            # pair comes round again: by then every difference below has been reported.
            mine, theirs = self._target(ours), self._target(upstream)
            pair = (id(mine), id(theirs), direction)
            if pair in self._active:
                return
            self._active.add(pair)
            try:
                self.schema(mine, theirs, prefix, path, direction)
            finally:
                self._active.discard(pair)
            return
        key = (id(ours), id(upstream), direction, bool(path))
        if key in self._same:
            return
        before = len(self.found)
        self._schema(ours, upstream, prefix, path, direction)
        if len(self.found) == before:
            self._same.add(key)

    def _target(self, schema: Schema) -> Schema:
        """What a recursion marker stands for, one object per target and nullability."""
        target = schema.resolved()
        if not schema.nullable or target.nullable or target is schema:
            return target
        found = self._nullable_targets.get(id(target))
        if found is None:
            # The target is kept alive with its copy, so its id is not reused.
            found = (target, replace(target, nullable=True))
            self._nullable_targets[id(target)] = found
        return found[1]

    def _schema(
        self, ours: Schema, upstream: Schema, prefix: str, path: str, direction: Direction
    ) -> None:
        where = _where(prefix, path)
        request = direction == REQUEST
        if ours.nullable != upstream.nullable:
            if upstream.nullable:
                self.add(
                    where,
                    Kind.MADE_NULLABLE,
                    not request,
                    describe(ours),
                    describe(upstream),
                    "Statsig may send null; the generated client would fail to parse it"
                    if not request
                    else "Statsig also accepts null",
                )
            else:
                self.add(
                    where,
                    Kind.MADE_NON_NULLABLE,
                    request,
                    describe(ours),
                    describe(upstream),
                    "our client may send null, which Statsig no longer accepts"
                    if request
                    else "Statsig no longer sends null here",
                )

        if ours.variants or upstream.variants:
            self._variants(ours, upstream, where, request)
            return

        if ours.types != upstream.types:
            if request:
                breaking = not _types_within(ours.types, upstream.types)
                reason = (
                    "our client may send a type Statsig does not accept"
                    if breaking
                    else "Statsig accepts at least the types we send"
                )
            else:
                breaking = not _types_within(upstream.types, ours.types)
                reason = (
                    "Statsig may send a type the generated client does not parse"
                    if breaking
                    else "Statsig sends a subset of the types we accept"
                )
            self.add(where, Kind.TYPE_CHANGED, breaking, describe(ours), describe(upstream), reason)
            shared = (
                None
                if ours.types is None or upstream.types is None
                else _widen(ours.types) & _widen(upstream.types)
            )
            if shared is not None and not shared:
                # Nothing below a type change that leaves nothing in common is meaningful.
                return

        if values_key(ours.enum) != values_key(upstream.enum):
            if request:
                breaking = not _values_within(ours.enum, upstream.enum)
                reason = (
                    "our client may send a value Statsig does not accept"
                    if breaking
                    else "Statsig accepts every value we send"
                )
            else:
                breaking = not _values_within(upstream.enum, ours.enum)
                reason = (
                    "Statsig may send a value the generated enum rejects"
                    if breaking
                    else "Statsig sends a subset of the values we accept"
                )
            self.add(
                where,
                Kind.ENUM_CHANGED,
                breaking,
                _enum_text(ours.enum),
                _enum_text(upstream.enum),
                reason,
            )

        if ours.format != upstream.format:
            if request:
                breaking = upstream.format is not None
                reason = (
                    "Statsig expects a format our client does not enforce"
                    if breaking
                    else "Statsig no longer asks for a format"
                )
            else:
                breaking = ours.format is not None
                reason = (
                    "the generated client parses our format; Statsig no longer promises it"
                    if breaking
                    else "Statsig now documents a format"
                )
            self.add(where, Kind.FORMAT_CHANGED, breaking, ours.format, upstream.format, reason)

        for key in sorted(set(ours.constraints) | set(upstream.constraints)):
            mine, theirs = ours.constraints.get(key), upstream.constraints.get(key)
            if mine == theirs:
                continue
            stricter = _is_stricter(key, mine, theirs)
            self.add(
                f"{where} ({key})" if where else key,
                Kind.CONSTRAINT_CHANGED,
                request and stricter,
                None if mine is None else repr(mine),
                None if theirs is None else repr(theirs),
                (
                    "Statsig rejects values our client may send"
                    if stricter
                    else "Statsig accepts at least what it did"
                )
                if request
                else "the generated client does not validate constraints",
            )

        if ours.deprecated != upstream.deprecated:
            self.add(
                where,
                Kind.DEPRECATED_CHANGED,
                False,
                "deprecated" if ours.deprecated else "not deprecated",
                "deprecated" if upstream.deprecated else "not deprecated",
                "plan to stop using it" if upstream.deprecated else "no longer deprecated",
            )
        if self.descriptions and path and ours.description != upstream.description:
            self._description(where, ours.description, upstream.description)

        self._properties(ours, upstream, prefix, path, request)
        self._additional(ours, upstream, prefix, path, request)
        if ours.items is not None or upstream.items is not None:
            self.schema(
                ours.items or ANY,
                upstream.items or ANY,
                prefix,
                f"{path}[]",
                direction,
            )

    def _variants(self, ours: Schema, upstream: Schema, where: str, request: bool) -> None:
        # Null is compared on its own; here only the non-null shapes count.
        mine = {v.fingerprint() for v in ours.variants or (replace(ours, nullable=False),)}
        theirs = {
            v.fingerprint() for v in upstream.variants or (replace(upstream, nullable=False),)
        }
        if mine == theirs:
            return
        if request:
            breaking = not mine <= theirs
            reason = (
                "our client may send a shape Statsig does not accept"
                if breaking
                else "Statsig accepts every shape we send"
            )
        else:
            breaking = not theirs <= mine
            reason = (
                "Statsig may send a shape the generated client does not parse"
                if breaking
                else "Statsig sends a subset of the shapes we accept"
            )
        self.add(where, Kind.UNION_CHANGED, breaking, describe(ours), describe(upstream), reason)

    def _properties(
        self, ours: Schema, upstream: Schema, prefix: str, path: str, request: bool
    ) -> None:
        # readOnly fields are never sent; writeOnly fields never come back.
        def visible(schema: Schema) -> dict[str, Schema]:
            return {
                name: prop
                for name, prop in schema.properties.items()
                if not (prop.read_only if request else prop.write_only)
            }

        mine, theirs = visible(ours), visible(upstream)
        direction = REQUEST if request else RESPONSE
        for name in sorted(mine.keys() | theirs.keys()):
            where = _where(prefix, _join(path, name))
            we_require = name in ours.required
            they_require = name in upstream.required
            if name not in mine:
                if request:
                    self.add(
                        where,
                        Kind.FIELD_ADDED,
                        they_require,
                        None,
                        describe(theirs[name]) + (", required" if they_require else ""),
                        "Statsig requires it and our client never sends it"
                        if they_require
                        else "an optional field our client cannot set yet",
                    )
                else:
                    closed = ours.additional is False
                    self.add(
                        where,
                        Kind.FIELD_ADDED,
                        closed,
                        None,
                        describe(theirs[name]),
                        "our schema forbids additional properties"
                        if closed
                        else "the generated model keeps it in additional_properties",
                    )
                continue
            if name not in theirs:
                if request:
                    closed = upstream.additional is False
                    self.add(
                        where,
                        Kind.FIELD_REMOVED,
                        closed,
                        describe(mine[name]),
                        None,
                        "Statsig forbids unknown fields; sending it would be rejected"
                        if closed
                        else "Statsig no longer documents it; it may be ignored",
                    )
                else:
                    self.add(
                        where,
                        Kind.FIELD_REMOVED,
                        we_require,
                        describe(mine[name]) + (", required" if we_require else ""),
                        None,
                        "we require it but Statsig no longer promises to send it"
                        if we_require
                        else "an optional field Statsig no longer documents",
                    )
                continue
            if we_require != they_require:
                if they_require:
                    self.add(
                        where,
                        Kind.MADE_REQUIRED,
                        request,
                        "optional",
                        "required",
                        "Statsig rejects requests without it; our client lets it be omitted"
                        if request
                        else "Statsig now always sends it",
                    )
                else:
                    self.add(
                        where,
                        Kind.MADE_OPTIONAL,
                        not request,
                        "required",
                        "optional",
                        "Statsig may omit it; the generated client would fail to parse that"
                        if not request
                        else "Statsig no longer needs it",
                    )
            self.schema(mine[name], theirs[name], prefix, _join(path, name), direction)

    def _additional(
        self, ours: Schema, upstream: Schema, prefix: str, path: str, request: bool
    ) -> None:
        mine, theirs = ours.additional, upstream.additional
        if isinstance(mine, Schema) and isinstance(theirs, Schema):
            direction = REQUEST if request else RESPONSE
            self.schema(mine, theirs, prefix, _join(path, "*"), direction)
            return
        if mine == theirs or (ours.types is not None and "object" not in ours.types):
            return

        def text(value: bool | Schema) -> str:
            if value is True:
                return "any"
            if value is False:
                return "forbidden"
            return describe(value)

        # Response side: we restrict extra properties and Statsig may send some.
        breaking = not request and mine is not True and theirs is not False
        self.add(
            _where(prefix, _join(path, "*")),
            Kind.ADDITIONAL_PROPERTIES_CHANGED,
            breaking,
            text(mine),
            text(theirs),
            "Statsig may send properties our schema forbids"
            if breaking
            else "does not change what our client sends or parses",
        )

    def _description(self, where: str, ours: str | None, upstream: str | None) -> None:
        self.add(
            where, Kind.DESCRIPTION_CHANGED, False, _short(ours), _short(upstream), "wording only"
        )

    # --- operation -----------------------------------------------------------------

    def endpoint(self, ours: Endpoint, upstream: Endpoint) -> list[Difference]:
        if self.descriptions and ours.description != upstream.description:
            self._description("operation", ours.description, upstream.description)
        self._security(ours, upstream)
        self._parameters(ours, upstream)
        self._request_body(ours.request_body, upstream.request_body)
        self._responses(ours.responses, upstream.responses)
        return self.found

    def _security(self, ours: Endpoint, upstream: Endpoint) -> None:
        def keys(
            alternatives: Iterable[frozenset[SecurityScheme]],
        ) -> dict[frozenset[tuple[str, str | None, str | None]], str]:
            return {
                frozenset(scheme.key() for scheme in alternative): " and ".join(
                    sorted(scheme.label() for scheme in alternative)
                )
                or "none"
                for alternative in alternatives
            }

        mine = keys(ours.security or ())
        theirs = keys(upstream.security or ())
        if mine.keys() == theirs.keys():
            return
        ours_text = " or ".join(sorted(mine.values())) or "none declared"
        theirs_text = " or ".join(sorted(theirs.values())) or "none declared"
        if not upstream.security or frozenset() in theirs:
            # Sending a key where none is needed is harmless; this is more likely a
            # documentation gap (Statsig's document has `security: []` at the top level).
            self.add(
                "security",
                Kind.SECURITY_CHANGED,
                False,
                ours_text,
                theirs_text,
                "Statsig's document asks for no authentication here; ours still works",
            )
            return
        missing = [key for key in mine if key not in theirs and key]
        # Statsig requires credentials here (the branch above returned otherwise).
        sends_none = not any(mine)
        if sends_none:
            reason = "our spec declares no credentials; Statsig rejects requests without them"
        elif missing:
            reason = "Statsig no longer accepts the credentials our client sends"
        else:
            reason = "Statsig accepts more ways to authenticate"
        self.add(
            "security",
            Kind.SECURITY_CHANGED,
            bool(missing) or sends_none,
            ours_text,
            theirs_text,
            reason,
        )

    def _parameters(self, ours: Endpoint, upstream: Endpoint) -> None:
        credential_headers = {
            scheme.name.lower()
            for endpoint in (ours, upstream)
            for alternative in endpoint.security or ()
            for scheme in alternative
            if scheme.kind == "apiKey" and scheme.location == "header" and scheme.name
        }

        def own(
            parameters: Mapping[tuple[str, str], Parameter],
        ) -> dict[tuple[str, str], Parameter]:
            return {
                key: parameter
                for key, parameter in parameters.items()
                if not (key[0] == "header" and key[1] in credential_headers)
            }

        mine, theirs = own(ours.parameters), own(upstream.parameters)
        for key in sorted(mine.keys() | theirs.keys()):
            shown = (theirs.get(key) or mine[key]).name
            where = f"parameter {key[0]} {shown}"
            if key not in mine:
                parameter = theirs[key]
                self.add(
                    where,
                    Kind.PARAMETER_ADDED,
                    parameter.required,
                    None,
                    describe(parameter.schema) + (", required" if parameter.required else ""),
                    "Statsig requires it and our client never sends it"
                    if parameter.required
                    else "an optional parameter our client cannot set yet",
                )
                continue
            if key not in theirs:
                self.add(
                    where,
                    Kind.PARAMETER_REMOVED,
                    False,
                    describe(mine[key].schema),
                    None,
                    "Statsig no longer documents it; it may be ignored",
                )
                continue
            a, b = mine[key], theirs[key]
            if a.required != b.required:
                self._request_requirement(
                    where,
                    b.required,
                    "Statsig rejects requests without it; our client lets it be omitted",
                    "Statsig no longer needs it",
                )
            self.schema(a.schema, b.schema, where, "", REQUEST)
            if a.deprecated != b.deprecated:
                self.add(
                    where,
                    Kind.DEPRECATED_CHANGED,
                    False,
                    str(a.deprecated),
                    str(b.deprecated),
                    "plan to stop sending it" if b.deprecated else "no longer deprecated",
                )
            if self.descriptions and a.description != b.description:
                self._description(where, a.description, b.description)

    def _request_requirement(
        self, where: str, they_require: bool, tightened: str, loosened: str
    ) -> None:
        """A request part Statsig now requires (breaking) or no longer requires."""
        self.add(
            where,
            Kind.MADE_REQUIRED if they_require else Kind.MADE_OPTIONAL,
            they_require,
            "optional" if they_require else "required",
            "required" if they_require else "optional",
            tightened if they_require else loosened,
        )

    def _request_body(self, ours: Body | None, upstream: Body | None) -> None:
        where = "request body"
        if ours is None and upstream is None:
            return
        if ours is None or upstream is None:
            self.add(
                where,
                Kind.REQUEST_BODY_CHANGED,
                ours is not None or bool(upstream and upstream.required),
                "none" if ours is None else "documented",
                "none" if upstream is None else "documented",
                "Statsig no longer documents the body our client sends"
                if ours is not None
                else "Statsig documents a body our client does not send",
            )
            return
        if ours.required != upstream.required:
            self._request_requirement(
                where,
                upstream.required,
                "Statsig requires a body our client may omit",
                "Statsig no longer needs a body",
            )
        if self.descriptions and ours.description != upstream.description:
            self._description(where, ours.description, upstream.description)
        self._content(where, ours.content, upstream.content, REQUEST, success=True)

    def _responses(self, ours: Mapping[str, Body], upstream: Mapping[str, Body]) -> None:
        for status in sorted(ours.keys() | upstream.keys()):
            where = f"response {status}"
            success = status.startswith("2")
            if status not in ours:
                self.add(
                    where,
                    Kind.STATUS_ADDED,
                    success,
                    None,
                    _media_summary(upstream[status]),
                    "a success status the generated client does not parse"
                    if success
                    else "an error status our spec does not describe",
                )
                continue
            if status not in upstream:
                self.add(
                    where,
                    Kind.STATUS_REMOVED,
                    success,
                    _media_summary(ours[status]),
                    None,
                    "the success status the generated client expects is no longer documented"
                    if success
                    else "Statsig no longer documents this error status",
                )
                continue
            a, b = ours[status], upstream[status]
            if self.descriptions and a.description != b.description:
                self._description(where, a.description, b.description)
            for header in sorted(a.headers.keys() | b.headers.keys()):
                if header in a.headers and header in b.headers:
                    continue
                self.add(
                    f"{where} header {b.headers.get(header) or a.headers[header]}",
                    Kind.RESPONSE_HEADER_REMOVED
                    if header in a.headers
                    else Kind.RESPONSE_HEADER_ADDED,
                    False,
                    "documented" if header in a.headers else None,
                    "documented" if header in b.headers else None,
                    "response headers do not affect parsing",
                )
            self._content(where, a.content, b.content, RESPONSE, success=success)

    def _content(
        self,
        where: str,
        ours: Mapping[str, Schema | None],
        upstream: Mapping[str, Schema | None],
        direction: Direction,
        *,
        success: bool,
    ) -> None:
        for media in sorted(ours.keys() | upstream.keys()):
            if media not in upstream:
                # Sending or parsing a media type Statsig no longer lists is a real break;
                # an error response that lost its documented body is only less documented.
                self.add(
                    f"{where} ({media})",
                    Kind.MEDIA_TYPE_REMOVED,
                    success,
                    media,
                    None,
                    "Statsig no longer documents this media type"
                    + (" for the body our client relies on" if success else ""),
                )
                continue
            if media not in ours:
                self.add(
                    f"{where} ({media})",
                    Kind.MEDIA_TYPE_ADDED,
                    False,
                    None,
                    media,
                    "an extra media type; ours still works",
                )
                continue
            prefix = where if media == "application/json" else f"{where} ({media})"
            mine, theirs = ours[media], upstream[media]
            if mine is None or theirs is None:
                # A media type listed without a schema says nothing about the body: that
                # is missing documentation, not a change of shape.
                if mine is not theirs:
                    self.add(
                        prefix,
                        Kind.SCHEMA_UNDOCUMENTED,
                        False,
                        "no schema" if mine is None else describe(mine),
                        "no schema" if theirs is None else describe(theirs),
                        "one side documents no schema for this body; nothing to compare",
                    )
                continue
            self.schema(mine, theirs, prefix, "", direction)


def _short(text: str | None, limit: int = 60) -> str | None:
    if text is None:
        return None
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _media_summary(body: Body) -> str:
    return ", ".join(sorted(body.content)) or "no body"


def compare(ours: Endpoint, upstream: Endpoint, *, descriptions: bool = False) -> list[Difference]:
    """Every difference, breaking first; within a group in the order they were found
    (security, parameters, request body, responses; fields depth-first)."""
    found = Comparer(descriptions=descriptions).endpoint(ours, upstream)
    return sorted(found, key=lambda d: d.severity != Severity.BREAKING)
