"""The spec's facts, read once: every operation of the Console API spec by operationId.

This is the one handwritten module that knows where the spec is and how to read it.
The production layer, the mock, the contract suite, compare-upstream and the tests ask
it for paths, parameters, schemas, the key header and examples instead of writing them
down. The handwritten source is ``openapi/statsig-console-api.yaml``; ``scripts/generate``
writes the JSON copy shipped here as package data, so reading it needs no YAML parser.

``$ref`` pointers are resolved with ``referencing`` (the library jsonschema builds on),
against the document registered under :data:`SPEC_URI`, so nothing is ever fetched. It
is imported when a spec is first read, not with this module: it took more of
``import statsig_console`` than the rest of the package.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    import referencing

# The packaged copy of the spec, beside this module.
SPEC_RESOURCE = "openapi.json"
# The document is registered under this URI so that its own "#/components/..."
# references resolve inside it and nothing is ever fetched from the network.
SPEC_URI = "urn:statsig-console:openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class SpecError(Exception):
    """The spec is missing, unreadable, or lacks something a caller needs from it."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """One declared parameter of an operation (path, query or header)."""

    name: str
    location: str
    required: bool
    # With every $ref resolved at the top level (inner references stay as written).
    schema: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Response:
    """One declared response: its JSON schema (if any) and the headers it names."""

    status: int
    schema: Mapping[str, Any] | None
    # A JSON pointer (with '#') to the schema inside the document, for validators.
    schema_pointer: str | None
    headers: tuple[str, ...]
    # Named examples of the JSON body, in the spec's order (``example`` under that name).
    examples: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Operation:
    """What the spec says of one operation."""

    operation_id: str
    method: str
    path: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    # The name of the apiKey header its security requires, or None.
    key_header: str | None
    body_required: bool
    body_media_types: tuple[str, ...]
    body_schema: Mapping[str, Any] | None
    body_schema_pointer: str | None
    # Named examples of the JSON request body, in the spec's order.
    body_examples: Mapping[str, Any]
    responses: Mapping[int, Response]

    @property
    def success(self) -> Response:
        """The lowest 2xx response: what the operation answers when it works."""
        codes = sorted(code for code in self.responses if 200 <= code < 300)
        if not codes:
            raise SpecError(f"{self.operation_id} declares no 2xx response")
        return self.responses[codes[0]]

    @property
    def path_parameters(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters if p.location == "path")

    def url_path(self, **path_values: str) -> str:
        """The path with each ``{param}`` replaced by its percent-encoded value.

        Every character outside RFC 3986's unreserved set is encoded, ``/`` included,
        so a source named ``a/b?c#d`` stays one path segment.
        """
        expected = set(self.path_parameters)
        if set(path_values) != expected:
            raise SpecError(
                f"{self.operation_id} takes the path parameters {sorted(expected)}, "
                f"got {sorted(path_values)}"
            )
        path = self.path
        for name, value in path_values.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return path

    def parameter(self, name: str, location: str) -> Parameter | None:
        for parameter in self.parameters:
            if parameter.name.lower() == name.lower() and parameter.location == location:
                return parameter
        return None


@dataclass(frozen=True)
class Spec:
    """A parsed spec document and its operations by operationId."""

    document: Mapping[str, Any]
    source: str
    operations: Mapping[str, Operation]
    registry: referencing.Registry[Any] = field(repr=False)

    def operation(self, operation_id: str) -> Operation:
        try:
            return self.operations[operation_id]
        except KeyError:
            known = ", ".join(sorted(self.operations)) or "none"
            raise SpecError(
                f"{self.source} has no operation {operation_id!r} (it has: {known})"
            ) from None

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations.values())

    def resolve(self, node: object) -> Any:  # noqa: ANN401 - a node of the parsed document
        """Follow a ``$ref`` (repeatedly) to the node it names; other nodes come back as is."""
        return _resolve(self.registry, node, self.source)

    @property
    def server_url(self) -> str:
        servers = self.document.get("servers") or []
        if servers and isinstance(servers[0], Mapping) and isinstance(servers[0].get("url"), str):
            return str(servers[0]["url"])
        raise SpecError(f"{self.source} declares no server URL")

    @property
    def schemas(self) -> Mapping[str, Any]:
        """The named component schemas."""
        components = self.document.get("components") or {}
        schemas = components.get("schemas") if isinstance(components, Mapping) else None
        return schemas if isinstance(schemas, Mapping) else {}


def load_document(path: Path) -> dict[str, Any]:
    """Parse a spec file: JSON, or YAML when PyYAML is installed (the mock and tooling)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"cannot read the OpenAPI spec at {path}: {error}") from error
    return parse_document(text, str(path))


