"""Walk two normalised documents side by side and let the rules judge what differs.

Operations are matched by method and path. Every operation of ours is compared with
Statsig's; one Statsig lacks, or one Statsig has on the same resource and we lack, is a
change of its own. Within an operation, security is compared on its own; everything else
is a tree of `Part`s (parameters, the request body, responses, media types, headers, and
a schema's fields), all compared by one keyed walk: what both sides have is compared,
what one lacks is "<noun> added" or "<noun> removed", and the rules judge it by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from statsig_console_upstream.load import LoadError
from statsig_console_upstream.normalize import Located, Normalizer, Operation, Part, resource_key
from statsig_console_upstream.rules import Change, judge
from statsig_console_upstream.schema import Schema, describe, widen

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


class Comparer:
    """Compares operations; one per comparison, since it remembers schema pairs."""

    def __init__(self) -> None:
        self.found: list[Difference] = []
        self.operation = ""
        # Pairs of schemas being compared, or compared without a difference. A $ref target
        # shared by many paths is one object, so this keeps comparing it from being
        # exponential; and meeting a pair again inside itself ends a recursion.
        self._seen: set[tuple[int, int, str, bool]] = set()
        self._nullable: dict[int, tuple[Schema, Schema]] = {}

    def add(self, change: Change, where: str, ours: str | None, upstream: str | None) -> None:
        breaking, reason = judge(change)
        severity = "breaking" if breaking else "informational"
        self.found.append(
            Difference(self.operation, where, change.kind, severity, ours, upstream, reason)
        )

    def differ(self, change: Change, where: str, *shown: str | None) -> None:
        """Report `change` if its values differ; `shown` defaults to them."""
        if change.ours != change.upstream:
            self.add(change, where, *(shown or (change.ours, change.upstream)))

    def text(self, where: str, side: str, ours: str | None, upstream: str | None) -> None:
        # Descriptions are None unless asked for (the normaliser drops them).
        self.differ(Change("description changed", side, ours, upstream), where)

    def requirement(self, where: str, side: str, ours: bool, upstream: bool) -> None:
        if ours != upstream:
            names = ("required", "optional") if ours else ("optional", "required")
            self.add(Change(f"made {names[1]}", side), where, *names)

    def deprecation(self, where: str, side: str, ours: bool, upstream: bool) -> None:
        shown = ("deprecated" if flag else "not deprecated" for flag in (ours, upstream))
        self.differ(Change("deprecation changed", side, ours, upstream), where, *shown)

    # --- schemas -------------------------------------------------------------------

    def schema(self, ours: Schema, upstream: Schema, prefix: str, path: str, side: str) -> None:
        # A recursion marker stands for its target: go on through it until the same pair
        # comes round again, by when every difference below has been reported.
        ours, upstream = self._target(ours), self._target(upstream)
        # Descriptions are compared only below the top (`path`), so that is part of the key.
        key = (id(ours), id(upstream), side, bool(path))
        if key not in self._seen:
            self._seen.add(key)
            before = len(self.found)
            self._schema(ours, upstream, prefix, path, side)
            if len(self.found) > before:
                self._seen.discard(key)  # compared, and reported, again wherever it is met

    def _target(self, schema: Schema) -> Schema:
        """What a recursion marker stands for, one object per target and nullability; any
        other schema itself."""
        target = schema.resolved()
        if not schema.nullable or target.nullable:
            return target
        # The target is kept alive with its copy, so its id is not reused.
        pair = self._nullable.setdefault(id(target), (target, replace(target, nullable=True)))
        return pair[1]

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
            self.differ(Change("union changed", side, mine, theirs), where, *shown)
            return
        if ours.types != upstream.types:
            self.add(Change("type changed", side, ours.types, upstream.types), where, *shown)
            both = ours.types is not None and upstream.types is not None
            if both and not widen(ours.types or frozenset()) & widen(upstream.types or frozenset()):
                return  # Below a type change with nothing in common nothing is meaningful.
        enums = (
            "(any value)" if e is None else ", ".join(sorted(e)) or "(no value)"
            for e in (ours.enum, upstream.enum)
        )
        self.differ(Change("enum changed", side, ours.enum, upstream.enum), where, *enums)
        self.differ(Change("format changed", side, ours.format, upstream.format), where)
        for key in sorted(ours.constraints.keys() | upstream.constraints.keys()):
            old, new = ours.constraints.get(key), upstream.constraints.get(key)
            values = (None if v is None else repr(v) for v in (old, new))
            change = Change("constraint changed", side, old, new, key)
            self.differ(change, f"{where} ({key})", *values)
        self.deprecation(where, side, ours.deprecated, upstream.deprecated)
        if path:
            self.text(where, side, ours.description, upstream.description)
        # readOnly fields are never sent; writeOnly fields never come back.
        hidden = "read_only" if side == "request" else "write_only"
        fields = (
            {
                name: Part(
                    "field",
                    _where(prefix, _join(path, name)),
                    describe(field),
                    name in s.required,
                    schema=field,
                    at=prefix,
                    path=_join(path, name),
                )
                for name, field in s.properties.items()
                if not getattr(field, hidden)
            }
            for s in (ours, upstream)
        )
        closed = (upstream if side == "request" else ours).additional is False
        self.parts(side, *fields, closed=closed)
        extra, extra_up = ours.additional, upstream.additional
        if isinstance(extra, Schema) and isinstance(extra_up, Schema):
            self.schema(extra, extra_up, prefix, _join(path, "*"), side)
        elif ours.types is None or "object" in ours.types:
            texts = (
                describe(v) if isinstance(v, Schema) else "any" if v else "forbidden"
                for v in (extra, extra_up)
            )
            change = Change("additionalProperties changed", side, extra, extra_up)
            self.differ(change, _where(prefix, _join(path, "*")), *texts)
        if ours.items is not None or upstream.items is not None:
            self.schema(ours.items or ANY, upstream.items or ANY, prefix, f"{path}[]", side)

    # --- operations and their parts -----------------------------------------------

    def compare(self, ours: Operation, upstream: Operation) -> None:
        self.text("operation", "operation", ours.description, upstream.description)
        self.deprecation("operation", "operation", ours.deprecated, upstream.deprecated)
        security = ours.security, upstream.security
        if security[0].keys() != security[1].keys():
            texts = (" or ".join(sorted(s.values())) or "none declared" for s in security)
            change = Change("security changed", "request", set(security[0]), set(security[1]))
            self.add(change, "security", *texts)
        # Header parameters named like an apiKey header are the credential, not a parameter.
        credentials = {
            f"parameter header {name}"
            for alternative in (*security[0], *security[1])
            for kind, where, name in alternative
            if kind == "apiKey" and where == "header"
        }
        request = (
            {k: p for k, p in o.request.items() if k not in credentials} for o in (ours, upstream)
        )
        self.parts("request", *request)
        self.parts("response", ours.responses, upstream.responses)

    def parts(
        self,
        side: str,
        ours: Mapping[str, Part],
        upstream: Mapping[str, Part],
        *,
        closed: bool = False,
    ) -> None:
        """Compare the parts both sides have; report the ones only one side has. `closed`:
        the receiver forbids what it does not list (`additionalProperties: false`)."""
        for key in sorted(ours.keys() | upstream.keys()):
            if key in ours and key in upstream:
                self.part(ours[key], upstream[key], side)
                continue
            added = key in upstream
            part = (upstream if added else ours)[key]
            # Say "required" where it decides the verdict.
            required = part.required and (side == "request") == added
            text = part.shown + (", required" if required else "")
            kind = f"{part.noun} {'added' if added else 'removed'}"
            change = Change(kind, side, ours.get(key), upstream.get(key), part.name, closed)
            self.add(change, part.where, *((None, text) if added else (text, None)))

    def part(self, ours: Part, upstream: Part, side: str) -> None:
        self.requirement(ours.where, side, ours.required, upstream.required)
        self.text(ours.where, side, ours.description, upstream.description)
        self.deprecation(ours.where, side, ours.deprecated, upstream.deprecated)
        self.parts(side, ours.parts, upstream.parts)
        mine, theirs, at = ours.schema, upstream.schema, ours.at or ours.where
        if mine is not None and theirs is not None:
            self.schema(mine, theirs, at, ours.path, side)
        elif mine is not theirs:
            # A media type listed without a schema says nothing about the body: that
            # is missing documentation, not a change of shape.
            texts = ("no schema" if s is None else describe(s) for s in (mine, theirs))
            self.add(Change("body schema not documented", side), at, *texts)


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
    # Statsig's operations on our resources that none of ours is compared with (by
    # operation object: one may be listed under several servers).
    extra: dict[int, Located] = {}
    for located in theirs.values():
        if resource_key(located.path) in resources:
            extra.setdefault(id(located.operation), located)
    # Ours by operation object: under several servers it has a path for each, and is
    # compared with Statsig's under the first path Statsig has.
    paths: dict[int, list[tuple[str, str]]] = {}
    for key, located in mine.items():
        paths.setdefault(id(located.operation), []).append(key)
    for keys in paths.values():
        key = next((k for k in keys if k in theirs), keys[0])
        located, match = mine[key], theirs.get(key)
        comparer.operation = located.label
        if match is None:
            others = sorted(t.method for t in theirs.values() if t.path == located.path)
            shown = f"path has {', '.join(others)}" if others else None
            comparer.add(Change("operation removed", "operation"), "operation", "documented", shown)
        else:
            extra.pop(id(match.operation), None)
            comparer.compare(ours.operation(located), upstream.operation(match))
    for located in extra.values():
        comparer.operation = located.label
        comparer.add(Change("operation added", "operation"), "operation", None, "documented")
    return sorted(comparer.found, key=lambda difference: not difference.breaking)
