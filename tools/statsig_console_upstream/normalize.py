"""Turn one operation of an OpenAPI 3.0 or 3.1 document into a canonical, comparable form.

Two documents can say the same thing in different words; after normalisation they
compare equal:

- `$ref` chains are followed (local `#/...` references only); a schema that refers
  back to itself becomes a `recursive` marker instead of an endless expansion; the
  marker leads to the schema it stands for (`Schema.resolved`), so comparisons go on
  through it, and the component's name plays no part in them. In 3.1
  the keywords next to a `$ref` apply too, so they are merged with its target.
- `allOf` is merged into one schema: properties are united, `required` is united,
  types are intersected (a conflict keeps the last part's type, the way the override
  in Statsig's "generic envelope + `data` override" responses is meant).
- Null is a flag, not a type: 3.0 `nullable: true`, a 3.1 type array with `"null"`,
  `anyOf`/`oneOf` with a `{"type": "null"}` branch, and `null` in an `enum` are the same.
  An `anyOf`/`oneOf` left with one branch is that branch. A `nullable: true` next to
  an `allOf` makes the whole schema nullable, which is how 3.0 documents say
  "this `$ref`, or null".
- `properties`, `required` or `additionalProperties` without `type` mean an object;
  `items` without `type` means an array; `const` is a one-value `enum`; 3.0's boolean
  `exclusiveMinimum`/`exclusiveMaximum` become 3.1's numeric ones.
- Descriptions, titles, examples and `x-` extensions are dropped unless descriptions
  are asked for.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from statsig_console_upstream.load import LoadedDocument, LocatedOperation

JSON_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object"})
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
OTHER_CONSTRAINTS = ("pattern", "multipleOf", "uniqueItems")
CONSTRAINTS = LOWER_BOUNDS + UPPER_BOUNDS + OTHER_CONSTRAINTS
# Deeper than this a schema is not a real API description; stop before Python's own limit.
MAX_SCHEMA_DEPTH = 100


class NormalizeError(Exception):
    """The document cannot be normalised: a broken or external $ref, or a node of the
    wrong kind (a list where a mapping belongs, a number where a list belongs...)."""


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


class Normalizer:
    """Builds `Schema`s and operation parts from one document."""

    def __init__(self, loaded: LoadedDocument, *, descriptions: bool = False) -> None:
        self.loaded = loaded
        self.document = loaded.document
        self.descriptions = descriptions
        self._depth = 0
        # Normalised $ref targets, so a target shared by many paths is expanded once.
        self._expanded: dict[str, Schema] = {}
        # For each $ref being expanded, the refs of enclosing expansions it ran into.
        self._free: list[set[str]] = []
        # The first complete expansion of each $ref: what its recursion markers stand for.
        self._targets: dict[str, Schema] = {}

    def mapping(self, node: object, what: str) -> Mapping[str, Any]:
        """`node` as a mapping (absent is empty); anything else is a NormalizeError."""
        if node is None:
            return {}
        if not isinstance(node, dict):
            raise NormalizeError(
                f"{self.loaded.source}: {what} is a {type(node).__name__}, not a mapping"
            )
        return node

    def sequence(self, node: object, what: str) -> list[Any]:
        """`node` as a list (absent is empty); anything else is a NormalizeError."""
        if node is None:
            return []
        if not isinstance(node, list):
            raise NormalizeError(
                f"{self.loaded.source}: {what} is a {type(node).__name__}, not a list"
            )
        return node

    def pointer(self, ref: str) -> object:
        """The object a local `$ref` points to."""
        if not ref.startswith("#"):
            raise NormalizeError(
                f"{self.loaded.source}: external $ref {ref!r} is not supported; "
                "use a bundled (single-file) document"
            )
        if not ref.startswith("#/"):
            # `#` is the whole document and `#Foo` a plain-name anchor: neither is a schema
            # we can resolve, and reading them as the root would compare the wrong thing.
            raise NormalizeError(
                f"{self.loaded.source}: $ref {ref!r} is not a JSON pointer (#/...) into "
                "the document"
            )
        node: object = self.document
        for raw in ref[2:].split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise NormalizeError(f"{self.loaded.source}: $ref {ref!r} points to nothing")
        return node

    def resolve(self, node: object, what: str) -> dict[str, Any]:
        """Follow a chain of `$ref`s to a non-reference object (a parameter, a response...)."""
        seen: list[str] = []
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise NormalizeError(
                    f"{self.loaded.source}: circular $ref chain {' -> '.join([*seen, ref])}"
                )
            seen.append(ref)
            node = self.pointer(ref)
        if not isinstance(node, dict):
            raise NormalizeError(
                f"{self.loaded.source}: {what} is a {type(node).__name__}, not a mapping"
            )
        return node

    def schema(self, node: object, stack: tuple[str, ...] = ()) -> Schema:
        if self._depth >= MAX_SCHEMA_DEPTH:
            raise NormalizeError(
                f"{self.loaded.source}: schemas nested more than {MAX_SCHEMA_DEPTH} levels "
                "deep (counting $refs)"
            )
        self._depth += 1
        try:
            return self._schema(node, stack)
        finally:
            self._depth -= 1

    def _schema(self, node: object, stack: tuple[str, ...]) -> Schema:
        if node is True or node is None:
            return Schema()
        if node is False:
            return Schema(enum=())
        if not isinstance(node, dict):
            raise NormalizeError(f"{self.loaded.source}: a schema is a {type(node).__name__}")
        parts: list[Schema] = []
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in stack:
                if self._free:
                    self._free[-1].add(ref)
                return Schema(
                    recursive=ref.rsplit("/", 1)[-1], target=lambda: self._targets.get(ref)
                )
            parts.append(self._expand(ref, stack))
        for sub in self.sequence(node.get("allOf"), "allOf"):
            parts.append(self.schema(sub, stack))

        own_nullable = node.get("nullable") is True
        own, own_null = self._own_keywords(node, stack)
        own_nullable = own_nullable or own_null

        branches = [
            *self.sequence(node.get("anyOf"), "anyOf"),
            *self.sequence(node.get("oneOf"), "oneOf"),
        ]
        if branches:
            normalized = [self.schema(branch, stack) for branch in branches]
            non_null = [b for b in normalized if not (b.types is not None and not b.types)]
            if len(non_null) < len(normalized) or any(b.nullable for b in non_null):
                own_nullable = True
            non_null = [replace(b, nullable=False) for b in non_null]
            if len(non_null) == 1:
                parts.append(non_null[0])
            elif non_null:
                parts.append(Schema(variants=tuple(_dedupe(non_null))))
            else:
                parts.append(Schema(types=frozenset()))

        explicit_type = "type" in node
        nullable = own_nullable or (
            bool(parts) and not explicit_type and all(p.nullable for p in parts)
        )
        merged = merge_all([*parts, own]) if parts else own
        return replace(merged, nullable=nullable)

    def _expand(self, ref: str, stack: tuple[str, ...]) -> Schema:
        """The normalised target of `ref`, memoised when it does not depend on `stack`.

        A target that runs into an enclosing expansion (a cycle through `stack`) holds a
        recursion marker that is only right in that context, so it is not kept.
        """
        cached = self._expanded.get(ref)
        if cached is not None:
            return cached
        self._free.append(set())
        try:
            result = self.schema(self.pointer(ref), (*stack, ref))
        finally:
            free = self._free.pop()
        self._targets.setdefault(ref, result)
        free.discard(ref)
        if free:
            if self._free:
                self._free[-1].update(free)
        else:
            self._expanded[ref] = result
        return result

    def _own_keywords(self, node: Mapping[str, Any], stack: tuple[str, ...]) -> tuple[Schema, bool]:
        """The schema's own keywords (not $ref/allOf/anyOf/oneOf), and whether they allow null."""
        allows_null = False
        types: frozenset[str] | None = None
        raw_type = node.get("type")
        if raw_type is not None:
            names = [raw_type] if isinstance(raw_type, str) else self.sequence(raw_type, "type")
            if not all(isinstance(name, str) for name in names):
                raise NormalizeError(f"{self.loaded.source}: a `type` that is not a string")
            allows_null = "null" in names
            types = frozenset(str(name) for name in names if name != "null")
        elif any(key in node for key in ("properties", "required", "additionalProperties")):
            types = frozenset({"object"})
        elif "items" in node:
            types = frozenset({"array"})

        enum: tuple[Any, ...] | None = None
        if "const" in node:
            enum = (node["const"],)
        elif isinstance(node.get("enum"), list):
            enum = tuple(node["enum"])
        if enum is not None and None in enum:
            allows_null = True
            enum = tuple(value for value in enum if value is not None)
            if not enum:
                # `enum: [null]` is the null type written another way.
                enum, types = None, frozenset()
        if enum is not None:
            enum = tuple(sorted(enum, key=_json_key))

        properties_node = node.get("properties")
        properties = (
            {str(name): self.schema(sub, stack) for name, sub in properties_node.items()}
            if isinstance(properties_node, dict)
            else {}
        )
        raw_additional = node.get("additionalProperties", True)
        additional: bool | Schema
        if raw_additional is True or raw_additional == {}:
            additional = True
        elif raw_additional is False:
            additional = False
        else:
            additional = self.schema(raw_additional, stack)

        constraints = {key: node[key] for key in CONSTRAINTS if key in node}
        for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            # OpenAPI 3.0 writes `minimum: 0, exclusiveMinimum: true`; 3.1 `exclusiveMinimum: 0`.
            exclusive = constraints.get(flag)
            if isinstance(exclusive, bool) and constraints.pop(flag) and bound in constraints:
                constraints[flag] = constraints.pop(bound)
        for key in LOWER_BOUNDS + UPPER_BOUNDS:
            value = constraints.get(key)
            if key in constraints and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise NormalizeError(f"{self.loaded.source}: `{key}` is {value!r}, not a number")
        if constraints.get("uniqueItems") is False:
            del constraints["uniqueItems"]

        required_node = node.get("required")
        description = node.get("description") if self.descriptions else None
        return (
            Schema(
                types=types,
                properties=properties,
                required=frozenset(str(name) for name in required_node)
                if isinstance(required_node, list)
                else frozenset(),
                items=self.schema(node["items"], stack) if "items" in node else None,
                additional=additional,
                enum=enum,
                format=str(node["format"]) if "format" in node else None,
                constraints=constraints,
                read_only=node.get("readOnly") is True,
                write_only=node.get("writeOnly") is True,
                deprecated=node.get("deprecated") is True,
                description=str(description) if description is not None else None,
            ),
            allows_null,
        )

    def describe_text(self, node: Mapping[str, Any]) -> str | None:
        if not self.descriptions:
            return None
        parts = [str(node[key]).strip() for key in ("summary", "description") if node.get(key)]
        return "\n".join(parts) or None


