"""Settings shared by every test directory."""

from __future__ import annotations

import os

from hypothesis import settings

# CI runs must not depend on what earlier runs found: no example database, and the
# same examples every time. Locally the default profile keeps exploring.
settings.register_profile("ci", database=None, derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
