"""``--state FILE``: the stored sources kept across restarts.

After every request that changed state (a method other than GET/HEAD/OPTIONS answered
with a 2xx), the whole store is written to a temporary file beside the state file,
flushed to disk and renamed over it, all before the answer starts. So a write the
client saw acknowledged is on disk, and a mock killed at any moment leaves either the
old file or the new one, never half of one. The file is written at start-up too, so
a path that cannot be written stops the mock there; a write that fails later (a full
disk) is answered 503, never acknowledged as a kept change.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Final

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from statsig_console_mock.responses import send_error
from statsig_console_mock.store import Added, SourceStore

FORMAT_VERSION: Final = 1
_READS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


class StateFileError(ValueError):
    """The state file cannot be read back; the message names it and the problem."""


class StateFile:
    def __init__(self, path: Path, store: SourceStore) -> None:
        self.path = path
        self._store = store
        self._lock = threading.Lock()

    def load(self) -> bool:
        """Fill the store from the file; False when there is no file yet."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StateFileError(f"{self.path}: cannot be read: {exc.strerror}") from None
        sources = _sources(self.path, raw)
        for index, record in enumerate(sources):
            name = record.get("name") if isinstance(record, dict) else None
            if not isinstance(name, str):
                raise StateFileError(f"{self.path}: sources[{index}] has no name")
            added = self._store.add(name, orjson.dumps(record))
            if added is not Added.STORED:
                raise StateFileError(f"{self.path}: sources[{index}] ({name!r}): {added.value}")
        return True

    def save(self) -> None:
        """Write the whole store; StateFileError, naming the file, when it cannot be."""
        try:
            self._write()
        except OSError as exc:
            raise StateFileError(f"{self.path}: cannot be written: {exc.strerror}") from None

    def _write(self) -> None:
        document = {"version": FORMAT_VERSION, "sources": self._store.list()}
        data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
        directory = self.path.parent
        with self._lock:
            fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
            try:
                with os.fdopen(fd, "wb") as file:
                    file.write(data)
                    file.flush()
                    os.fsync(file.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            # The rename itself must reach the disk too.
            directory_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(directory_fd)
            finally:
                os.close(directory_fd)

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """``app``, saving the state before it acknowledges a change."""
        save = self.save

        async def saving(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["method"] in _READS:
                await app(scope, receive, send)
                return

            failed = False

            async def sending(message: Message) -> None:
                nonlocal failed
                if failed:
                    return  # the rest of an answer that was replaced
                if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                    try:
                        save()
                    except StateFileError as error:
                        # Start-up proved the file writable; a disk that filled since
                        # must not pass for an acknowledged, kept change.
                        failed = True
                        await send_error(send, 503, f"the change was made but not saved: {error}")
                        return
                await send(message)

            await app(scope, receive, sending)

        return saving


def _sources(path: Path, raw: bytes) -> list[Any]:
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StateFileError(f"{path}: is not JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise StateFileError(f"{path}: is not a state file of this mock (version {FORMAT_VERSION})")
    sources = document.get("sources")
    if not isinstance(sources, list):
        raise StateFileError(f"{path}: `sources` must be a list")
    return sources
