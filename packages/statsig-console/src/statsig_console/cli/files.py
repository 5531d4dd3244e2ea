"""Reading a directory of source files, and writing one: one source per file.

Every value keeps the line it came from, so that a validation error can name the
file, the line and the field. YAML positions come from PyYAML's composer; a JSON file
is parsed strictly with :mod:`json` and located with the same composer (JSON is YAML).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SUFFIXES = (".yaml", ".yml", ".json")
# Read by this tool, never sent to Statsig: the name a source had before a rename.
PREVIOUS_NAME = "previousName"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_STEM = 80
# A source is a few levels deep (an array of mappings at most). Far deeper input would
# exhaust the stack of the parser, the line finder or the schema check; refused first.
MAX_DEPTH = 64

Location = tuple[str | int, ...]

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Problem:
    """Something wrong in one file, at one line, about one field (or the whole file)."""

    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f" {self.field}:" if self.field else ""
        return f"{self.path}:{self.line}:{where} {self.message}"


@dataclass(frozen=True)
class SourceFile:
    """One file's source: its fields in the API's names, and where each one was written."""

    path: Path
    data: dict[str, Any]
    text: str = ""

    @functools.cached_property
    def lines(self) -> Mapping[Location, int]:
        # Composed again only when a problem needs a line: most files have none.
        try:
            loader = _Loader(self.text)
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
        except yaml.YAMLError:
            # A JSON file PyYAML cannot read as YAML: the problems name line 1.
            return {}
        lines: dict[Location, int] = {}
        if node is not None:
            _walk(node, (), lines)
        return lines

    def line(self, location: Iterable[str | int]) -> int:
        """The line of the value at ``location``, or of its nearest enclosing value."""
        key = tuple(location)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)

    def duplicate(self, key: str) -> Problem:
        """A field given twice in a JSON file, at the line of its second key."""
        pattern = re.compile(rf'"{re.escape(key)}"\s*:')
        found = [n for n, line in enumerate(self.text.splitlines(), 1) if pattern.search(line)]
        line = found[1] if len(found) > 1 else 1
        return Problem(self.path, line, key, "is given twice")

    @property
    def previous_name(self) -> str | None:
        value = self.data.get(PREVIOUS_NAME)
        return value if isinstance(value, str) else None

    @property
    def body(self) -> dict[str, Any]:
        """The fields Statsig is sent: everything but the tool's own."""
        return {key: value for key, value in self.data.items() if key != PREVIOUS_NAME}


def source_paths(directory: Path) -> list[Path]:
    """The source files of ``directory`` (not its subdirectories), in name order."""
    return sorted(
        path for path in directory.iterdir() if path.is_file() and path.suffix in SUFFIXES
    )


def read_directory(directory: Path) -> tuple[list[SourceFile], list[Problem]]:
    """Every source file of ``directory``, and the problems of those that cannot be read."""
    sources: list[SourceFile] = []
    problems: list[Problem] = []
    for path in source_paths(directory):
        result = read_file(path)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            sources.append(result)
    return sources, problems


def read_file(path: Path) -> SourceFile | Problem:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Problem(path, 1, "", f"cannot be read: {error}")
    if path.suffix == ".json":
        try:
            data = json.loads(text, object_pairs_hook=_unique_pairs)
        except _DuplicateField as error:
            return SourceFile(path, {}, text).duplicate(error.key)
        except json.JSONDecodeError as error:
            return Problem(path, error.lineno, "", f"is not valid JSON: {error.msg}")
        except RecursionError:
            return _too_deep(path)
    else:
        try:
            data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a safe loader
        except _DuplicateField as error:
            return Problem(path, error.line, error.key, "is given twice")
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
            line = mark.line + 1 if mark is not None else 1
            problem = getattr(error, "problem", None) or str(error)
            return Problem(path, line, "", f"is not valid YAML: {problem}")
        except RecursionError:
            return _too_deep(path)
    if _depth(data) > MAX_DEPTH:
        return _too_deep(path)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        return Problem(path, 1, "", f"must hold one source (a mapping of fields), not {kind}")
    return SourceFile(path, data, text)


def _too_deep(path: Path) -> Problem:
    return Problem(path, 1, "", f"is nested more than {MAX_DEPTH} levels deep; no source is")


def _depth(data: object) -> int:
    # A loop, not recursion: the point is to measure what recursion could not.
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            return depth
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value
        pending.extend((child, depth + 1) for child in children)
    return deepest


class _DuplicateField(Exception):
    def __init__(self, key: str, line: int = 1) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateField(key)
        result[key] = value
    return result


class _UniqueKeyLoader(_Loader):  # type: ignore[valid-type,misc]
    """A safe loader that refuses a field given twice instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                raise _DuplicateField(str(key), key_node.start_mark.line + 1)
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def _walk(node: yaml.Node, location: Location, lines: dict[Location, int]) -> None:
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            child = (*location, key)
            _walk(value_node, child, lines)
            # A field is named on the line of its key, even when its value starts below.
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*location, index), lines)


def dotted(location: Iterable[str | int]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def file_stem(name: str) -> str:
    """A file name for a source name: safe on every file system, never a path."""
    stem = _SAFE_NAME.sub("-", name).strip(".-")[:_MAX_STEM] or "source"
    return stem


def export_names(names: Iterable[str]) -> dict[str, str]:
    """A distinct ``*.yaml`` file name for each source name, stable for a given set."""
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(names):
        stem = file_stem(name)
        candidate, number = stem, 1
        # Case-insensitive file systems would merge names that differ only in case.
        while candidate.lower() in taken:
            number += 1
            candidate = f"{stem}-{number}"
        taken.add(candidate.lower())
        chosen[name] = f"{candidate}.yaml"
    return chosen


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line SQL as a literal block, so it reads (and diffs) like SQL.
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Mapping[str, Any]) -> str:
    """YAML for one source, its fields in the order given."""
    return yaml.dump(
        dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )
