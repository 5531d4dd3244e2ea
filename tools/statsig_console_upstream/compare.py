"""Walk two normalised documents side by side and let the rules judge what differs.

Operations are matched by method and path. Every operation of ours is compared with
Statsig's; one Statsig lacks, or one Statsig has on the same resource and we lack, is a
change of its own. Within an operation: security, parameters, request body, responses;
fields depth-first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from statsig_console_upstream.load import LoadError
from statsig_console_upstream.normalize import Body, Normalizer, Operation, resource_key
from statsig_console_upstream.rules import Change, judge
from statsig_console_upstream.schema import Schema, describe, values_key, widen

# One object for "no schema given": schemas are recognised by identity, and a fresh
# object's id could be reused by another one once it is gone.
ANY = Schema()


class NoCommonOperationError(LoadError):
    """Statsig's document describes none of our operations: the wrong document."""


@dataclass(frozen=True)
class Difference:
    """One way Statsig's document (`upstream`) differs from ours, as a rule judged it."""

    operation: str
    location: str
    kind: str
    severity: str
    ours: str | None
    upstream: str | None
    reason: str

    @property
    def breaking(self) -> bool:
        return self.severity == "breaking"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _where(prefix: str, path: str) -> str:
    return f"{prefix} {path}" if path else prefix


def _short(text: str | None, limit: int = 60) -> str | None:
    flat = None if text is None else " ".join(text.split())
    return flat if flat is None or len(flat) <= limit else flat[: limit - 1] + "…"


def _pair(ours: str | None, upstream: str | None, added: bool) -> tuple[str | None, str | None]:
    """The cells of something only one side has."""
    return (None, upstream) if added else (ours, None)


