"""Which changes of a source may be sent again after an ambiguous failure.

An update or patch that keeps the source's name sets the same fields to the same
values however often it arrives. One that renames does not: if its first attempt was
applied, the retry addresses a name that no longer exists, answers 404 and hides the
rename that succeeded. A dry run changes nothing, so it repeats either way.
"""

from __future__ import annotations

from statsig_console_client.models import AssignmentSourcePatch, AssignmentSourceUpdate
from statsig_console_client.types import Unset


def change_is_repeatable(name: str, body: AssignmentSourceUpdate | AssignmentSourcePatch) -> bool:
    """Whether sending ``body`` to the source ``name`` twice leaves what sending it once does."""
    if body.dry_run is True:
        return True
    return isinstance(body.name, Unset) or body.name == name
