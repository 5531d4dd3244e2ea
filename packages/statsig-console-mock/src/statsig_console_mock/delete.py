"""deleteAssignmentSource: forget a stored source, which frees its name."""

from __future__ import annotations

from typing import Final

import orjson

from statsig_console_mock.handlers import Answer, Call, HandlerContext
from statsig_console_mock.record import check_error_shapes, error_answer_body, success_message
from statsig_console_mock.spec import CompiledOperation
from statsig_console_mock.update import NOT_FOUND_MESSAGE, path_name

SUCCESS_MESSAGE: Final = "Assignment source deleted successfully."


class DeleteAssignmentSource:
    def __init__(self, operation: CompiledOperation, context: HandlerContext) -> None:
        check_error_shapes(context.spec, operation.operation)
        self._store = context.store
        self._parameter = path_name(operation)
        message = success_message(context.spec, operation.operation, SUCCESS_MESSAGE)
        self._deleted = Answer(operation.success_status, orjson.dumps({"message": message}))
        self._not_found = Answer(
            404, error_answer_body(operation.operation, 404, NOT_FOUND_MESSAGE)
        )

    def __call__(self, call: Call) -> Answer:
        if self._store.remove(str(call.path_values[self._parameter])):
            return self._deleted
        return self._not_found