class Comparer:
    """Compares operations; one per comparison, since it remembers schema pairs."""

    def __init__(self) -> None:
        self.found: list[Difference] = []
        self.operation = ""
        # Pairs of schemas already compared without a difference. A $ref target shared by
        # many paths is one object, so this keeps comparing it from being exponential.
        self._same: set[tuple[int, int, str, bool]] = set()
        # Pairs of recursion targets being compared: meeting one again ends the descent.
        self._active: set[tuple[int, int, str]] = set()
        self._nullable_targets: dict[int, tuple[Schema, Schema]] = {}

    def add(self, change: Change, where: str, ours: str | None, upstream: str | None) -> None:
        breaking, reason = judge(change)
        severity = "breaking" if breaking else "informational"
        self.found.append(
            Difference(self.operation, where, change.kind, severity, ours, upstream, reason)
        )

    def text(self, where: str, side: str, ours: str | None, upstream: str | None) -> None:
        # Descriptions are None unless asked for (the normaliser drops them).
        if ours != upstream:
            self.add(Change("description changed", side), where, _short(ours), _short(upstream))

    def flag(self, where: str, side: str, ours: bool, upstream: bool) -> None:
        if ours != upstream:
            shown = ("deprecated" if f else "not deprecated" for f in (ours, upstream))
            self.add(Change("deprecation changed", side, ours, upstream), where, *shown)

    def requirement(self, where: str, side: str, ours: bool, upstream: bool) -> None:
        if ours != upstream:
            kind, shown = ("made required", ("optional", "required"))
            if not upstream:
                kind, shown = ("made optional", ("required", "optional"))
            self.add(Change(kind, side), where, *shown)

    # --- schemas -------------------------------------------------------------------

    def schema(self, ours: Schema, upstream: Schema, prefix: str, path: str, side: str) -> None:
        if ours.recursive is not None or upstream.recursive is not None:
            # Go on through the schema a recursion marker stands for, until the same
            # pair comes round again: by then every difference below has been reported.
            mine, theirs = self._target(ours), self._target(upstream)
            pair = (id(mine), id(theirs), side)
            if pair not in self._active:
                self._active.add(pair)
                self.schema(mine, theirs, prefix, path, side)
                self._active.discard(pair)
            return
        # Descriptions are compared only below the top (`path`), so that is part of the key.
        key = (id(ours), id(upstream), side, bool(path))
        if key not in self._same:
            before = len(self.found)
            self._schema(ours, upstream, prefix, path, side)
            if len(self.found) == before:
                self._same.add(key)

    def _target(self, schema: Schema) -> Schema:
        """What a recursion marker stands for, one object per target and nullability."""
        target = schema.resolved()
        if not schema.nullable or target.nullable or target is schema:
            return target
        # The target is kept alive with its copy, so its id is not reused.
        found = self._nullable_targets.setdefault(
            id(target), (target, replace(target, nullable=True))
        )
        return found[1]

    def _schema(self, ours: Schema, upstream: Schema, prefix: str, path: str, side: str) -> None:
        where = _where(prefix, path)
        shown = (describe(ours), describe(upstream))
        if ours.nullable != upstream.nullable:
            kind = "made nullable" if upstream.nullable else "made non-nullable"
            self.add(Change(kind, side), where, *shown)
        if ours.variants or upstream.variants:
            # Null is compared on its own; here only the non-null shapes count.
            mine, theirs = (
                frozenset(v.fingerprint() for v in s.variants or (replace(s, nullable=False),))
                for s in (ours, upstream)
            )
            if mine != theirs:
                self.add(Change("union changed", side, mine, theirs), where, *shown)
            return
        if ours.types != upstream.types:
            self.add(Change("type changed", side, ours.types, upstream.types), where, *shown)
            both = ours.types is not None and upstream.types is not None
            if both and not widen(ours.types or frozenset()) & widen(upstream.types or frozenset()):
                return  # Nothing below a type change with nothing in common is meaningful.
        if values_key(ours.enum) != values_key(upstream.enum):
            texts = (
                "(any value)" if e is None else ", ".join(map(repr, e))
                for e in (ours.enum, upstream.enum)
            )
            self.add(Change("enum changed", side, ours.enum, upstream.enum), where, *texts)
        if ours.format != upstream.format:
            change = Change("format changed", side, ours.format, upstream.format)
            self.add(change, where, ours.format, upstream.format)
        for key in sorted(ours.constraints.keys() | upstream.constraints.keys()):
            old, new = ours.constraints.get(key), upstream.constraints.get(key)
            if old != new:
                values = (None if v is None else repr(v) for v in (old, new))
                change = Change("constraint changed", side, old, new, key)
                self.add(change, f"{where} ({key})" if where else key, *values)
        self.flag(where, side, ours.deprecated, upstream.deprecated)
        if path:
            self.text(where, side, ours.description, upstream.description)
        self._properties(ours, upstream, prefix, path, side)
        extra, extra_up = ours.additional, upstream.additional
        if isinstance(extra, Schema) and isinstance(extra_up, Schema):
            self.schema(extra, extra_up, prefix, _join(path, "*"), side)
        elif extra != extra_up and (ours.types is None or "object" in ours.types):
            texts = (
                describe(v) if isinstance(v, Schema) else "any" if v else "forbidden"
                for v in (extra, extra_up)
            )
            change = Change("additionalProperties changed", side, extra, extra_up)
            self.add(change, _where(prefix, _join(path, "*")), *texts)
        if ours.items is not None or upstream.items is not None:
            self.schema(ours.items or ANY, upstream.items or ANY, prefix, f"{path}[]", side)

    def _properties(
        self, ours: Schema, upstream: Schema, prefix: str, path: str, side: str
    ) -> None:
        # readOnly fields are never sent; writeOnly fields never come back.
        hidden = "read_only" if side == "request" else "write_only"
        mine, theirs = (
            {name: field for name, field in s.properties.items() if not getattr(field, hidden)}
            for s in (ours, upstream)
        )
        for name in sorted(mine.keys() | theirs.keys()):
            where = _where(prefix, _join(path, name))
            if name not in mine or name not in theirs:
                added = name not in mine
                # Say "required" where it decides the verdict.
                required = name in (upstream if added else ours).required
                text = describe((theirs if added else mine)[name])
                text += ", required" if required and (side == "request") == added else ""
                change = Change(
                    "field added" if added else "field removed", side, ours, upstream, name
                )
                self.add(change, where, *_pair(text, text, added))
                continue
            self.requirement(where, side, name in ours.required, name in upstream.required)
            self.schema(mine[name], theirs[name], prefix, _join(path, name), side)

    # --- operation -----------------------------------------------------------------

    def compare(self, label: str, ours: Operation, upstream: Operation) -> None:
        self.operation = label
        self.text("operation", "operation", ours.description, upstream.description)
        self._security(ours, upstream)
        self._parameters(ours, upstream)
        self._request_body(ours.request_body, upstream.request_body)
        for status in sorted(ours.responses.keys() | upstream.responses.keys()):
            self._response(status, ours.responses.get(status), upstream.responses.get(status))

    def _security(self, ours: Operation, upstream: Operation) -> None:
        mine, theirs = ours.security, upstream.security
        if mine.keys() != theirs.keys():
            texts = (" or ".join(sorted(s.values())) or "none declared" for s in (mine, theirs))
            change = Change("security changed", "request", set(mine), set(theirs))
            self.add(change, "security", *texts)

    def _parameters(self, ours: Operation, upstream: Operation) -> None:
        # Header parameters named like an apiKey header are the credential, not a parameter.
        credentials = {
            ("header", name)
            for operation in (ours, upstream)
            for alternative in operation.security
            for kind, where, name in alternative
            if kind == "apiKey" and where == "header" and name
        }
        mine, theirs = (
            {k: v for k, v in o.parameters.items() if k not in credentials}
            for o in (ours, upstream)
        )
        for key in sorted(mine.keys() | theirs.keys()):
            where = f"parameter {key[0]} {(theirs.get(key) or mine[key]).name}"
            if key not in mine:
                added = theirs[key]
                text = describe(added.schema) + (", required" if added.required else "")
                change = Change("parameter added", "request", None, added.required)
                self.add(change, where, None, text)
            elif key not in theirs:
                change = Change("parameter removed", "request")
                self.add(change, where, describe(mine[key].schema), None)
            else:
                a, b = mine[key], theirs[key]
                self.requirement(where, "request", a.required, b.required)
                self.schema(a.schema, b.schema, where, "", "request")
                self.flag(where, "request", a.deprecated, b.deprecated)
                self.text(where, "request", a.description, b.description)

    def _request_body(self, ours: Body | None, upstream: Body | None) -> None:
        where = "request body"
        if ours is None or upstream is None:
            if ours is not upstream:
                texts = ("none" if b is None else "documented" for b in (ours, upstream))
                self.add(Change("request body changed", "request", ours, upstream), where, *texts)
            return
        self.requirement(where, "request", ours.required, upstream.required)
        self.text(where, "request", ours.description, upstream.description)
        self._content(where, "", ours.content, upstream.content, "request")

    def _response(self, status: str, ours: Body | None, upstream: Body | None) -> None:
        where = f"response {status}"
        if ours is None or upstream is None:
            body = upstream or ours
            media = ", ".join(sorted(body.content)) if body and body.content else "no body"
            added = ours is None
            change = Change("status added" if added else "status removed", "response", name=status)
            self.add(change, where, *_pair(media, media, added))
            return
        self.text(where, "response", ours.description, upstream.description)
        for header in sorted(ours.headers.keys() ^ upstream.headers.keys()):
            added = header not in ours.headers
            change = Change(f"response header {'added' if added else 'removed'}", "response")
            shown = upstream.headers.get(header) or ours.headers[header]
            self.add(change, f"{where} header {shown}", *_pair("documented", "documented", added))
        self._content(where, status, ours.content, upstream.content, "response")

    def _content(
        self,
        where: str,
        status: str,
        ours: Mapping[str, Schema | None],
        upstream: Mapping[str, Schema | None],
        side: str,
    ) -> None:
        for media in sorted(ours.keys() | upstream.keys()):
            if media not in upstream or media not in ours:
                added = media not in ours
                change = Change(f"media type {'added' if added else 'removed'}", side, name=status)
                self.add(change, f"{where} ({media})", *_pair(media, media, added))
                continue
            prefix = where if media == "application/json" else f"{where} ({media})"
            mine, theirs = ours[media], upstream[media]
            if mine is not None and theirs is not None:
                self.schema(mine, theirs, prefix, "", side)
            elif mine is not theirs:
                # A media type listed without a schema says nothing about the body: that
                # is missing documentation, not a change of shape.
                texts = ("no schema" if s is None else describe(s) for s in (mine, theirs))
                self.add(Change("body schema not documented", side), prefix, *texts)


