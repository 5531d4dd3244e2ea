"""Client-sent text, cut to a readable length before it goes into an answer."""

from __future__ import annotations

# One rule for the whole workspace: the production layer's, which this package installs.
from statsig_console._text import shorten

__all__ = ["shorten"]
