"""Walk two normalised documents side by side and let the rules judge what differs.

Operations are matched by method and path. Every operation of ours is compared with
Statsig's; one Statsig lacks, or one Statsig has on the same resource and we lack, is
a change of its own. Within an operation: security, parameters, request body, then
responses; fields depth-first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from statsig_console_upstream.normalize import (
    Body,
    Normalizer,
    Operation,
    Parameter,
    SecurityScheme,
    resource_key,
)
from statsig_console_upstream.rules import (
    OPERATION,
    REQUEST,
    RESPONSE,
    Change,
    Direction,
    Kind,
    judge,
    widen,
)
from statsig_console_upstream.schema import Schema, describe, values_key

# One object for "no schema given": schemas are recognised by identity, and a fresh
# object's id could be reused by another one once it is gone.
ANY = Schema()


class NoCommonOperationError(Exception):
    """Statsig's document describes none of our operations: the wrong document."""


@dataclass(frozen=True)
class Difference:
    """One way Statsig's document (`upstream`) differs from ours, as judged by a rule."""

    operation: str
    location: str
    kind: Kind
    breaking: bool
    ours: str | None
    upstream: str | None
    reason: str

    @property
    def severity(self) -> str:
        return "breaking" if self.breaking else "informational"

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "location": self.location,
            "kind": self.kind.value,
            "severity": self.severity,
            "ours": self.ours,
            "upstream": self.upstream,
            "reason": self.reason,
        }


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _where(prefix: str, path: str) -> str:
    return f"{prefix} {path}" if path else prefix


def _enum_text(values: tuple[Any, ...] | None) -> str:
    return "(any value)" if values is None else ", ".join(repr(value) for value in values)


def _short(text: str | None, limit: int = 60) -> str | None:
    flat = None if text is None else " ".join(text.split())
    return flat if flat is None or len(flat) <= limit else flat[: limit - 1] + "…"


def _flag(value: bool, name: str) -> str:
    return name if value else f"not {name}"


