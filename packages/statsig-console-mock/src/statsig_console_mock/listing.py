"""listAssignmentSources: one page of the stored sources, in creation order.

Pages are numbered from 1; ``nextPage`` and ``previousPage`` are relative URLs that
carry both ``page`` and ``limit`` (null on the last and first page), as in Statsig's
example. A page past the end is an empty page, not an error.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from statsig_console_mock.handlers import Answer, Call, HandlerContext
from statsig_console_mock.record import check_error_shapes, stored_schema, success_message
from statsig_console_mock.responses import bad_request_body
from statsig_console_mock.spec import CompiledOperation

SUCCESS_MESSAGE: Final = "Assignment Sources listed successfully."
LIMIT: Final = "limit"
PAGE: Final = "page"
# Statsig documents no default page size; this one is the size its examples show.
DEFAULT_PAGE_SIZE: Final = 10
# The largest integer every JSON reader takes exactly (RFC 8259, section 6): the
# answer repeats both values, so larger ones could not be answered faithfully.
LARGEST_EXACT: Final = 2**53 - 1


class ListAssignmentSources:
    def __init__(self, operation: CompiledOperation, context: HandlerContext) -> None:
        check_error_shapes(context.spec, operation.operation)
        # Fails at start-up when the answer holds no list of sources.
        stored_schema(context.spec, operation.operation)
        self._store = context.store
        self._status = operation.success_status
        self._path = operation.path
        self._default_limit = _declared_default(operation, LIMIT) or DEFAULT_PAGE_SIZE
        message = success_message(context.spec, operation.operation, SUCCESS_MESSAGE)
        self._prefix = b'{"message":' + orjson.dumps(message) + b',"data":['

    def __call__(self, call: Call) -> Answer:
        query = call.query_values
        limit = query.get(LIMIT, self._default_limit)
        page = query.get(PAGE, 1)
        problems = [
            f"query parameter {name}: must be at least 1, got {value}"
            if value < 1
            else f"query parameter {name}: must be at most {LARGEST_EXACT}"
            for name, value in ((LIMIT, limit), (PAGE, page))
            if not 1 <= value <= LARGEST_EXACT
        ]
        if problems:
            return Answer(400, bad_request_body(problems))
        records, total = self._store.page((page - 1) * limit, limit)
        pagination: dict[str, Any] = {
            "itemsPerPage": limit,
            "pageNumber": page,
            "totalItems": total,
            "nextPage": self._link(page + 1, limit) if page * limit < total else None,
            "previousPage": self._link(page - 1, limit) if page > 1 else None,
            "all": self._path,
        }
        body = b"".join(
            (self._prefix, b",".join(records), b'],"pagination":', orjson.dumps(pagination), b"}")
        )
        return Answer(self._status, body)

    def _link(self, page: int, limit: int) -> str:
        return f"{self._path}?{PAGE}={page}&{LIMIT}={limit}"


def _declared_default(operation: CompiledOperation, name: str) -> int | None:
    parameter = operation.operation.parameter(name, "query")
    default: Any = None if parameter is None else parameter.schema.get("default")
    return default if isinstance(default, int) and not isinstance(default, bool) else None


__all__ = ["ListAssignmentSources"]
