"""One handler per operationId: what an operation does once its request has passed.

The endpoint (``endpoint.py``) checks every request against the spec before a handler
sees it, so a handler only does the operation's work. An operation with no handler
registered answers its declared success example, as Prism would. To give one real
behaviour, write a class taking ``(operation, context)`` whose call answers a
:class:`Call`, and add it to :data:`HANDLERS` under its operationId.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from statsig_console import spec as console_spec
from statsig_console_mock.settings import MockSettings
from statsig_console_mock.spec import CompiledOperation
from statsig_console_mock.store import SourceStore


# Tuples, not frozen dataclasses: one of each is built per request, and a frozen
# dataclass's __init__ costs several times a tuple's.
class Call(NamedTuple):
    """A request that passed every check of its operation."""

    # The parsed JSON body (None when the operation takes none), and the bytes it came
    # from.
    body: dict[str, Any] | None
    raw_body: bytes
    path_values: Mapping[str, Any]
    query_values: Mapping[str, Any]


class Answer(NamedTuple):
    status: int
    # JSON, or empty for no body.
    body: bytes


@dataclass(frozen=True, slots=True)
class HandlerContext:
    """What handlers share: the spec they were built from, the settings and the store."""

    spec: console_spec.Spec
    settings: MockSettings
    store: SourceStore


class Handler(Protocol):
    def __call__(self, call: Call) -> Answer: ...


HandlerFactory = Callable[[CompiledOperation, HandlerContext], Handler]


class ExampleHandler:
    """Answers the declared success example (or an empty body when none is declared)."""

    def __init__(self, operation: CompiledOperation, context: HandlerContext) -> None:
        self._answer = Answer(operation.success_status, operation.success_example or b"")

    def __call__(self, call: Call) -> Answer:
        return self._answer


def _registry() -> dict[str, HandlerFactory]:
    # Imported here so that handler modules may import this one for Call and Answer.
    from statsig_console_mock.create import CreateAssignmentSource
    from statsig_console_mock.delete import DeleteAssignmentSource
    from statsig_console_mock.listing import ListAssignmentSources
    from statsig_console_mock.update import PatchAssignmentSource, UpdateAssignmentSource

    return {
        "listAssignmentSources": ListAssignmentSources,
        "createAssignmentSource": CreateAssignmentSource,
        "updateAssignmentSource": UpdateAssignmentSource,
        "patchAssignmentSource": PatchAssignmentSource,
        "deleteAssignmentSource": DeleteAssignmentSource,
    }


HANDLERS: Mapping[str, HandlerFactory] = _registry()
