"""Keeping the API key out of everything a run shows: answers, messages, reports.

The key is matched by what text decodes to, not only by its bytes: a JSON or Python
escape (``console\\u002d...``), an XML or percent escape, or a body in another charset
still shows the key once decoded, so each is redacted. A repr that pytest cut in the
middle may show only part of the key: any run of :data:`FRAGMENT` or more of its
characters is redacted too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

REDACTED = "console-[redacted]"
# The prefix every Console API key shares; alone it tells nothing about a key.
PUBLIC_PREFIX = "console-"
FRAGMENT = 8
# Charsets a body may be decoded with before it is shown (requests, schemathesis and
# json.loads each pick one), besides the one the answer declares.
BODY_ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
WITHHELD_BODY = b'{"message": "body withheld: it quotes the API key in a form not redacted"}'

# One token each: an escape that decodes to one character, or any single character.
_TOKEN = re.compile(
    r"\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\[\\'\"/]|&#[0-9]{1,7};|&#[xX][0-9a-fA-F]{1,6};"
    r"|&[a-zA-Z]{2,6};|%[0-9a-fA-F]{2}|.",
    re.S,
)


class ApiKey(str):
    """The key as a str, so every library can send it, with a repr that hides it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(REDACTED)


def _decode_token(token: str) -> str:
    if len(token) == 1:
        return token
    if token.startswith(("\\u", "\\x")):
        return chr(int(token[2:], 16))
    if token.startswith("\\"):
        return token[1]
    if token.startswith("%"):
        return chr(int(token[1:], 16))
    decoded = html.unescape(token)
    return decoded if len(decoded) == 1 else token


class Redactor:
    """Finds the key, whole or in part, escaped or not, and puts :data:`REDACTED` instead."""

    def __init__(self, key: str) -> None:
        self._key = str(key)
        size = min(FRAGMENT, len(self._key))
        # The whole key first, so that its public prefix is redacted with it.
        self._fragments = tuple(
            dict.fromkeys(
                [self._key]
                + [
                    part
                    for part in (self._key[i : i + size] for i in range(len(self._key) - size + 1))
                    if part not in PUBLIC_PREFIX
                ]
            )
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({REDACTED})"

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Where in ``text`` the key or a fragment of it shows, once escapes are decoded."""
        if not any(mark in text for mark in "\\&%"):
            decoded, starts, ends = text, None, None
        else:
            tokens = list(_TOKEN.finditer(text))
            decoded = "".join(_decode_token(token.group()) for token in tokens)
            starts = [token.start() for token in tokens]
            ends = [token.end() for token in tokens]
        found: list[tuple[int, int]] = []
        for fragment in self._fragments:
            at = decoded.find(fragment)
            while at != -1:
                found.append((at, at + len(fragment)))
                at = decoded.find(fragment, at + 1)
        if not found:
            return []
        found.sort()
        merged = [found[0]]
        for start, end in found[1:]:
            if start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        if starts is None or ends is None:
            return merged
        return [(starts[start], ends[end - 1]) for start, end in merged]

    def text(self, text: str) -> str:
        """``text`` with every showing of the key replaced."""
        spans = self._spans(text)
        if not spans:
            return text
        out: list[str] = []
        last = 0
        for start, end in spans:
            out.append(text[last:start])
            out.append(REDACTED)
            last = end
        out.append(text[last:])
        return "".join(out)

    def shows_key(self, text: str) -> bool:
        return bool(self._spans(text))

    def body(self, content: bytes, encodings: Iterable[str | None] = ()) -> bytes:
        """``content`` with the key redacted in every charset it could be shown in.

        Each charset that shows the key gets its text redacted and re-encoded; a body
        that still shows it afterwards is withheld entirely.
        """
        candidates = [name for name in dict.fromkeys([*encodings, *BODY_ENCODINGS]) if name]
        for encoding in candidates:
            text = _decoded(content, encoding)
            if text is not None and self.shows_key(text):
                content = self.text(text).encode(encoding, errors="replace")
        for encoding in candidates:
            text = _decoded(content, encoding)
            if text is not None and self.shows_key(text):
                return WITHHELD_BODY
        return content


def _decoded(content: bytes, encoding: str) -> str | None:
    try:
        return content.decode(encoding, errors="replace")
    except (LookupError, ValueError):
        return None
