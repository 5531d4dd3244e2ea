"""Seeds: sources loaded into the mock as if created through the API.

A seed file is what ``statsig-console sources export`` writes: one source per YAML
(or JSON) file, a mapping in the API's field names, i.e. a create request's body. A
folder is every ``*.yaml``, ``*.yml`` and ``*.json`` file in it, in name order. Each
seed is validated against the create operation's request schema and stored by its
handler, so it gets the same checks and defaults as a create; the first bad one stops
with a message naming its file and the problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import orjson
import yaml

from statsig_console_mock.handlers import Call, Handler
from statsig_console_mock.spec import CompiledOperation
from statsig_console_mock.validation import error_messages

CREATE_OPERATION: Final = "createAssignmentSource"
SEED_SUFFIXES: Final = (".yaml", ".yml", ".json")


class SeedError(ValueError):
    """A seed that cannot be loaded; the message names where it came from."""


def seed_files(path: Path) -> list[Path]:
    """``path`` itself, or the seed files of the folder it names."""
    if path.is_dir():
        found = (p for p in path.iterdir() if p.suffix.lower() in SEED_SUFFIXES)
        return sorted(p for p in found if p.is_file())
    if not path.exists():
        raise SeedError(f"{path}: no such file or folder")
    return [path]


def read_seed_file(path: Path) -> Any:  # noqa: ANN401 - the document, checked by the caller
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError(f"{path}: cannot be read: {exc}") from None
    try:
        if path.suffix.lower() == ".json":
            return orjson.loads(text)
        return yaml.safe_load(text)
    except (orjson.JSONDecodeError, yaml.YAMLError) as exc:
        raise SeedError(f"{path}: is not valid {path.suffix.lstrip('.').upper()}: {exc}") from None


class Seeder:
    """Stores seeds through the create operation's validator and handler."""

    def __init__(
        self, operations: Mapping[str, CompiledOperation], handlers: Mapping[str, Handler]
    ) -> None:
        operation = operations.get(CREATE_OPERATION)
        handler = handlers.get(CREATE_OPERATION)
        if operation is None or handler is None:
            raise SeedError(f"the spec declares no {CREATE_OPERATION} operation to seed through")
        self._operation = operation
        self._handler = handler

    def add(self, body: object, origin: str) -> dict[str, Any]:
        """Store one seed; the stored source, as the API answered it."""
        if not isinstance(body, dict):
            raise SeedError(f"{origin}: a seed must be a mapping of the create request's fields")
        validator = self._operation.body_validator
        if validator is not None and not validator.is_valid(body):
            raise SeedError(f"{origin}: " + "; ".join(error_messages(validator, body)))
        raw = orjson.dumps(body)
        answer = self._handler(Call(body, raw, {}, {}))
        payload = orjson.loads(answer.body) if answer.body else {}
        if not 200 <= answer.status < 300:
            message = payload.get("message", "") if isinstance(payload, dict) else ""
            raise SeedError(f"{origin}: refused with {answer.status}: {message}")
        data = payload.get("data") if isinstance(payload, dict) else None
        return data if isinstance(data, dict) else dict(body)

    def add_all(self, bodies: Iterable[object], origin: str = "seed") -> list[dict[str, Any]]:
        return [self.add(body, f"{origin}[{index}]") for index, body in enumerate(bodies)]

    def load(self, path: Path) -> list[dict[str, Any]]:
        """Every seed under ``path`` (a file or a folder)."""
        return [self.add(read_seed_file(file), str(file)) for file in seed_files(path)]
