"""Dispatch by (method, path template): one table answers matches, 404s and 405s alike.

Templates are matched per segment; a ``{name}`` segment takes any one non-empty
segment, percent-decoded, so a value holding an encoded ``/`` stays one segment.
Paths without parameters are found with one dictionary lookup, as most requests are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar
from urllib.parse import unquote

T = TypeVar("T")


class Found(NamedTuple, Generic[T]):
    # A tuple: one is built per request, cheaper than a frozen dataclass.
    target: T
    path_values: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class NotAllowed:
    # For the Allow header, in the order the table lists them.
    allowed: tuple[str, ...]


class NotFound:
    pass


NOT_FOUND = NotFound()


@dataclass(slots=True)
class _Template(Generic[T]):
    # A literal segment, or None where a parameter goes (named in ``names``).
    segments: tuple[str | None, ...]
    names: tuple[str, ...]
    methods: dict[str, T] = field(default_factory=dict)


def _split(template: str) -> tuple[tuple[str | None, ...], tuple[str, ...]]:
    segments: list[str | None] = []
    names: list[str] = []
    for segment in template.split("/")[1:]:
        if segment.startswith("{") and segment.endswith("}") and len(segment) > 2:
            segments.append(None)
            names.append(segment[1:-1])
        else:
            segments.append(segment)
    return tuple(segments), tuple(names)


class Router(Generic[T]):
    def __init__(self, routes: Iterable[tuple[str, str, T]]) -> None:
        self._static: dict[str, dict[str, T]] = {}
        self._templates: list[_Template[T]] = []
        by_template: dict[tuple[str | None, ...], _Template[T]] = {}
        for method, template, target in routes:
            if not template.startswith("/"):
                raise ValueError(f"a path template starts with '/', got {template!r}")
            segments, names = _split(template)
            if not names:
                self._static.setdefault(template, {})[method.upper()] = target
                continue
            entry = by_template.get(segments)
            if entry is None:
                entry = by_template[segments] = _Template(segments, names)
                self._templates.append(entry)
            entry.methods[method.upper()] = target

    def match(self, method: str, raw_path: str) -> Found[T] | NotAllowed | NotFound:
        """``raw_path`` as sent, not yet percent-decoded."""
        methods = self._static.get(raw_path)
        values: dict[str, str] = {}
        if methods is None:
            segments = raw_path.split("/")[1:]
            methods = None
            if "%" in raw_path:
                segments = [unquote(segment) for segment in segments]
                methods = self._static.get("/" + "/".join(segments))
            if methods is None:
                for template in self._templates:
                    found = _bind(template, segments)
                    if found is not None:
                        methods, values = template.methods, found
                        break
        if methods is None:
            return NOT_FOUND
        target = methods.get(method)
        if target is None:
            return NotAllowed(tuple(methods))
        return Found(target, values)


def _bind(template: _Template[T], segments: list[str]) -> dict[str, str] | None:
    if len(segments) != len(template.segments):
        return None
    values: list[str] = []
    for expected, segment in zip(template.segments, segments, strict=True):
        if expected is None:
            if not segment:
                return None
            values.append(segment)
        elif expected != segment:
            return None
    return dict(zip(template.names, values, strict=True))
