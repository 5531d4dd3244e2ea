"""A JSON schema reduced to what decides which values are valid: `normalize` builds them,
and two schemas that say the same thing in other words compare equal."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
BOUNDS = frozenset({*LOWER_BOUNDS, *UPPER_BOUNDS})
CONSTRAINTS = (*LOWER_BOUNDS, *UPPER_BOUNDS, "pattern", "multipleOf", "uniqueItems")


def json_key(value: object) -> str:
    """A sort key for any parsed value (YAML also gives dates, which JSON cannot encode)."""
    return json.dumps(value, sort_keys=True, default=str)


def value_key(value: object) -> str:
    """An enum value as JSON sees it: `true` is not `1` (as in Python), `1.0` is `1`."""
    return json_key(int(value) if isinstance(value, float) and value.is_integer() else value)


@dataclass(frozen=True)
class Schema:
    """`types` is None when any (non-null) type is allowed, empty when only null is.
    `enum` holds the allowed values as `value_key`s. `additional` is True (anything),
    False (forbidden) or the schema of extra values. A `recursive` marker (the
    component's name, for people) stands for the `$ref` expansion `target` returns.
    `deprecated` is reported when it changes but is no part of the shape (`fingerprint`)."""

    types: frozenset[str] | None = None
    nullable: bool = False
    properties: Mapping[str, Schema] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Schema | None = None
    additional: bool | Schema = True
    enum: frozenset[str] | None = None
    format: str | None = None
    constraints: Mapping[str, Any] = field(default_factory=dict)
    variants: tuple[Schema, ...] = ()
    recursive: str | None = None
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    description: str | None = None
    # None until the expansion the marker refers back to is complete.
    target: Callable[[], Schema | None] | None = field(default=None, compare=False, repr=False)

    def resolved(self) -> Schema:
        """What a marker stands for (the same object every time), else the schema itself.
        A nullable marker stands for its target or null: that flag is the caller's."""
        target = None if self.target is None else self.target()
        return self if target is None else target

    def fingerprint(self) -> str:
        """What identifies the schema's shape, descriptions and component names aside."""
        return json_key(self._json(()))

    def _json(self, seen: tuple[int, ...]) -> dict[str, Any]:
        if self.recursive is not None:
            # Unfold the recursion once; the way back is numbered by how far out it
            # leads, never named, so equal shapes under other component names are equal.
            target = self.resolved()
            if target is self or id(target) in seen:
                out = {"recursive": True if target is self else seen.index(id(target))}
            else:
                out = target._json((*seen, id(target)))
            return {**out, "nullable": True} if self.nullable else out
        extra = self.additional
        return {
            "types": None if self.types is None else sorted(self.types),
            "nullable": self.nullable,
            "properties": {name: s._json(seen) for name, s in sorted(self.properties.items())},
            "required": sorted(self.required),
            "items": None if self.items is None else self.items._json(seen),
            "additional": extra._json(seen) if isinstance(extra, Schema) else extra,
            "enum": None if self.enum is None else sorted(self.enum),
            "variants": sorted((v._json(seen) for v in self.variants), key=json_key),
            "rest": [self.format, self.read_only, self.write_only],
            "constraints": json_key(self.constraints),
        }


def describe(schema: Schema) -> str:
    """A short human-readable type, e.g. `string | null`, `array of object`."""
    if schema.enum == frozenset() and not schema.nullable:
        return "nothing"
    if schema.recursive is not None:
        return f"recursive {schema.recursive}"
    names = [describe(variant) for variant in schema.variants] or ["any"]
    if schema.types is not None and not schema.variants:
        item = "any" if schema.items is None else describe(schema.items)
        item = item if " " not in item else f"({item})"
        names = [f"array of {item}" if name == "array" else name for name in sorted(schema.types)]
        names = names or ["null"]
    text = " | ".join(names) + (f" ({schema.format})" if schema.format is not None else "")
    return text + (" | null" if schema.nullable and names != ["null"] else "")


def widen(types: frozenset[str]) -> frozenset[str]:
    """An integer is a number."""
    return types | {"integer"} if "number" in types else types


def _both(combine: Callable[[Any, Any], Any], first: Any, second: Any) -> Any:  # noqa: ANN401
    """`combine(first, second)` when both are given, else the one that is (or None)."""
    if first is None or second is None:
        return first if second is None else second
    return combine(first, second)


def _override(first: Any, second: Any) -> Any:  # noqa: ANN401 - any of Schema's fields
    return second


def _types(first: frozenset[str], second: frozenset[str]) -> frozenset[str]:
    """{number} ∩ {integer} is {integer}; contradictory parts keep the override."""
    both = widen(first) & widen(second)
    return (both - {"integer"} if "number" in both else both) or second


def _empty(schema: Schema) -> bool:
    return replace(schema, nullable=False, deprecated=False, description=None) == Schema()


def merge(first: Schema, second: Schema) -> Schema:
    """Both schemas at once (one step of an `allOf`). Where they contradict, `second` is
    the override: in Statsig's envelopes it describes the real value."""
    for marker, other in ((first, second), (second, first)):
        if marker.recursive is not None:
            # `allOf: [$ref]` or `anyOf: [$ref, null]` back to an enclosing schema.
            return marker if other.recursive is not None or _empty(other) else other
    properties = dict(first.properties)
    for name, schema in second.properties.items():
        # The override's nullability wins over the generic part's.
        old = properties.get(name)
        properties[name] = (
            schema if old is None else replace(merge(old, schema), nullable=schema.nullable)
        )
    extra = [a if isinstance(a, Schema) else None for a in (first.additional, second.additional)]
    forbidden = first.additional is False or second.additional is False
    constraints = {}
    for key in first.constraints.keys() | second.constraints.keys():
        # Of two bounds the tighter one holds; of other keywords the override's.
        tighter = max if key in LOWER_BOUNDS else min if key in UPPER_BOUNDS else _override
        constraints[key] = _both(tighter, first.constraints.get(key), second.constraints.get(key))
    return Schema(
        types=_both(_types, first.types, second.types),
        nullable=first.nullable and second.nullable,
        properties=properties,
        required=first.required | second.required,
        items=_both(merge, first.items, second.items),
        additional=False if forbidden else _both(merge, *extra) or True,
        enum=_both(frozenset.intersection, first.enum, second.enum),
        format=_both(_override, first.format, second.format),
        constraints=constraints,
        variants=second.variants or first.variants,
        read_only=first.read_only or second.read_only,
        write_only=first.write_only or second.write_only,
        deprecated=first.deprecated or second.deprecated,
        description=_both(_override, first.description, second.description),
    )