def parse_document(text: str, source: str) -> dict[str, Any]:
    document: object
    try:
        document = json.loads(text)
    except ValueError:
        try:
            import yaml
        except ImportError:
            raise SpecError(
                f"{source} is not JSON, and reading YAML needs PyYAML (pip install pyyaml)"
            ) from None
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            document = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader either way
        except yaml.YAMLError as error:
            raise SpecError(f"the OpenAPI spec at {source} is not valid YAML: {error}") from error
    if not isinstance(document, dict):
        raise SpecError(f"the OpenAPI spec at {source} is not a mapping")
    return document


def from_document(document: Mapping[str, Any], source: str = "the spec") -> Spec:
    """Index an already parsed document (a test's modified copy, say)."""
    import referencing
    from referencing.jsonschema import DRAFT202012

    resource = referencing.Resource.from_contents(dict(document), default_specification=DRAFT202012)
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(SPEC_URI, resource)
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        raise SpecError(f"{source} has no paths")
    operations: dict[str, Operation] = {}
    for path, item in paths.items():
        item = _resolve(registry, item, source)
        if not isinstance(item, Mapping):
            continue
        shared = item.get("parameters") or []
        for method in HTTP_METHODS:
            raw = item.get(method)
            if not isinstance(raw, Mapping):
                continue
            operation = _operation(registry, document, source, str(path), method, raw, shared)
            if operation.operation_id in operations:
                raise SpecError(f"{source} uses operationId {operation.operation_id!r} twice")
            operations[operation.operation_id] = operation
    return Spec(document=document, source=source, operations=operations, registry=registry)


@functools.cache
def _packaged() -> Spec:
    text = resources.files(__package__).joinpath(SPEC_RESOURCE).read_text(encoding="utf-8")
    source = f"{__package__}/{SPEC_RESOURCE}"
    return from_document(parse_document(text, source), source)


def load(path: Path | str | None = None) -> Spec:
    """The spec: the packaged copy (read once per process), or the file at ``path``."""
    if path is None:
        return _packaged()
    path = Path(path)
    return from_document(load_document(path), str(path))


def pointer(*tokens: str) -> str:
    """A JSON pointer fragment (``#/a/b~1c``) to the node under ``tokens``.

    Written as a URI fragment (RFC 6901, section 6): characters a fragment may not hold,
    such as the braces of ``{name}``, are percent-encoded, so validators accept it.
    """
    return "#" + "".join(
        "/" + quote(t.replace("~", "~0").replace("/", "~1"), safe="~!$&'()*+,;=:@") for t in tokens
    )


def _resolve(registry: referencing.Registry[Any], node: object, source: str) -> Any:  # noqa: ANN401
    import referencing.exceptions

    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = str(node["$ref"])
        if ref in seen:
            raise SpecError(f"{source}: circular reference {ref!r}")
        seen.add(ref)
        if not ref.startswith("#"):
            raise SpecError(
                f"{source}: only references inside the document are read, found {ref!r}"
            )
        try:
            node = registry.resolver(SPEC_URI).lookup(ref).contents
        except referencing.exceptions.Unresolvable:
            raise SpecError(f"{source}: unresolvable reference {ref!r}") from None
    return node


