"""The name that addresses one source in a path."""

from __future__ import annotations


def path_name(name: str) -> str:
    """``name``, checked before it goes into the path (the generated code encodes it).

    An empty name would address the collection's neighbour ``.../assignment_source/``
    rather than a source, so it is refused before anything is sent.

    Raises:
        ValueError: ``name`` is not a string or is empty.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"a source name must be a non-empty string, not {name!r}")
    return name
