"""Turn the operations of an OpenAPI 3.0 or 3.1 document into a canonical, comparable form.

- `$ref`s are followed with `referencing` (local `#/...` pointers only); a schema that
  refers back to itself becomes a `recursive` marker leading to the schema it stands
  for, so comparisons go on through it and component names play no part. Keywords next
  to a `$ref` are merged with its target, as 3.1 says.
- `allOf` is merged into one schema (properties and `required` united, types
  intersected; a conflict keeps the last part: the override in Statsig's
  "generic envelope + `data` override" responses).
- Null is a flag, not a type: 3.0 `nullable: true`, a 3.1 `"null"` type, an
  `anyOf`/`oneOf` null branch and `null` in an `enum` are the same. A one-branch union
  is that branch; `nullable: true` next to an `allOf` makes the whole schema nullable.
- `properties`/`required`/`additionalProperties` without `type` mean an object, `items`
  an array; `const` is a one-value `enum`; 3.0's boolean exclusive bounds become 3.1's.
- Descriptions, titles, examples and `x-` extensions are dropped unless asked for.
- An operation is known by its method and full path (a `servers` path prefix included,
  path parameter names left out), so the API's base path may sit in `servers` or `paths`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import referencing
import referencing.exceptions
from referencing.jsonschema import DRAFT202012

from statsig_console_upstream.load import LoadedDocument, LoadError
from statsig_console_upstream.schema import (
    CONSTRAINTS,
    LOWER_BOUNDS,
    UPPER_BOUNDS,
    Schema,
    json_key,
    merge_all,
)

BOUNDS = (*LOWER_BOUNDS, *UPPER_BOUNDS)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Deeper than this a schema is not a real API description; stop before Python's own limit.
MAX_SCHEMA_DEPTH = 100
DOCUMENT_URI = "urn:compare-upstream:document"


class NormalizeError(LoadError):
    """The document cannot be normalised: a broken or external $ref, or a node of the
    wrong kind (a list where a mapping belongs, a number where a list belongs...)."""


# A security scheme as what a client sends (type, location, name; header names lower
# case), independent of its name in components.
SchemeKey = tuple[str, str | None, str | None]
# The alternatives a client may satisfy (OR of ANDs), each with a label for people.
Security = Mapping[frozenset[SchemeKey], str]


@dataclass(frozen=True)
class Parameter:
    name: str
    required: bool
    schema: Schema
    deprecated: bool
    description: str | None


@dataclass(frozen=True)
class Body:
    """A request or response body: its media types and their schemas (None: not given)."""

    content: Mapping[str, Schema | None]
    required: bool = True
    # Response headers, lower-cased name (HTTP ignores case) to the documented spelling.
    headers: Mapping[str, str] = field(default_factory=dict)
    description: str | None = None


@dataclass(frozen=True)
class Operation:
    security: Security
    parameters: Mapping[tuple[str, str], Parameter]
    request_body: Body | None
    responses: Mapping[str, Body]
    description: str | None


@dataclass(frozen=True)
class Located:
    """An operation object as written, with its path item and full path."""

    method: str
    path: str
    path_item: Mapping[str, Any]
    operation: Mapping[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def operation_key(method: str, path: str) -> tuple[str, str]:
    """What identifies an operation: method and path, whatever its parameters are called."""
    return (method.upper(), re.sub(r"\{[^}/]*\}", "{}", path.rstrip("/") or "/"))


def resource_key(path: str) -> str:
    """The resource a path acts on: its fixed segments, the last one made singular, so a
    collection (`.../things`) and one of its members (`.../thing/{name}`) share it."""
    fixed = [part for part in path.strip("/").split("/") if part and not part.startswith("{")]
    return "/".join([*fixed[:-1], fixed[-1].removesuffix("s")] if fixed else [])


def _server_prefixes(*holders: Mapping[str, Any]) -> list[str]:
    """URL path prefixes of the servers in effect (innermost level that declares some)."""
    for holder in reversed(holders):
        servers = holder.get("servers")
        if not isinstance(servers, list) or not servers:
            continue
        prefixes: list[str] = []
        for server in (s for s in servers if isinstance(s, dict)):
            url, variables = server.get("url"), server.get("variables")
            for name, variable in variables.items() if isinstance(variables, dict) else ():
                if isinstance(url, str) and isinstance(variable, dict) and "default" in variable:
                    url = url.replace("{" + str(name) + "}", str(variable["default"]))
            if isinstance(url, str):
                prefixes.append(urlsplit(url).path.rstrip("/"))
        return list(dict.fromkeys(prefixes)) or [""]
    return [""]


class Normalizer:
    """Builds `Schema`s and `Operation`s from one document."""

    def __init__(self, loaded: LoadedDocument, *, descriptions: bool = False) -> None:
        self.source, self.document, self.descriptions = loaded.source, loaded.document, descriptions
        resource = referencing.Resource.from_contents(self.document, DRAFT202012)
        registry: referencing.Registry[Any] = referencing.Registry()
        self._resolver = registry.with_resource(DOCUMENT_URI, resource).resolver(DOCUMENT_URI)
        self._depth = 0
        # Normalised $ref targets, so a target shared by many paths is expanded once;
        # they are also what recursion markers stand for.
        self._expanded: dict[str, Schema] = {}

    def error(self, message: str) -> NormalizeError:
        return NormalizeError(f"{self.source}: {message}")

    def mapping(self, node: object, what: str) -> Mapping[str, Any]:
        """`node` as a mapping (absent is empty); anything else is a NormalizeError."""
        if node is not None and not isinstance(node, dict):
            raise self.error(f"{what} is a {type(node).__name__}, not a mapping")
        return node or {}

    def sequence(self, node: object, what: str) -> list[Any]:
        """`node` as a list (absent is empty); anything else is a NormalizeError."""
        if node is not None and not isinstance(node, list):
            raise self.error(f"{what} is a {type(node).__name__}, not a list")
        return node or []

    def pointer(self, ref: str) -> object:
        """The object a local `$ref` points to."""
        if not ref.startswith("#"):
            raise self.error(f"external $ref {ref!r} is not supported; use a bundled document")
        if not ref.startswith("#/"):
            # `#` is the whole document and `#Foo` a plain-name anchor: neither is a schema
            # we can resolve, and reading them as the root would compare the wrong thing.
            raise self.error(f"$ref {ref!r} is not a JSON pointer (#/...) into the document")
        try:
            return self._resolver.lookup(ref).contents
        except referencing.exceptions.Unresolvable:
            raise self.error(f"$ref {ref!r} points to nothing") from None

    def resolve(self, node: object, what: str) -> Mapping[str, Any]:
        """Follow a chain of `$ref`s to a non-reference object (a parameter, a response...)."""
        seen: list[str] = []
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            seen.append(node["$ref"])
            if seen[-1] in seen[:-1]:
                raise self.error(f"circular $ref chain {' -> '.join(seen)}")
            node = self.pointer(seen[-1])
        return self.mapping(node, what)

    def text(self, node: Mapping[str, Any]) -> str | None:
        """The node's summary and description, when descriptions are compared."""
        keys = ("summary", "description") if self.descriptions else ()
        return "\n".join(str(node[key]).strip() for key in keys if node.get(key)) or None

    # --- schemas ---------------------------------------------------------------------

    def schema(self, node: object, stack: tuple[str, ...] = ()) -> Schema:
        if self._depth >= MAX_SCHEMA_DEPTH:
            raise self.error(f"schemas nested more than {MAX_SCHEMA_DEPTH} levels deep")
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
            raise self.error(f"a schema is a {type(node).__name__}")
        parts: list[Schema] = []
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in stack:
                name = ref.rsplit("/", 1)[-1]
                return Schema(recursive=name, target=lambda: self._expanded.get(ref))
            parts.append(self._expand(ref, stack))
        parts += [self.schema(sub, stack) for sub in self.sequence(node.get("allOf"), "allOf")]
        own, nullable = self._own_keywords(node, stack)
        nullable = nullable or node.get("nullable") is True
        branches = [
            self.schema(branch, stack)
            for key in ("anyOf", "oneOf")
            for branch in self.sequence(node.get(key), key)
        ]
        if branches:
            shapes = [b for b in branches if b.types is None or b.types]
            nullable = nullable or len(shapes) < len(branches) or any(b.nullable for b in shapes)
            unique = {s.fingerprint(): s for s in (replace(b, nullable=False) for b in shapes)}
            only_null = None if unique else frozenset[str]()
            variants = tuple(unique.values())
            parts.append(
                variants[0] if len(variants) == 1 else Schema(only_null, variants=variants)
            )
        nullable = nullable or bool(
            parts and "type" not in node and all(part.nullable for part in parts)
        )
        return replace(merge_all([*parts, own]) if parts else own, nullable=nullable)

    def _expand(self, ref: str, stack: tuple[str, ...]) -> Schema:
        """The normalised target of `ref`, expanded once. A cycle back to an enclosing
        expansion is a marker standing for that expansion, so it means the same wherever
        the cached result is used."""
        if ref not in self._expanded:
            self._expanded[ref] = self.schema(self.pointer(ref), (*stack, ref))
        return self._expanded[ref]

    def _own_keywords(self, node: Mapping[str, Any], stack: tuple[str, ...]) -> tuple[Schema, bool]:
        """The schema's own keywords (not $ref/allOf/anyOf/oneOf), and whether they allow null."""
        types: frozenset[str] | None = None
        raw_type = node.get("type")
        names = [raw_type] if isinstance(raw_type, str) else self.sequence(raw_type, "type")
        if not all(isinstance(name, str) for name in names):
            raise self.error("a `type` that is not a string")
        allows_null = "null" in names
        if raw_type is not None:
            types = frozenset(names) - {"null"}
        elif any(key in node for key in ("properties", "required", "additionalProperties")):
            types = frozenset({"object"})
        elif "items" in node:
            types = frozenset({"array"})
        enum = (node["const"],) if "const" in node else node.get("enum")
        enum = tuple(enum) if isinstance(enum, list | tuple) else None
        if enum is not None and None in enum:
            allows_null, enum = True, tuple(value for value in enum if value is not None)
            if not enum:  # `enum: [null]` is the null type written another way.
                enum, types = None, frozenset()
        properties = self.mapping(node.get("properties"), "properties")
        additional = node.get("additionalProperties", True)
        additional = True if additional == {} else additional
        if not isinstance(additional, bool):
            additional = self.schema(additional, stack)
        constraints = {key: node[key] for key in CONSTRAINTS if key in node}
        for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            # OpenAPI 3.0 writes `minimum: 0, exclusiveMinimum: true`; 3.1 `exclusiveMinimum: 0`.
            exclusive = isinstance(constraints.get(flag), bool) and constraints.pop(flag)
            if exclusive and bound in constraints:
                constraints[flag] = constraints.pop(bound)
        for key, value in constraints.items():
            if key in BOUNDS and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise self.error(f"`{key}` is {value!r}, not a number")
        if constraints.get("uniqueItems") is False:
            del constraints["uniqueItems"]
        required = node.get("required")
        description = node.get("description") if self.descriptions else None
        schema = Schema(
            types=types,
            properties={str(k): self.schema(v, stack) for k, v in properties.items()},
            required=frozenset(map(str, required)) if isinstance(required, list) else frozenset(),
            items=self.schema(node["items"], stack) if "items" in node else None,
            additional=additional,
            enum=None if enum is None else tuple(sorted(enum, key=json_key)),
            format=str(node["format"]) if "format" in node else None,
            constraints=constraints,
            read_only=node.get("readOnly") is True,
            write_only=node.get("writeOnly") is True,
            deprecated=node.get("deprecated") is True,
            description=None if description is None else str(description),
        )
        return schema, allows_null

    # --- operations ------------------------------------------------------------------

    def locate(self) -> dict[tuple[str, str], Located]:
        """Every operation of the document by `operation_key`, under each server prefix."""
        found: dict[tuple[str, str], Located] = {}
        for key, item in self.mapping(self.document.get("paths"), "paths").items():
            for method in HTTP_METHODS if isinstance(item, dict) else ():
                if isinstance(raw := item.get(method), dict):
                    for prefix in _server_prefixes(self.document, item, raw):
                        located = Located(method.upper(), prefix + str(key), item, raw)
                        found.setdefault(operation_key(method, located.path), located)
        return found

    def operation(self, located: Located) -> Operation:
        raw = located.operation
        parameters: dict[tuple[str, str], Parameter] = {}
        templates = re.findall(r"\{([^}/]*)\}", located.path)
        # Operation-level parameters override path-level ones with the same name and place.
        for entry in [
            *self.sequence(located.path_item.get("parameters"), "the path's parameters"),
            *self.sequence(raw.get("parameters"), "the operation's parameters"),
        ]:
            node = self.resolve(entry, "a parameter")
            if "name" not in node or "in" not in node:
                raise self.error("a parameter without `name` or `in`")
            schema = node.get("schema")
            content = node.get("content")
            if schema is None and isinstance(content, dict) and content:
                media = next(iter(content.values()))
                schema = media.get("schema") if isinstance(media, dict) else None
            name, location = str(node["name"]), str(node["in"])
            # Path parameters are known by position (the name is the document's business),
            # headers by their case-insensitive name.
            key = name.lower() if location == "header" else name
            if location == "path" and name in templates:
                key = f"{{{templates.index(name)}}}"
            parameters[(location, key)] = Parameter(
                name,
                node.get("required") is True or location == "path",
                self.schema(schema),
                node.get("deprecated") is True,
                self.text(node),
            )
        body: Body | None = None
        if "requestBody" in raw:
            node = self.resolve(raw["requestBody"], "the request body")
            body = Body(self._content(node), node.get("required") is True, {}, self.text(node))
        responses: dict[str, Body] = {}
        for status, entry in self.mapping(raw.get("responses"), "responses").items():
            node = self.resolve(entry, f"response {status}")
            headers = self.mapping(node.get("headers"), f"response {status} headers")
            # YAML reads an unquoted 201 as an integer; `2xx` and `2XX` are the same range.
            key = str(status) if str(status) == "default" else str(status).upper()
            lowered = {str(h).lower(): str(h) for h in headers}
            responses[key] = Body(self._content(node), True, lowered, self.text(node))
        return Operation(self._security(raw), parameters, body, responses, self.text(raw))

    def _content(self, node: Mapping[str, Any]) -> dict[str, Schema | None]:
        content: dict[str, Schema | None] = {}
        for media, media_node in self.mapping(node.get("content"), "content").items():
            schema = media_node.get("schema") if isinstance(media_node, dict) else None
            essence = str(media).split(";", 1)[0].strip().lower()
            content[essence] = None if schema is None else self.schema(schema)
        return content

    def _security(self, raw: Mapping[str, Any]) -> Security:
        requirements = raw.get("security", self.document.get("security"))
        components = self.mapping(self.document.get("components"), "components")
        declared = self.mapping(components.get("securitySchemes"), "components.securitySchemes")
        alternatives: dict[frozenset[SchemeKey], str] = {}
        for requirement in self.sequence(requirements, "security"):
            keys: set[SchemeKey] = set()
            labels: list[str] = []
            for name in self.mapping(requirement, "a security requirement"):
                if name not in declared:
                    raise self.error(f"security requirement {name!r} is not in securitySchemes")
                scheme = self.resolve(declared[name], f"security scheme {name}")
                kind, where = str(scheme.get("type")), None
                detail = {
                    "http": str(scheme.get("scheme", "")).lower(),
                    "openIdConnect": str(scheme.get("openIdConnectUrl")),
                }.get(kind)
                if kind == "apiKey":
                    where, detail = str(scheme.get("in")), str(scheme.get("name"))
                    labels.append(f"apiKey in {where} {detail}")
                else:
                    labels.append(" ".join(part for part in (kind, detail) if part))
                keys.add((kind, where, detail.lower() if detail and where == "header" else detail))
            alternatives[frozenset(keys)] = " and ".join(sorted(labels)) or "none"
        return alternatives