class Comparer:
    """Compares operations; one per comparison, since it remembers schema pairs."""

    def __init__(self, *, descriptions: bool) -> None:
        self.descriptions = descriptions
        self.found: list[Difference] = []
        self.operation = ""
        # Pairs of schemas already compared without a difference. A $ref target shared by
        # many paths is one object, so this keeps comparing it from being exponential.
        self._same: set[tuple[int, int, Direction, bool]] = set()
        # Pairs of recursion targets being compared: meeting one again ends the descent.
        self._active: set[tuple[int, int, Direction]] = set()
        self._nullable_targets: dict[int, tuple[Schema, Schema]] = {}

    def add(
        self,
        change: Change,
        where: str,
        ours: str | None,
        upstream: str | None,
    ) -> None:
        breaking, reason = judge(change)
        self.found.append(
            Difference(self.operation, where, change.kind, breaking, ours, upstream, reason)
        )

    def description(
        self, where: str, direction: Direction, ours: str | None, up: str | None
    ) -> None:
        if self.descriptions and ours != up:
            self.add(Change(Kind.DESCRIPTION_CHANGED, direction), where, _short(ours), _short(up))

    # --- schemas -------------------------------------------------------------------

    def schema(
        self, ours: Schema, upstream: Schema, prefix: str, path: str, direction: Direction
    ) -> None:
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
        # Descriptions are compared only below the top (`path`), so that is part of the key.
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
        if ours.nullable != upstream.nullable:
            kind = Kind.MADE_NULLABLE if upstream.nullable else Kind.MADE_NON_NULLABLE
            self.add(Change(kind, direction), where, describe(ours), describe(upstream))
        if ours.variants or upstream.variants:
            # Null is compared on its own; here only the non-null shapes count.
            mine, theirs = (
                frozenset(v.fingerprint() for v in s.variants or (replace(s, nullable=False),))
                for s in (ours, upstream)
            )
            if mine != theirs:
                change = Change(Kind.UNION_CHANGED, direction, mine, theirs)
                self.add(change, where, describe(ours), describe(upstream))
            return
        if ours.types != upstream.types:
            change = Change(Kind.TYPE_CHANGED, direction, ours.types, upstream.types)
            self.add(change, where, describe(ours), describe(upstream))
            if ours.types is not None and upstream.types is not None:
                if not widen(ours.types) & widen(upstream.types):
                    # Nothing below a type change that leaves nothing in common is meaningful.
                    return
        if values_key(ours.enum) != values_key(upstream.enum):
            change = Change(Kind.ENUM_CHANGED, direction, ours.enum, upstream.enum)
            self.add(change, where, _enum_text(ours.enum), _enum_text(upstream.enum))
        if ours.format != upstream.format:
            change = Change(Kind.FORMAT_CHANGED, direction, ours.format, upstream.format)
            self.add(change, where, ours.format, upstream.format)
        for key in sorted(set(ours.constraints) | set(upstream.constraints)):
            mine, theirs = ours.constraints.get(key), upstream.constraints.get(key)
            if mine != theirs:
                self.add(
                    Change(Kind.CONSTRAINT_CHANGED, direction, mine, theirs, key),
                    f"{where} ({key})" if where else key,
                    None if mine is None else repr(mine),
                    None if theirs is None else repr(theirs),
                )
        if ours.deprecated != upstream.deprecated:
            self.add(
                Change(Kind.DEPRECATED_CHANGED, direction, ours.deprecated, upstream.deprecated),
                where,
                _flag(ours.deprecated, "deprecated"),
                _flag(upstream.deprecated, "deprecated"),
            )
        if path:
            self.description(where, direction, ours.description, upstream.description)
        self._properties(ours, upstream, prefix, path, direction)
        self._additional(ours, upstream, prefix, path, direction)
        if ours.items is not None or upstream.items is not None:
            self.schema(ours.items or ANY, upstream.items or ANY, prefix, f"{path}[]", direction)

    def _properties(
        self, ours: Schema, upstream: Schema, prefix: str, path: str, direction: Direction
    ) -> None:
        # readOnly fields are never sent; writeOnly fields never come back.
        def visible(schema: Schema) -> dict[str, Schema]:
            hidden = "read_only" if direction is REQUEST else "write_only"
            return {k: v for k, v in schema.properties.items() if not getattr(v, hidden)}

        mine, theirs = visible(ours), visible(upstream)
        for name in sorted(mine.keys() | theirs.keys()):
            where = _where(prefix, _join(path, name))
            we_require, they_require = name in ours.required, name in upstream.required
            if name not in mine or name not in theirs:
                added = name not in mine
                # Whether the side that has it requires it matters to the rule: say so.
                required = they_require if added else we_require
                relevant = required and (direction is REQUEST) == added
                text = describe((theirs if added else mine)[name])
                text += ", required" if relevant else ""
                kind = Kind.FIELD_ADDED if added else Kind.FIELD_REMOVED
                shown = (None, text) if added else (text, None)
                self.add(Change(kind, direction, ours, upstream, name), where, *shown)
                continue
            if we_require != they_require:
                kind = Kind.MADE_REQUIRED if they_require else Kind.MADE_OPTIONAL
                shown = ("optional", "required") if they_require else ("required", "optional")
                self.add(Change(kind, direction), where, *shown)
            self.schema(mine[name], theirs[name], prefix, _join(path, name), direction)

    def _additional(
        self, ours: Schema, upstream: Schema, prefix: str, path: str, direction: Direction
    ) -> None:
        mine, theirs = ours.additional, upstream.additional
        if isinstance(mine, Schema) and isinstance(theirs, Schema):
            self.schema(mine, theirs, prefix, _join(path, "*"), direction)
            return
        if mine == theirs or (ours.types is not None and "object" not in ours.types):
            return

        def text(value: bool | Schema) -> str:
            if isinstance(value, Schema):
                return describe(value)
            return "any" if value else "forbidden"

        change = Change(Kind.ADDITIONAL_PROPERTIES_CHANGED, direction, mine, theirs)
        self.add(change, _where(prefix, _join(path, "*")), text(mine), text(theirs))

    # --- operation -----------------------------------------------------------------

    def compare(self, ours: Operation, upstream: Operation) -> None:
        self.operation = ours.label
        self.description("operation", OPERATION, ours.description, upstream.description)
        self._security(ours, upstream)
        self._parameters(ours, upstream)
        self._request_body(ours.request_body, upstream.request_body)
        self._responses(ours.responses, upstream.responses)

    def _security(self, ours: Operation, upstream: Operation) -> None:
        def keys(
            alternatives: Iterable[frozenset[SecurityScheme]],
        ) -> dict[frozenset[tuple[str, str | None, str | None]], str]:
            return {
                frozenset(s.key() for s in alternative): " and ".join(
                    sorted(s.label() for s in alternative)
                )
                or "none"
                for alternative in alternatives
            }

        mine, theirs = keys(ours.security or ()), keys(upstream.security or ())
        if mine.keys() != theirs.keys():
            self.add(
                Change(Kind.SECURITY_CHANGED, REQUEST, set(mine), set(theirs)),
                "security",
                " or ".join(sorted(mine.values())) or "none declared",
                " or ".join(sorted(theirs.values())) or "none declared",
            )

    def _parameters(self, ours: Operation, upstream: Operation) -> None:
        # Header parameters named like an apiKey header are the credential, not a parameter.
        credentials = {
            scheme.name.lower()
            for operation in (ours, upstream)
            for alternative in operation.security or ()
            for scheme in alternative
            if scheme.kind == "apiKey" and scheme.location == "header" and scheme.name
        }

        def own(
            parameters: Mapping[tuple[str, str], Parameter],
        ) -> dict[tuple[str, str], Parameter]:
            return {
                key: value
                for key, value in parameters.items()
                if not (key[0] == "header" and key[1] in credentials)
            }

        mine, theirs = own(ours.parameters), own(upstream.parameters)
        for key in sorted(mine.keys() | theirs.keys()):
            where = f"parameter {key[0]} {(theirs.get(key) or mine[key]).name}"
            if key not in mine:
                added = theirs[key]
                text = describe(added.schema) + (", required" if added.required else "")
                self.add(
                    Change(Kind.PARAMETER_ADDED, REQUEST, None, added.required), where, None, text
                )
                continue
            if key not in theirs:
                text = describe(mine[key].schema)
                self.add(Change(Kind.PARAMETER_REMOVED, REQUEST), where, text, None)
                continue
            a, b = mine[key], theirs[key]
            self._requirement(where, a.required, b.required)
            self.schema(a.schema, b.schema, where, "", REQUEST)
            if a.deprecated != b.deprecated:
                self.add(
                    Change(Kind.DEPRECATED_CHANGED, REQUEST, a.deprecated, b.deprecated),
                    where,
                    _flag(a.deprecated, "deprecated"),
                    _flag(b.deprecated, "deprecated"),
                )
            self.description(where, REQUEST, a.description, b.description)

    def _requirement(self, where: str, ours: bool, upstream: bool) -> None:
        """A request part Statsig now requires, or no longer requires."""
        if ours != upstream:
            kind = Kind.MADE_REQUIRED if upstream else Kind.MADE_OPTIONAL
            shown = ("optional", "required") if upstream else ("required", "optional")
            self.add(Change(kind, REQUEST), where, *shown)

    def _request_body(self, ours: Body | None, upstream: Body | None) -> None:
        where = "request body"
        if ours is None or upstream is None:
            if ours is not upstream:
                self.add(
                    Change(Kind.REQUEST_BODY_CHANGED, REQUEST, ours, upstream),
                    where,
                    "none" if ours is None else "documented",
                    "none" if upstream is None else "documented",
                )
            return
        self._requirement(where, ours.required, upstream.required)
        self.description(where, REQUEST, ours.description, upstream.description)
        self._content(where, "", ours.content, upstream.content, REQUEST)

    def _responses(self, ours: Mapping[str, Body], upstream: Mapping[str, Body]) -> None:
        for status in sorted(ours.keys() | upstream.keys()):
            where = f"response {status}"
            if status not in ours or status not in upstream:
                kind = Kind.STATUS_ADDED if status not in ours else Kind.STATUS_REMOVED
                body = upstream.get(status) or ours[status]
                summary = ", ".join(sorted(body.content)) or "no body"
                shown = (None, summary) if status not in ours else (summary, None)
                self.add(Change(kind, RESPONSE, name=status), where, *shown)
                continue
            a, b = ours[status], upstream[status]
            self.description(where, RESPONSE, a.description, b.description)
            for header in sorted(a.headers.keys() ^ b.headers.keys()):
                removed = header in a.headers
                self.add(
                    Change(
                        Kind.RESPONSE_HEADER_REMOVED if removed else Kind.RESPONSE_HEADER_ADDED,
                        RESPONSE,
                    ),
                    f"{where} header {b.headers.get(header) or a.headers[header]}",
                    "documented" if removed else None,
                    None if removed else "documented",
                )
            self._content(where, status, a.content, b.content, RESPONSE)

    def _content(
        self,
        where: str,
        status: str,
        ours: Mapping[str, Schema | None],
        upstream: Mapping[str, Schema | None],
        direction: Direction,
    ) -> None:
        for media in sorted(ours.keys() | upstream.keys()):
            if media not in upstream or media not in ours:
                kind = Kind.MEDIA_TYPE_REMOVED if media in ours else Kind.MEDIA_TYPE_ADDED
                shown = (media, None) if media in ours else (None, media)
                self.add(Change(kind, direction, name=status), f"{where} ({media})", *shown)
                continue
            prefix = where if media == "application/json" else f"{where} ({media})"
            mine, theirs = ours[media], upstream[media]
            if mine is None or theirs is None:
                # A media type listed without a schema says nothing about the body: that
                # is missing documentation, not a change of shape.
                if mine is not theirs:
                    self.add(
                        Change(Kind.SCHEMA_UNDOCUMENTED, direction),
                        prefix,
                        "no schema" if mine is None else describe(mine),
                        "no schema" if theirs is None else describe(theirs),
                    )
                continue
            self.schema(mine, theirs, prefix, "", direction)


