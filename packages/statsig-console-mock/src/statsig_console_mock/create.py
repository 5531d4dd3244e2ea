"""createAssignmentSource: store the source under its unique name.

The stored record's fields, and the defaults of those a request leaves out, come from
the spec's success response and request schema (``record.py``).
"""

from __future__ import annotations

from typing import Final

import orjson

from statsig_console_mock.handlers import Answer, Call, HandlerContext
from statsig_console_mock.record import (
    DRY_RUN_FIELD,
    DUPLICATE_NAME,
    NAME_FIELD,
    envelope_prefix,
    record_shape,
    success_message,
)
from statsig_console_mock.responses import bad_request_body
from statsig_console_mock.spec import CompiledOperation
from statsig_console_mock.store import Added

SUCCESS_MESSAGE: Final = "Assignment Source created successfully"


class CreateAssignmentSource:
    def __init__(self, operation: CompiledOperation, context: HandlerContext) -> None:
        self._status = operation.success_status
        self._store = context.store
        self._shape = record_shape(context.spec, operation.operation)
        message = success_message(context.spec, operation.operation, SUCCESS_MESSAGE)
        # The 201 body is assembled around the stored bytes, so a record is encoded once.
        self._prefix = envelope_prefix(message)

    def __call__(self, call: Call) -> Answer:
        body = call.body
        assert body is not None  # the operation takes a body: checked at start-up
        record = orjson.dumps(self._shape.build(body))
        added = self._store.add(
            str(body.get(NAME_FIELD)), record, commit=body.get(DRY_RUN_FIELD) is not True
        )
        if added is Added.TAKEN:
            return Answer(400, bad_request_body([DUPLICATE_NAME]))
        if added is Added.FULL:
            return Answer(400, bad_request_body([self._store.full_message()]))
        return Answer(self._status, self._prefix + record + b"}")
