"""The canonical form of a JSON schema: only what decides which values are valid.

`normalize.Normalizer` builds these from a document; after that, two schemas that say
the same thing in different words compare equal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
CONSTRAINTS = (*LOWER_BOUNDS, *UPPER_BOUNDS, "pattern", "multipleOf", "uniqueItems")
FLAGS = ("read_only", "write_only", "deprecated")


def json_key(value: object) -> str:
    """A sort key for any parsed value (YAML also gives dates, which JSON cannot encode)."""
    return json.dumps(value, sort_keys=True, default=str)


def value_key(value: object) -> str:
    """An enum value as JSON sees it: `true` is not `1` (as in Python), `1.0` is `1`."""
    return json_key(int(value) if isinstance(value, float) and value.is_integer() else value)


def values_key(values: tuple[Any, ...] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(value_key(value) for value in values)


@dataclass(frozen=True)
class Schema:
    """A JSON schema reduced to what decides which values are valid.

    `types` is None when any (non-null) type is allowed, and empty when only null is.
    `additional` is True (anything), False (forbidden) or the schema of extra values.
    A `recursive` marker (holding the component's name, for people) stands for the
    schema `target` returns: the expansion of the `$ref` it refers back to.
    """

    types: frozenset[str] | None = None
    nullable: bool = False
    properties: Mapping[str, Schema] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Schema | None = None
    additional: bool | Schema = True
    enum: tuple[Any, ...] | None = None
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
        """The schema a recursive marker stands for (itself for any other schema); the
        same object every time, so callers may recognise it by identity. A nullable
        marker stands for its target or null: that flag is the caller's business."""
        target = None if self.recursive is None or self.target is None else self.target()
        return self if target is None else target

    def fingerprint(self) -> str:
        """What identifies the schema's shape, descriptions and component names aside."""
        return json_key(self._json(()))

    def _json(self, seen: tuple[int, ...]) -> dict[str, Any]:
        if self.recursive is not None:
            # Unfold the recursion once; the way back is numbered by how far out it
            # leads, never named, so equal shapes under other component names are equal.
            target = self.resolved()
            if target is self:
                out: dict[str, Any] = {"recursive": True}
            elif id(target) in seen:
                out = {"recursive": seen.index(id(target))}
            else:
                out = target._json((*seen, id(target)))
            return {**out, "nullable": True} if self.nullable else out
        additional = self.additional
        return {
            "types": None if self.types is None else sorted(self.types),
            "nullable": self.nullable,
            "properties": {name: s._json(seen) for name, s in sorted(self.properties.items())},
            "required": sorted(self.required),
            "items": None if self.items is None else self.items._json(seen),
            "additional": additional if isinstance(additional, bool) else additional._json(seen),
            "enum": None if self.enum is None else list(self.enum),
            "format": self.format,
            "constraints": dict(sorted(self.constraints.items())),
            "variants": sorted((v._json(seen) for v in self.variants), key=json_key),
            "flags": [getattr(self, flag) for flag in FLAGS],
        }


def describe(schema: Schema | None) -> str:
    """A short human-readable type, e.g. `string | null`, `array of object`."""
    if schema is None:
        return "(none)"
    if schema.recursive is not None:
        return f"recursive {schema.recursive}"
    if schema.types is not None and not schema.types and not schema.variants:
        return "null"
    names = [describe(variant) for variant in schema.variants] or ["any"]
    if schema.types and not schema.variants:
        names = []
        for name in sorted(schema.types):
            item = describe(schema.items) if schema.items is not None else "any"
            item = item if " " not in item else f"({item})"
            names.append(f"array of {item}" if name == "array" else name)
    text = " | ".join(names) + (f" ({schema.format})" if schema.format is not None else "")
    return text + (" | null" if schema.nullable else "")


def widen(types: frozenset[str]) -> frozenset[str]:
    """An integer is a number."""
    return types | {"integer"} if "number" in types else types


def _merge_types(parts: list[frozenset[str]]) -> frozenset[str]:
    result = parts[0]
    for part in parts[1:]:
        # {number} ∩ {integer} is {integer}.
        merged = widen(result) & widen(part)
        merged = merged - {"integer"} if "number" in merged else merged
        # Contradictory parts are an authoring mistake; the later part is the override.
        result = merged if merged or not part else part
    return result


def _merge_constraints(parts: list[Mapping[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if key in merged and key in LOWER_BOUNDS:
                value = max(merged[key], value)
            elif key in merged and key in UPPER_BOUNDS:
                value = min(merged[key], value)
            merged[key] = value
    return merged


def merge_all(parts: list[Schema]) -> Schema:
    """The intersection of schemas (allOf); nullability is the caller's business."""
    concrete = [part for part in parts if part.recursive is None]
    markers = [part for part in parts if part.recursive is not None]
    if markers and all(
        replace(part, nullable=False, description=None) == Schema() for part in concrete
    ):
        # `allOf: [$ref]` or `anyOf: [$ref, null]` back to an enclosing schema.
        return markers[0]
    if len(concrete) <= 1:
        return concrete[0] if concrete else (parts[0] if parts else Schema())
    properties: dict[str, list[Schema]] = {}
    for part in concrete:
        for name, schema in part.properties.items():
            properties.setdefault(name, []).append(schema)
    extra = [part.additional for part in concrete if isinstance(part.additional, Schema)]
    forbidden = any(part.additional is False for part in concrete)
    additional = False if forbidden else merge_all(extra) if extra else True
    enum: tuple[Any, ...] | None = None
    for part in (part for part in concrete if part.enum is not None):
        allowed = values_key(part.enum) or frozenset()
        enum = part.enum if enum is None else tuple(v for v in enum if value_key(v) in allowed)

    def last(values: list[Any], default: Any = None) -> Any:  # noqa: ANN401
        found = [value for value in values if value is not None]
        return found[-1] if found else default

    typed = [part.types for part in concrete if part.types is not None]
    items = [part.items for part in concrete if part.items is not None]
    return Schema(
        types=_merge_types(typed) if typed else None,
        nullable=all(part.nullable for part in concrete),
        properties={name: _merge_property(schemas) for name, schemas in properties.items()},
        required=frozenset().union(*(part.required for part in concrete)),
        items=merge_all(items) if items else None,
        additional=additional,
        enum=enum,
        format=last([part.format for part in concrete]),
        constraints=_merge_constraints([part.constraints for part in concrete]),
        variants=last([part.variants or None for part in concrete], ()),
        read_only=any(part.read_only for part in concrete),
        write_only=any(part.write_only for part in concrete),
        deprecated=any(part.deprecated for part in concrete),
        description=last([part.description for part in concrete]),
    )


def _merge_property(schemas: list[Schema]) -> Schema:
    if len(schemas) == 1:
        return schemas[0]
    # In an envelope the later part is the override that describes the real value, so
    # its nullability wins over the generic part's (strict allOf would need both).
    return replace(merge_all(schemas), nullable=schemas[-1].nullable)
