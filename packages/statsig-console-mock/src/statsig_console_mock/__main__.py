"""``python -m statsig_console_mock``: serve the mock (see ``server.build_parser``)."""

from __future__ import annotations

import sys

from statsig_console_mock.server import main

if __name__ == "__main__":
    sys.exit(main())