def _operation(
    registry: referencing.Registry[Any],
    document: Mapping[str, Any],
    source: str,
    path: str,
    method: str,
    raw: Mapping[str, Any],
    shared: list[Any],
) -> Operation:
    operation_id = raw.get("operationId")
    where = f"{method.upper()} {path}"
    if not isinstance(operation_id, str) or not operation_id:
        raise SpecError(f"{source}: {where} has no operationId")
    parameters: dict[tuple[str, str], Parameter] = {}
    for entry in [*shared, *(raw.get("parameters") or [])]:
        resolved = _resolve(registry, entry, source)
        if not isinstance(resolved, Mapping) or "name" not in resolved or "in" not in resolved:
            raise SpecError(f"{source}: {where} has a parameter without name or location")
        location = str(resolved["in"])
        declared = _resolve(registry, resolved.get("schema") or {}, source)
        # An operation's own parameter overrides the path item's of the same name.
        parameters[(str(resolved["name"]).lower(), location)] = Parameter(
            name=str(resolved["name"]),
            location=location,
            required=bool(resolved.get("required", location == "path")),
            schema=declared if isinstance(declared, Mapping) else {},
        )
    body = _resolve(registry, raw.get("requestBody"), source)
    media_types: tuple[str, ...] = ()
    body_schema: Mapping[str, Any] | None = None
    body_pointer: str | None = None
    examples: dict[str, Any] = {}
    if isinstance(body, Mapping) and isinstance(body.get("content"), Mapping):
        content: Mapping[str, Any] = body["content"]
        media_types = tuple(str(media) for media in content)
        json_media = next((m for m in media_types if is_json_media_type(m)), None)
        if json_media is not None and isinstance(content[json_media], Mapping):
            media = content[json_media]
            if "schema" in media:
                body_schema = _resolve(registry, media["schema"], source)
                body_pointer = _located(
                    raw["requestBody"], ("paths", path, method, "requestBody"), json_media
                )
            examples = _examples(registry, media, source)
    responses: dict[int, Response] = {}
    for code, entry in (raw.get("responses") or {}).items():
        if not str(code).isdigit():
            continue
        resolved = _resolve(registry, entry, source)
        schema: Mapping[str, Any] | None = None
        schema_pointer: str | None = None
        headers: tuple[str, ...] = ()
        response_examples: dict[str, Any] = {}
        if isinstance(resolved, Mapping):
            headers = tuple(str(h) for h in (resolved.get("headers") or {}))
            content = resolved.get("content") or {}
            json_media = next((m for m in content if is_json_media_type(str(m))), None)
            if json_media is not None and "schema" in content[json_media]:
                schema = _resolve(registry, content[json_media]["schema"], source)
                schema_pointer = _located(
                    entry, ("paths", path, method, "responses", str(code)), str(json_media)
                )
            if json_media is not None:
                response_examples = _examples(registry, content[json_media], source)
        responses[int(code)] = Response(
            status=int(code),
            schema=schema,
            schema_pointer=schema_pointer,
            headers=headers,
            examples=response_examples,
        )
    return Operation(
        operation_id=operation_id,
        method=method.upper(),
        path=path,
        tags=tuple(str(tag) for tag in raw.get("tags") or ()),
        parameters=tuple(parameters.values()),
        key_header=_key_header(registry, document, source, raw),
        body_required=bool(isinstance(body, Mapping) and body.get("required", False)),
        body_media_types=media_types,
        body_schema=body_schema,
        body_schema_pointer=body_pointer,
        body_examples=examples,
        responses=responses,
    )


def _examples(registry: referencing.Registry[Any], media: object, source: str) -> dict[str, Any]:
    """The named examples of a media type object, then its single ``example``."""
    examples: dict[str, Any] = {}
    if not isinstance(media, Mapping):
        return examples
    for name, example in (media.get("examples") or {}).items():
        resolved = _resolve(registry, example, source)
        if isinstance(resolved, Mapping) and "value" in resolved:
            examples[str(name)] = resolved["value"]
    if "example" in media:
        examples.setdefault("example", media["example"])
    return examples


def _located(raw_entry: object, tokens: tuple[str, ...], media: str) -> str:
    """A pointer to the schema of ``media`` in a request body or response written at
    ``tokens``, or reached from there through a ``$ref`` to a shared component."""
    if isinstance(raw_entry, Mapping) and isinstance(raw_entry.get("$ref"), str):
        base = str(raw_entry["$ref"])
    else:
        base = pointer(*tokens)
    return base + pointer("content", media, "schema")[1:]


def _key_header(
    registry: referencing.Registry[Any],
    document: Mapping[str, Any],
    source: str,
    raw: Mapping[str, Any],
) -> str | None:
    requirements = raw.get("security", document.get("security", []))
    if not requirements:
        return None
    components = document.get("components") or {}
    schemes = components.get("securitySchemes") or {}
    for requirement in requirements:
        for name in requirement:
            scheme = _resolve(registry, schemes.get(name), source)
            if (
                isinstance(scheme, Mapping)
                and scheme.get("type") == "apiKey"
                and scheme.get("in") == "header"
                and isinstance(scheme.get("name"), str)
            ):
                return str(scheme["name"])
    raise SpecError(f"{source}: an operation's security names no apiKey scheme sent in a header")


def is_json_media_type(media: str) -> bool:
    essence = media.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")
