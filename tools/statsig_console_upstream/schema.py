"""The canonical form of a JSON schema: only what decides which values are valid.

`normalize.Normalizer` builds these from a document; after that, two schemas that say
the same thing in different words (3.0 `nullable` or a 3.1 `"null"` type, an `allOf`
envelope or a plain object, a `$ref` chain or an inline schema) compare equal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
CONSTRAINTS = (*LOWER_BOUNDS, *UPPER_BOUNDS, "pattern", "multipleOf", "uniqueItems")


def _json_key(value: object) -> str:
    """A sort key for any parsed value (YAML also gives dates, which JSON cannot encode)."""
    return json.dumps(value, sort_keys=True, default=str)


def value_key(value: object) -> str:
    """What identifies an enum value as JSON sees it: `true` is not `1` (as it is in
    Python), while `1` and `1.0` are the same number."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _json_key(value)


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

    def to_json(self, *, descriptions: bool = False) -> dict[str, Any]:
        """A JSON-able canonical form (stable key order), used to compare whole schemas."""
        return self._json(descriptions, ())

    def _json(self, descriptions: bool, seen: tuple[int, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.recursive is not None:
            # Unfold the recursion once; the way back is numbered by how far out it
            # leads, never named, so equal shapes under other component names are equal.
            target = self.resolved()
            if target is self:
                out = {"recursive": True}
            elif id(target) in seen:
                out = {"recursive": seen.index(id(target))}
            else:
                out = target._json(descriptions, (*seen, id(target)))
            return {**out, "nullable": True} if self.nullable else out
        if self.types is not None:
            out["types"] = sorted(self.types)
        if self.nullable:
            out["nullable"] = True
        if self.properties:
            out["properties"] = {
                name: schema._json(descriptions, seen)
                for name, schema in sorted(self.properties.items())
            }
        if self.required:
            out["required"] = sorted(self.required)
        if self.items is not None:
            out["items"] = self.items._json(descriptions, seen)
        if self.additional is not True:
            out["additional"] = (
                False if self.additional is False else self.additional._json(descriptions, seen)
            )
        if self.enum is not None:
            out["enum"] = list(self.enum)
        if self.format is not None:
            out["format"] = self.format
        if self.constraints:
            out["constraints"] = dict(sorted(self.constraints.items()))
        if self.variants:
            out["variants"] = sorted(
                (v._json(descriptions, seen) for v in self.variants),
                key=_json_key,
            )
        for flag in ("read_only", "write_only", "deprecated"):
            if getattr(self, flag):
                out[flag] = True
        if descriptions and self.description is not None:
            out["description"] = self.description
        return out

    def fingerprint(self) -> str:
        return _json_key(self.to_json())


def describe(schema: Schema | None) -> str:
    """A short human-readable type, e.g. `string | null`, `array of object`."""
    if schema is None:
        return "(none)"
    if schema.recursive is not None:
        return f"recursive {schema.recursive}"
    if schema.variants:
        text = " | ".join(describe(variant) for variant in schema.variants)
    elif schema.types is None:
        text = "any"
    elif not schema.types:
        return "null"
    else:
        names = []
        for name in sorted(schema.types):
            if name == "array":
                item = describe(schema.items) if schema.items is not None else "any"
                names.append(f"array of {item}" if " " not in item else f"array of ({item})")
            else:
                names.append(name)
        text = " | ".join(names)
    if schema.format is not None:
        text += f" ({schema.format})"
    return text + (" | null" if schema.nullable else "")


def _merge_types(parts: list[frozenset[str]]) -> frozenset[str]:
    result = parts[0]
    for part in parts[1:]:
        # An integer is a number: {number} ∩ {integer} is {integer}.
        widened_result = result | ({"integer"} if "number" in result else set())
        widened_part = part | ({"integer"} if "number" in part else set())
        merged = frozenset(widened_result & widened_part)
        if "number" in merged:
            merged -= {"integer"}
        # Contradictory parts are an authoring mistake; the later part is the override.
        result = merged if merged or not part else part
    return result


def _merge_constraints(parts: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if key not in merged:
                merged[key] = value
            elif key in LOWER_BOUNDS:
                merged[key] = max(merged[key], value)
            elif key in UPPER_BOUNDS:
                merged[key] = min(merged[key], value)
            else:
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
    if not concrete:
        return parts[0] if parts else Schema()
    if len(concrete) == 1:
        return concrete[0]
    typed = [part.types for part in concrete if part.types is not None]
    properties: dict[str, list[Schema]] = {}
    for part in concrete:
        for name, schema in part.properties.items():
            properties.setdefault(name, []).append(schema)
    items = [part.items for part in concrete if part.items is not None]
    additional_schemas = [
        part.additional for part in concrete if isinstance(part.additional, Schema)
    ]
    additional: bool | Schema
    if any(part.additional is False for part in concrete):
        additional = False
    elif additional_schemas:
        additional = merge_all(additional_schemas)
    else:
        additional = True
    enum: tuple[Any, ...] | None = None
    for part in concrete:
        if part.enum is None:
            continue
        if enum is None:
            enum = part.enum
        else:
            allowed = {value_key(value) for value in part.enum}
            enum = tuple(value for value in enum if value_key(value) in allowed)
    formats = [part.format for part in concrete if part.format is not None]
    variants = [part.variants for part in concrete if part.variants]
    descriptions = [part.description for part in concrete if part.description is not None]
    return Schema(
        types=_merge_types(typed) if typed else None,
        nullable=all(part.nullable for part in concrete),
        properties={name: _merge_property(schemas) for name, schemas in properties.items()},
        required=frozenset().union(*(part.required for part in concrete)),
        items=merge_all(items) if items else None,
        additional=additional,
        enum=enum,
        format=formats[-1] if formats else None,
        constraints=_merge_constraints(part.constraints for part in concrete),
        variants=variants[-1] if variants else (),
        read_only=any(part.read_only for part in concrete),
        write_only=any(part.write_only for part in concrete),
        deprecated=any(part.deprecated for part in concrete),
        description=descriptions[-1] if descriptions else None,
    )


def _merge_property(schemas: list[Schema]) -> Schema:
    if len(schemas) == 1:
        return schemas[0]
    merged = merge_all(schemas)
    # In an envelope the later part is the override that describes the real value, so
    # its nullability wins over the generic part's (strict allOf would need both).
    return replace(merged, nullable=schemas[-1].nullable)