def compare(ours: Normalizer, upstream: Normalizer) -> list[Difference]:
    """Every difference between the two documents' operations, breaking first; within a
    group by operation (ours in document order, then Statsig's extra ones)."""
    mine, theirs = ours.locate(), upstream.locate()
    resources = {resource_key(located.path) for located in mine.values()}
    if mine and not mine.keys() & theirs.keys():
        related = sorted({t.path for t in theirs.values() if resource_key(t.path) in resources})
        hint = f" Paths that look related: {', '.join(related[:5])}." if related else ""
        raise NoCommonOperationError(
            f"{upstream.source}: the document does not describe "
            f"{', '.join(m.label for m in mine.values())} "
            f"(it has {len(theirs)} operations).{hint}"
        )
    comparer = Comparer()
    seen: set[int] = set()
    for key, located in mine.items():
        match = theirs.get(key)
        if match is None:
            comparer.operation = located.label
            others = sorted(t.method for t in theirs.values() if t.path == located.path)
            shown = f"path has {', '.join(others)}" if others else None
            comparer.add(Change("operation removed", "operation"), "operation", "documented", shown)
        else:
            seen.add(id(match.operation))
            comparer.compare(located.label, ours.operation(located), upstream.operation(match))
    for located in theirs.values():
        if id(located.operation) not in seen and resource_key(located.path) in resources:
            seen.add(id(located.operation))
            comparer.operation = located.label
            comparer.add(Change("operation added", "operation"), "operation", None, "documented")
    return sorted(comparer.found, key=lambda difference: not difference.breaking)