def _dedupe(schemas: list[Schema]) -> list[Schema]:
    seen: set[str] = set()
    unique: list[Schema] = []
    for schema in schemas:
        key = schema.fingerprint()
        if key not in seen:
            seen.add(key)
            unique.append(schema)
    return unique


# --- operation parts ---------------------------------------------------------------


@dataclass(frozen=True)
class SecurityScheme:
    """What a client must send, independent of the scheme's name in components."""

    kind: str
    location: str | None = None
    name: str | None = None

    def label(self) -> str:
        if self.kind == "apiKey":
            return f"apiKey in {self.location} {self.name}"
        return " ".join(part for part in (self.kind, self.location, self.name) if part)

    def key(self) -> tuple[str, str | None, str | None]:
        # Header names are case-insensitive in HTTP.
        name = self.name.lower() if self.name and self.location == "header" else self.name
        return (self.kind, self.location, name)


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    schema: Schema
    deprecated: bool = False
    description: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.location, self.name.lower() if self.location == "header" else self.name)


@dataclass(frozen=True)
class Body:
    """A request or response body: its media types and their schemas (None: not given)."""

    content: Mapping[str, Schema | None]
    required: bool = True
    # Response headers, lower-cased name (HTTP ignores case) to the documented spelling.
    headers: Mapping[str, str] = field(default_factory=dict)
    description: str | None = None


