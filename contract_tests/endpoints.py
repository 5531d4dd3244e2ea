"""Where the spec's operations live on a target, and which one a URL addresses.

The paths come from the spec (``statsig_console.spec``); this module only splits a
URL into "the collection" or "one source, named by this path segment".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from statsig_console import spec

LIST = "listAssignmentSources"
CREATE = "createAssignmentSource"
UPDATE = "updateAssignmentSource"
PATCH = "patchAssignmentSource"
DELETE = "deleteAssignmentSource"
OPERATIONS = (LIST, CREATE, UPDATE, PATCH, DELETE)
# The operations that change state; everything but the list.
MUTATIONS = (CREATE, UPDATE, PATCH, DELETE)


@dataclass(frozen=True, slots=True)
class Addressed:
    """What a URL addresses: the collection, or one source by its raw path segment."""

    kind: Literal["collection", "source"]
    # The percent-encoded name as it appears in the URL (None for the collection).
    segment: str | None = None
    query: str = ""


@dataclass(frozen=True, slots=True)
class Endpoints:
    base_url: str
    collection_url: str
    # The URL of one source up to its name: ``{source_url_prefix}{encoded name}``.
    source_url_prefix: str

    @classmethod
    def at(cls, base_url: str) -> Endpoints:
        base_url = base_url.rstrip("/")
        loaded = spec.load()
        template = loaded.operation(UPDATE).path
        (parameter,) = loaded.operation(UPDATE).path_parameters
        prefix, _, rest = template.partition("{" + parameter + "}")
        if rest:
            raise spec.SpecError(f"{template} has something after its name parameter")
        return cls(base_url, base_url + loaded.operation(LIST).path, base_url + prefix)

    def source_url(self, name: str) -> str:
        """The URL of the source ``name``, percent-encoded as the spec asks."""
        return self.base_url + spec.load().operation(UPDATE).url_path(name=name)

    def address(self, url: str) -> Addressed | None:
        """What ``url`` addresses, or None when it is neither the collection nor a source."""
        path, _, query = url.partition("?")
        if path == self.collection_url:
            return Addressed("collection", query=query)
        if path.startswith(self.source_url_prefix):
            segment = path[len(self.source_url_prefix) :]
            if "/" not in segment and "#" not in segment:
                return Addressed("source", segment=segment, query=query)
        return None
