"""How deep a parsed JSON body nests, checked before anything recursive touches it."""

from __future__ import annotations


def exceeds_depth(raw: bytes, value: object, limit: int) -> bool:
    """Whether ``value`` (parsed from ``raw``) nests objects and arrays beyond ``limit``.

    A top-level object is one level deep. Every level opens with a bracket, so a body
    with at most ``limit`` brackets in all (in strings too) cannot be deeper: that count
    runs in C and settles ordinary bodies; only the others are walked.
    """
    if raw.count(b"{") + raw.count(b"[") <= limit:
        return False
    if not isinstance(value, dict | list):
        return False
    # Iterative, so a deep value cannot exhaust the interpreter's own stack.
    pending: list[tuple[dict[str, object] | list[object], int]] = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
