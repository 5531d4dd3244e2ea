"""Turn the operations of an OpenAPI 3.0 or 3.1 document into a canonical, comparable form.

`$ref`s are followed with `referencing` (local `#/...` pointers only); keywords beside one
are merged with its target, as 3.1 says, and so are `allOf` parts (`schema.merge`). A
schema that refers back to itself becomes a `recursive` marker for its expansion. Null is
a flag, not a type (3.0 `nullable`, a 3.1 `"null"` type, a null branch of a union, `null`
in an `enum`). A `true` schema is `{}`, a `false` one `NOTHING`. Descriptions and
examples are dropped unless asked for. An operation is known by its method and full
path: the path of each server in effect counts, parameter names do not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import referencing
import referencing.exceptions
from referencing.jsonschema import DRAFT202012

from statsig_console_upstream.load import LoadedDocument, LoadError
from statsig_console_upstream.schema import BOUNDS, CONSTRAINTS, Schema, describe, merge, value_key

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Deeper than this a schema is not a real API description; stop before Python's own limit.
MAX_SCHEMA_DEPTH = 100
DOCUMENT_URI = "urn:compare-upstream:document"
TEMPLATE = re.compile(r"\{([^}/]*)\}")
# The `false` schema: no value is valid, not even null. (`true` is `{}`, any value.)
NOTHING = Schema(types=frozenset(), enum=frozenset())
# A security scheme as what a client sends (type, location, name; header names lower
# case), whatever its name in components.
SchemeKey = tuple[str, str | None, str | None]


class NormalizeError(LoadError):
    """A broken or external $ref, or a node of the wrong kind (a list for a mapping...)."""


@dataclass(frozen=True)
class Part:
    """Something one side may document and the other lack: a parameter, the request body,
    a response, a media type, a response header or a schema's field. Every kind is
    compared the same way, whether it is required, its description, its own parts (by
    key) and its schema, so that one walk covers them all."""

    noun: str  # the kind of change is "<noun> added" or "<noun> removed"
    where: str  # where it is reported
    shown: str  # what it is shown as when only one side has it
    required: bool = False
    description: str | None = None
    parts: Mapping[str, Part] = field(default_factory=dict)
    schema: Schema | None = None  # None: none given, or none to give
    # Where the schema's changes are reported, if not `where`: a JSON body's as the body's,
    # a field's as its body's with the field's `path` inside the schema.
    at: str = ""
    path: str = ""
    name: str = ""  # what the rules see: the status of a response and of its media types
    deprecated: bool = False  # a parameter's (a field's is its schema's)


@dataclass(frozen=True)
class Operation:
    # The alternatives a client may satisfy (OR of ANDs), each with a label for people.
    security: Mapping[frozenset[SchemeKey], str]
    description: str | None
    deprecated: bool
    request: Mapping[str, Part]  # the parameters and the body
    responses: Mapping[str, Part]


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


def resource_key(path: str) -> str:
    """The fixed segments of a path, the last one made singular, so a collection
    (`.../things`) and one of its members (`.../thing/{name}`) share it."""
    fixed = [part for part in path.strip("/").split("/") if part and not part.startswith("{")]
    return "/".join([*fixed[:-1], fixed[-1].removesuffix("s")] if fixed else [])


class Normalizer:
    """Builds `Schema`s and `Operation`s from one document."""

    def __init__(self, loaded: LoadedDocument, *, descriptions: bool = False) -> None:
        self.source, self.document, self.descriptions = loaded.source, loaded.document, descriptions
        resource = referencing.Resource.from_contents(self.document, DRAFT202012)
        registry: referencing.Registry[Any] = referencing.Registry()
        self._resolver = registry.with_resource(DOCUMENT_URI, resource).resolver(DOCUMENT_URI)
        # Normalised $ref targets: a target shared by many paths is expanded once, and
        # they are what recursion markers stand for.
        self._expanded: dict[str, Schema] = {}

    def error(self, message: str) -> NormalizeError:
        return NormalizeError(f"{self.source}: {message}")

    def expect(self, node: object, kind: type[Any], what: str) -> Any:  # noqa: ANN401
        """`node` as a `kind` (dict or list; absent is empty), else a NormalizeError."""
        if node is not None and not isinstance(node, kind):
            noun = "mapping" if kind is dict else "list"
            raise self.error(f"{what} is a {type(node).__name__}, not a {noun}")
        return node or kind()

    def pointer(self, ref: str) -> object:
        """The object a local `$ref` points to."""
        if not ref.startswith("#"):
            raise self.error(f"external $ref {ref!r} is not supported; use a bundled document")
        if not ref.startswith("#/"):
            # `#` is the whole document and `#Foo` an anchor: reading either as a schema
            # would compare the wrong thing.
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
        found: Mapping[str, Any] = self.expect(node, dict, what)
        return found

    def text(self, node: Mapping[str, Any]) -> str | None:
        """The node's summary and description, when descriptions are compared."""
        keys = ("summary", "description") if self.descriptions else ()
        return "\n".join(str(node[key]).strip() for key in keys if node.get(key)) or None

    # --- schemas ---------------------------------------------------------------------

    def schema(self, node: object, stack: tuple[str | None, ...] = ()) -> Schema:
        """`stack` has an entry for each enclosing schema: its `$ref`, if it has one."""
        if len(stack) >= MAX_SCHEMA_DEPTH:
            raise self.error(f"schemas nested more than {MAX_SCHEMA_DEPTH} levels deep")
        if isinstance(node, bool):
            return Schema() if node else NOTHING
        if not isinstance(node, dict):
            raise self.error(f"a schema is a {type(node).__name__}")
        ref = node.get("$ref") if isinstance(node.get("$ref"), str) else None
        if ref is not None and ref in stack:
            return Schema(recursive=ref.rsplit("/", 1)[-1], target=lambda: self._expanded.get(ref))
        stack = (*stack, ref)
        parts: list[Schema] = []
        if ref is not None:
            if ref not in self._expanded:
                # A cycle back here is a marker for this expansion, so the cached result
                # means the same wherever it is used.
                self._expanded[ref] = self.schema(self.pointer(ref), stack)
            parts.append(self._expanded[ref])
        parts += [self.schema(sub, stack) for sub in self.expect(node.get("allOf"), list, "allOf")]
        own = self._keywords(node, stack)
        branches = [
            self.schema(branch, stack)
            for key in ("anyOf", "oneOf")
            for branch in self.expect(node.get(key), list, key)
        ]
        nullable = own.nullable
        if branches:
            shapes = [b for b in branches if b.types is None or b.types]
            nullable = nullable or any(b.nullable for b in branches)  # null branches too
            unique = {s.fingerprint(): s for s in (replace(b, nullable=False) for b in shapes)}
            variants = tuple(unique.values())
            only_null = None if unique else frozenset[str]()
            parts.append(
                variants[0] if len(variants) == 1 else Schema(only_null, variants=variants)
            )
        nullable = nullable or bool(parts and "type" not in node and all(p.nullable for p in parts))
        return replace(functools.reduce(merge, [*parts, own]), nullable=nullable)

    def _keywords(self, node: Mapping[str, Any], stack: tuple[str | None, ...]) -> Schema:
        """The schema's own keywords: all but $ref, allOf, anyOf and oneOf."""
        raw_type = node.get("type")
        names = [raw_type] if isinstance(raw_type, str) else self.expect(raw_type, list, "type")
        if not all(isinstance(name, str) for name in names):
            raise self.error("a `type` that is not a string")
        types = None if raw_type is None else frozenset(names) - {"null"}
        if raw_type is None and {"properties", "required", "additionalProperties"} & node.keys():
            types = frozenset({"object"})
        elif raw_type is None and "items" in node:
            types = frozenset({"array"})
        nullable = "null" in names or node.get("nullable") is True
        enum = [node["const"]] if "const" in node else node.get("enum")
        if isinstance(enum, list) and None in enum:
            nullable, enum = True, [value for value in enum if value is not None]
            if not enum:  # `enum: [null]` is the null type written another way.
                enum, types = None, frozenset()
        additional = node.get("additionalProperties", True)
        if not isinstance(additional, bool):
            # Any value (`{}`, `true` behind a $ref) or none is still a plain yes or no.
            extra = self.schema(additional, stack)
            plain = replace(extra, description=None)
            additional = True if plain == Schema() else False if plain == NOTHING else extra
        constraints = {key: node[key] for key in CONSTRAINTS if key in node}
        for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            # OpenAPI 3.0 writes `minimum: 0, exclusiveMinimum: true`; 3.1 `exclusiveMinimum: 0`.
            exclusive = isinstance(constraints.get(flag), bool) and constraints.pop(flag)
            if exclusive and bound in constraints:
                constraints[flag] = constraints.pop(bound)
        for key in BOUNDS & constraints.keys():
            if isinstance(constraints[key], bool) or not isinstance(constraints[key], int | float):
                raise self.error(f"`{key}` is {constraints[key]!r}, not a number")
        if constraints.get("uniqueItems") is False:
            del constraints["uniqueItems"]
        properties = self.expect(node.get("properties"), dict, "properties")
        required = node.get("required")
        return Schema(
            types=types,
            nullable=nullable,
            properties={str(k): self.schema(v, stack) for k, v in properties.items()},
            required=frozenset(map(str, required)) if isinstance(required, list) else frozenset(),
            items=self.schema(node["items"], stack) if "items" in node else None,
            additional=additional,
            enum=frozenset(map(value_key, enum)) if isinstance(enum, list) else None,
            format=str(node["format"]) if "format" in node else None,
            constraints=constraints,
            read_only=node.get("readOnly") is True,
            write_only=node.get("writeOnly") is True,
            deprecated=node.get("deprecated") is True,
            description=self.text(node),
        )

    # --- operations ------------------------------------------------------------------

    def locate(self) -> dict[tuple[str, str], Located]:
        """Every operation of the document under each of its servers' path prefixes, by
        method and full path (whatever the path parameters are called)."""
        found: dict[tuple[str, str], Located] = {}
        for key, item in self.expect(self.document.get("paths"), dict, "paths").items():
            for method in HTTP_METHODS if isinstance(item, dict) else ():
                if isinstance(raw := item.get(method), dict):
                    for prefix in self._server_paths(self.document, item, raw):
                        located = Located(method.upper(), prefix + str(key), item, raw)
                        path = TEMPLATE.sub("{}", located.path.rstrip("/") or "/")
                        found.setdefault((located.method, path), located)
        return found

    def _server_paths(self, *levels: Mapping[str, Any]) -> list[str]:
        """The URL paths of the servers in effect (those of the innermost of the document,
        the path and the operation that lists some), variables at their defaults."""
        for level in reversed(levels):
            if servers := self.expect(level.get("servers"), list, "servers"):
                return list(dict.fromkeys(map(self._server_path, servers)))
        return [""]

    def _server_path(self, node: object) -> str:
        server = self.expect(node, dict, "a server")
        variables = self.expect(server.get("variables"), dict, "server variables")

        def default(match: re.Match[str]) -> str:
            variable = self.expect(variables.get(match[1]), dict, "a server variable")
            return str(variable.get("default", match[0]))

        url = TEMPLATE.sub(default, str(server.get("url", "")))
        return urlsplit(url).path.rstrip("/")

    def operation(self, located: Located) -> Operation:
        raw, templates = located.operation, TEMPLATE.findall(located.path)
        request: dict[str, Part] = {}
        # Operation-level parameters override path-level ones with the same name and place.
        for entry in [
            *self.expect(located.path_item.get("parameters"), list, "the path's parameters"),
            *self.expect(raw.get("parameters"), list, "the operation's parameters"),
        ]:
            node = self.resolve(entry, "a parameter")
            if "name" not in node or "in" not in node:
                raise self.error("a parameter without `name` or `in`")
            name, location = str(node["name"]), str(node["in"])
            # Path parameters are known by position, headers by their name in any case.
            key = name.lower() if location == "header" else name
            if location == "path" and name in templates:
                key = f"{{{templates.index(name)}}}"
            where = f"parameter {location} {name}"
            schema = self._parameter_schema(node, where)
            required = node.get("required") is True or location == "path"
            part = Part("parameter", where, describe(schema), required, schema=schema)
            deprecated = node.get("deprecated") is True
            part = replace(part, description=self.text(node), deprecated=deprecated)
            request[f"parameter {location} {key}"] = part
        if "requestBody" in raw:
            node = self.resolve(raw["requestBody"], "the request body")
            content = self._content(node, "request body", "")
            required, text = node.get("required") is True, self.text(node)
            body = Part("request body", "request body", "documented", required, text, content)
            request["request body"] = body
        responses: dict[str, Part] = {}
        for status, entry in self.expect(raw.get("responses"), dict, "responses").items():
            node = self.resolve(entry, f"response {status}")
            # YAML reads an unquoted 201 as an integer; `2xx` and `2XX` are the same range.
            key = str(status) if str(status) == "default" else str(status).upper()
            where = f"response {key}"
            content = self._content(node, where, key)
            media = ", ".join(sorted(content)) or "no body"
            for header in self.expect(node.get("headers"), dict, f"{where} headers"):
                # Known by their name in any case, as in HTTP.
                part = Part("response header", f"{where} header {header}", "documented")
                content[f"header {str(header).lower()}"] = part
            response = Part("status", where, media, False, self.text(node), content, name=key)
            responses[key] = response
        deprecated = raw.get("deprecated") is True
        return Operation(self._security(raw), self.text(raw), deprecated, request, responses)

    def _parameter_schema(self, node: Mapping[str, Any], where: str) -> Schema:
        """A parameter's schema, or that of the media type it is serialised as instead."""
        raw = node.get("schema")
        if raw is None and "content" in node:
            content = self.expect(node["content"], dict, f"{where} content")
            media = self.expect(next(iter(content.values()), None), dict, "a media type")
            raw = media.get("schema")
        return self.schema({} if raw is None else raw)

    def _content(self, node: Mapping[str, Any], where: str, status: str) -> dict[str, Part]:
        """A body's media types, each with its schema."""
        content: dict[str, Part] = {}
        for media, media_node in self.expect(node.get("content"), dict, "content").items():
            raw = media_node.get("schema") if isinstance(media_node, dict) else None
            essence = str(media).split(";", 1)[0].strip().lower()
            schema = None if raw is None else self.schema(raw)
            at = where if essence == "application/json" else ""
            part = Part("media type", f"{where} ({essence})", essence, schema=schema, at=at)
            content[essence] = replace(part, name=status)
        return content

    def _security(self, raw: Mapping[str, Any]) -> Mapping[frozenset[SchemeKey], str]:
        components = self.expect(self.document.get("components"), dict, "components")
        declared = self.expect(components.get("securitySchemes"), dict, "securitySchemes")
        requirements = raw.get("security", self.document.get("security"))
        alternatives: dict[frozenset[SchemeKey], str] = {}
        for requirement in self.expect(requirements, list, "security"):
            schemes: list[SchemeKey] = []
            for name in self.expect(requirement, dict, "a security requirement"):
                if name not in declared:
                    raise self.error(f"security requirement {name!r} is not in securitySchemes")
                scheme = self.resolve(declared[name], f"security scheme {name}")
                kind = str(scheme.get("type"))
                where = str(scheme.get("in")) if kind == "apiKey" else None
                detail = {
                    "apiKey": scheme.get("name"),
                    "http": str(scheme.get("scheme", "")).lower(),
                    "openIdConnect": scheme.get("openIdConnectUrl"),
                }.get(kind)
                schemes.append((kind, where, None if detail is None else str(detail)))
            labels = (" ".join(filter(None, (k, w and f"in {w}", d))) for k, w, d in schemes)
            key = frozenset((k, w, d.lower() if d and w == "header" else d) for k, w, d in schemes)
            alternatives[key] = " and ".join(sorted(labels)) or "none"
        return alternatives
