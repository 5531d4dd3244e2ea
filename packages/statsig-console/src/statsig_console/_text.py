"""Text from the other side (a body, a header, a file's value), cut to a readable length."""

from __future__ import annotations


def shorten(text: str, limit: int) -> str:
    """``text``, or its first ``limit - 3`` characters and ``...`` when it is longer."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
