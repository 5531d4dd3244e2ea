"""``statsig-console``: assignment sources as code (``sources export|plan|apply DIR``).

The console script is always installed with the library; what it needs beyond the
library (PyYAML, rich) comes with the ``cli`` extra, so a missing extra is a clear
message and exit code 1, not an ImportError.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

EXTRA_HINT = "pip install 'statsig-console[cli]'"
_NEEDED = {"yaml": "PyYAML", "rich": "rich"}


def missing_extra() -> list[str]:
    """The distributions of the ``cli`` extra that are not importable."""
    return [dist for module, dist in _NEEDED.items() if importlib.util.find_spec(module) is None]


def main(argv: Sequence[str] | None = None) -> int:
    missing = missing_extra()
    if missing:
        print(
            f"statsig-console: the command needs {', '.join(missing)}, which come with the "
            f"cli extra: {EXTRA_HINT}",
            file=sys.stderr,
        )
        return 1
    from .command import run

    return run(sys.argv[1:] if argv is None else argv)