@dataclass(frozen=True)
class Endpoint:
    """One operation, normalised."""

    source: str
    openapi_version: str
    security: tuple[frozenset[SecurityScheme], ...] | None
    parameters: Mapping[tuple[str, str], Parameter]
    request_body: Body | None
    responses: Mapping[str, Body]
    description: str | None = None


def _media_type(raw: str) -> str:
    return raw.split(";", 1)[0].strip().lower()


def normalize_endpoint(
    loaded: LoadedDocument, located: LocatedOperation, *, descriptions: bool = False
) -> Endpoint:
    normalizer = Normalizer(loaded, descriptions=descriptions)
    operation = located.operation

    parameters: dict[tuple[str, str], Parameter] = {}
    # Operation-level parameters override path-level ones with the same name and place.
    for raw in [
        *normalizer.sequence(located.path_item.get("parameters"), "the path's parameters"),
        *normalizer.sequence(operation.get("parameters"), "the operation's parameters"),
    ]:
        node = normalizer.resolve(raw, "a parameter")
        if "name" not in node or "in" not in node:
            raise NormalizeError(f"{loaded.source}: a parameter without `name` or `in`")
        schema_node = node.get("schema")
        content = node.get("content")
        if schema_node is None and isinstance(content, dict) and content:
            media_node = next(iter(content.values()))
            schema_node = media_node.get("schema") if isinstance(media_node, dict) else None
        parameter = Parameter(
            name=str(node["name"]),
            location=str(node["in"]),
            required=node.get("required") is True or node["in"] == "path",
            schema=normalizer.schema(schema_node),
            deprecated=node.get("deprecated") is True,
            description=normalizer.describe_text(node),
        )
        parameters[parameter.key] = parameter

    request_body: Body | None = None
    if "requestBody" in operation:
        node = normalizer.resolve(operation["requestBody"], "the request body")
        request_body = Body(
            content=_content(normalizer, node),
            required=node.get("required") is True,
            description=normalizer.describe_text(node),
        )

    responses: dict[str, Body] = {}
    for status, raw in normalizer.mapping(operation.get("responses"), "responses").items():
        node = normalizer.resolve(raw, f"response {status}")
        headers = {
            str(name).lower(): str(name)
            for name in normalizer.mapping(node.get("headers"), f"response {status} headers")
        }
        # YAML reads an unquoted 201 as an integer; `2xx` and `2XX` are the same range.
        key = str(status) if str(status) == "default" else str(status).upper()
        responses[key] = Body(
            content=_content(normalizer, node),
            headers=headers,
            description=normalizer.describe_text(node),
        )

    return Endpoint(
        source=loaded.source,
        openapi_version=loaded.openapi_version,
        security=_security(normalizer, operation),
        parameters=parameters,
        request_body=request_body,
        responses=responses,
        description=normalizer.describe_text(operation),
    )