def compare(
    ours: Normalizer, upstream: Normalizer, *, descriptions: bool = False
) -> list[Difference]:
    """Every difference between the two documents' operations, breaking first; within a
    group, by operation (ours in document order, then Statsig's extra ones)."""
    mine, theirs = ours.locate(), upstream.locate()
    if mine and not mine.keys() & theirs.keys():
        wanted = {resource_key(located.path) for located in mine.values()}
        related = sorted({l.path for l in theirs.values() if resource_key(l.path) in wanted})
        hint = f" Paths that look related: {', '.join(related[:5])}." if related else ""
        ours_text = ", ".join(f"{l.method} {l.path}" for l in mine.values())
        raise NoCommonOperationError(
            f"{upstream.source}: the document does not describe {ours_text} "
            f"(it has {len(theirs)} operations).{hint}"
        )
    comparer = Comparer(descriptions=descriptions)
    seen: set[int] = set()
    for key, located in mine.items():
        match = theirs.get(key)
        if match is None:
            comparer.operation = f"{located.method} {located.path}"
            others = sorted(l.method for l in theirs.values() if l.path == located.path)
            shown = f"path has {', '.join(others)}" if others else None
            comparer.add(
                Change(Kind.OPERATION_REMOVED, OPERATION), "operation", "documented", shown
            )
            continue
        seen.add(id(match.operation))
        comparer.compare(ours.operation(located), upstream.operation(match))
    resources = {resource_key(located.path) for located in mine.values()}
    for located in theirs.values():
        if id(located.operation) in seen or resource_key(located.path) not in resources:
            continue
        seen.add(id(located.operation))
        comparer.operation = f"{located.method} {located.path}"
        comparer.add(Change(Kind.OPERATION_ADDED, OPERATION), "operation", None, "documented")
    return sorted(comparer.found, key=lambda d: not d.breaking)
