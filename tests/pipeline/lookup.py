"""Look-ups in the parsed spec that the pipeline tests share: by operationId, never by path."""

from __future__ import annotations

from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The assignment-source lifecycle as Statsig serves it
# (shared/seed/assignment-source-lifecycle.md): operationId -> success status.
LIFECYCLE = {
    "listAssignmentSources": "200",
    "createAssignmentSource": "201",
    "updateAssignmentSource": "200",
    "patchAssignmentSource": "200",
    "deleteAssignmentSource": "200",
}
# The operations that address one source by the name in their path.
BY_NAME = ("updateAssignmentSource", "patchAssignmentSource", "deleteAssignmentSource")


def operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (path, method, operation object) for every operation."""
    found: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                found[item[method]["operationId"]] = (path, method, item[method])
    return found


def operation(spec: dict[str, Any], operation_id: str) -> dict[str, Any]:
    return operations(spec)[operation_id][2]


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s (the spec uses no other kind) to the node they name."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for token in node["$ref"].removeprefix("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def response(spec: dict[str, Any], operation_id: str, status: str) -> dict[str, Any]:
    """The response object of one status, whether written inline or shared."""
    found: dict[str, Any] = resolve(spec, operation(spec, operation_id)["responses"][status])
    return found


def response_examples(spec: dict[str, Any], operation_id: str, status: str) -> dict[str, Any]:
    """The named example values of one response's JSON body."""
    media = response(spec, operation_id, status)["content"]["application/json"]
    return {name: example["value"] for name, example in media["examples"].items()}


def parameters(spec: dict[str, Any], operation_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(location, name) -> parameter object, the path item's shared ones included."""
    path, _method, raw = operations(spec)[operation_id]
    declared = [*spec["paths"][path].get("parameters", []), *raw.get("parameters", [])]
    resolved = [resolve(spec, parameter) for parameter in declared]
    return {(parameter["in"], parameter["name"]): parameter for parameter in resolved}