def _content(normalizer: Normalizer, node: Mapping[str, Any]) -> dict[str, Schema | None]:
    content: dict[str, Schema | None] = {}
    for media, media_node in normalizer.mapping(node.get("content"), "content").items():
        schema_node = media_node.get("schema") if isinstance(media_node, dict) else None
        content[_media_type(str(media))] = (
            None if schema_node is None else normalizer.schema(schema_node)
        )
    return content


def _security(
    normalizer: Normalizer, operation: Mapping[str, Any]
) -> tuple[frozenset[SecurityScheme], ...] | None:
    """The alternatives a client may satisfy (OR of ANDs); None when nothing is declared."""
    requirements = operation.get("security", normalizer.document.get("security"))
    if requirements is None:
        return None
    components = normalizer.mapping(normalizer.document.get("components"), "components")
    schemes_node = normalizer.mapping(
        components.get("securitySchemes"), "components.securitySchemes"
    )
    alternatives: list[frozenset[SecurityScheme]] = []
    for requirement in normalizer.sequence(requirements, "security"):
        schemes: set[SecurityScheme] = set()
        for name in normalizer.mapping(requirement, "a security requirement"):
            if name not in schemes_node:
                raise NormalizeError(
                    f"{normalizer.loaded.source}: security requirement names "
                    f"{name!r}, which components.securitySchemes does not define"
                )
            scheme = normalizer.resolve(schemes_node[name], f"security scheme {name}")
            kind = str(scheme.get("type"))
            if kind == "apiKey":
                schemes.add(SecurityScheme(kind, str(scheme.get("in")), str(scheme.get("name"))))
            elif kind == "http":
                schemes.add(SecurityScheme(kind, None, str(scheme.get("scheme", "")).lower()))
            elif kind == "openIdConnect":
                schemes.add(SecurityScheme(kind, None, str(scheme.get("openIdConnectUrl"))))
            else:
                schemes.add(SecurityScheme(kind))
        alternatives.append(frozenset(schemes))
    return tuple(alternatives)
