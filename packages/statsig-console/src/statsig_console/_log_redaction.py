"""Masking Console keys in the log records of the HTTP stack (httpx and httpcore).

httpcore logs at DEBUG every response header, the reason phrase and the text of a
protocol error (which quotes the bytes it could not parse); httpx logs the reason
phrase at INFO. A server or proxy that echoes the request's headers puts the key in
them. The request's own headers are never logged by either.
"""

from __future__ import annotations

import logging

from ._redaction import CONSOLE_KEY, REDACTED

# Each logger that httpx 0.28 and httpcore 1.0 log to: a filter only sees the records
# of the logger it is attached to, not those its children propagate.
HTTP_STACK_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


class ConsoleKeyFilter(logging.Filter):
    """Rewrites a record whose message holds something shaped like a Console key."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record is logging's to report, not ours
        masked = CONSOLE_KEY.sub(f"console-{REDACTED}", message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


_FILTER = ConsoleKeyFilter()


def install() -> None:
    """Attach the filter to the HTTP stack's loggers (once; later calls do nothing)."""
    for name in HTTP_STACK_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
