"""updateAssignmentSource and patchAssignmentSource: change a stored source by name.

An update replaces every field its body schema declares (those left out get their
defaults) and keeps the ones it cannot set; a patch changes only the fields it sends.
Both rename through ``name``. A patch refuses a field only the update may set (``sql``
in Statsig's document), naming the update to use instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import orjson

from statsig_console import spec as console_spec
from statsig_console_mock.handlers import Answer, Call, HandlerContext
from statsig_console_mock.record import (
    DRY_RUN_FIELD,
    DUPLICATE_NAME,
    NAME_FIELD,
    envelope_prefix,
    error_answer_body,
    record_shape,
    success_message,
)
from statsig_console_mock.responses import bad_request_body
from statsig_console_mock.spec import CompiledOperation, SpecError
from statsig_console_mock.store import Added, SourceStore

UPDATE_ID: Final = "updateAssignmentSource"
SUCCESS_MESSAGE: Final = "Assignment Source updated successfully"
NOT_FOUND_MESSAGE: Final = "Not Found. The requested resource could not be found."


def path_name(operation: CompiledOperation) -> str:
    """The one path parameter that names the source."""
    names = operation.operation.path_parameters
    if len(names) != 1:
        raise SpecError(
            f"{operation.method} {operation.path} must take the source's name as its one "
            f"path parameter, not {list(names)}"
        )
    return names[0]


class _Change:
    def __init__(self, operation: CompiledOperation, context: HandlerContext) -> None:
        self._store: SourceStore = context.store
        self._parameter = path_name(operation)
        self._status = operation.success_status
        self._shape = record_shape(context.spec, operation.operation)
        message = success_message(context.spec, operation.operation, SUCCESS_MESSAGE)
        self._prefix = envelope_prefix(message)
        self._not_found = Answer(
            404, error_answer_body(operation.operation, 404, NOT_FOUND_MESSAGE)
        )

    def _changed(self, body: Mapping[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _refusals(self, body: Mapping[str, Any]) -> list[str]:
        return []

    def __call__(self, call: Call) -> Answer:
        body = call.body
        assert body is not None  # the operation takes a body: checked at start-up
        refusals = self._refusals(body)
        if refusals:
            return Answer(400, bad_request_body(refusals))
        name = str(call.path_values[self._parameter])
        outcome, record = self._store.replace(
            name, self._change(body), commit=body.get(DRY_RUN_FIELD) is not True
        )
        if outcome is Added.MISSING:
            return self._not_found
        if outcome is Added.TAKEN:
            return Answer(400, bad_request_body([DUPLICATE_NAME]))
        if outcome is Added.FULL:
            return Answer(400, bad_request_body([self._store.full_message()]))
        assert record is not None
        return Answer(self._status, self._prefix + record + b"}")

    def _change(self, body: Mapping[str, Any]) -> Callable[[bytes], tuple[str, bytes]]:
        def change(old: bytes) -> tuple[str, bytes]:
            new = self._changed(body, orjson.loads(old))
            return str(new[NAME_FIELD]), orjson.dumps(new)

        return change


class UpdateAssignmentSource(_Change):
    def _changed(self, body: Mapping[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
        return self._shape.build(body, old)


class PatchAssignmentSource(_Change):
    def __init__(self, operation: CompiledOperation, context: HandlerContext) -> None:
        super().__init__(operation, context)
        update = _update_of(context.spec)
        # Sorted once here, not on every patch.
        self._update_only: tuple[str, ...] = ()
        self._use_instead = ""
        if update is not None:
            only = record_shape(context.spec, update).settable - self._shape.settable
            self._update_only = tuple(sorted(only))
            self._use_instead = f"{update.operation_id} ({update.method} {update.path})"

    def _refusals(self, body: Mapping[str, Any]) -> list[str]:
        return [
            f"{field}: cannot be patched; send the whole source with {self._use_instead}"
            for field in self._update_only
            if field in body
        ]

    def _changed(self, body: Mapping[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
        return self._shape.merge(body, old)


def _update_of(spec: console_spec.Spec) -> console_spec.Operation | None:
    try:
        return spec.operation(UPDATE_ID)
    except SpecError:
        return None


__all__ = ["PatchAssignmentSource", "UpdateAssignmentSource", "path_name"]
