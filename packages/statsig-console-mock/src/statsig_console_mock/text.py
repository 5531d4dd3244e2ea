"""Client-sent text, cut to a readable length before it goes into an answer."""

from __future__ import annotations


def shorten(text: str, limit: int) -> str:
    """``text``, or its first ``limit - 3`` characters and ``...`` when it is longer."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
