"""Write mode: the suite may persist sources, only its own, and removes every one.

Opt-in for a dedicated test project (``--allow-writes`` and a confirmation variable).
A source the suite creates carries two signs at once, a fixed name prefix and the
suite's marker tag; only a source with both is ever changed for real or swept, so a
user's source (which might share the prefix by chance) is never touched.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .endpoints import Endpoints
    from .session import ContractSession

WRITE_PREFIX = "statsig-console-contract-"
# A tag no one else has a reason to set: the suite's own marker.
WRITE_MARKER = "statsig-console-contract-suite-owned"
CONFIRM_ENV = "STATSIG_CONTRACT_CONFIRM_WRITES"
# The value the confirmation variable must hold: it names what is about to happen.
CONFIRM_VALUE = "create-and-delete-test-sources"


def write_name() -> str:
    return f"{WRITE_PREFIX}{secrets.token_hex(6)}"


def carries_marker(source: object) -> bool:
    """True for a stored source with both signs: the prefix and the marker tag."""
    if not isinstance(source, dict):
        return False
    name, tags = source.get("name"), source.get("tags")
    return (
        isinstance(name, str)
        and name.startswith(WRITE_PREFIX)
        and isinstance(tags, list)
        and WRITE_MARKER in tags
    )


@dataclass
class Ledger:
    """The sources this run created and has not deleted yet, and what it did."""

    live: set[str] = field(default_factory=set)
    # Names the run's sources had before a rename or a delete: still the run's own,
    # so asking for one again (and expecting 404) touches nobody else's source.
    retired: set[str] = field(default_factory=set)
    created: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    def owns(self, name: str) -> bool:
        return name in self.live or name in self.retired

    def adopt(self, name: str) -> None:
        """A leftover of an earlier run (prefix and marker), to be swept."""
        self.live.add(name)

    def record(self, verb: str, path_name: str | None, status: int, data: Any) -> None:
        """Keeps the ledger in step with a non-dry-run mutation's answer."""
        new_name = data.get("name") if isinstance(data, dict) else None
        if verb == "create" and status == 201 and isinstance(new_name, str):
            self.live.add(new_name)
            self.retired.discard(new_name)
            self.created.append(new_name)
        elif verb in ("update", "patch") and status == 200 and path_name is not None:
            if isinstance(new_name, str) and new_name != path_name:
                self._retire(path_name)
                self.live.add(new_name)
                self.renamed.append((path_name, new_name))
            else:
                # It answered, so it exists and is to be deleted at the end.
                self.live.add(path_name)
                self.retired.discard(path_name)
        elif verb == "delete" and status in (200, 404) and path_name is not None:
            if status == 200 and path_name in self.live:
                self.deleted.append(path_name)
            self._retire(path_name)

    def _retire(self, name: str) -> None:
        self.live.discard(name)
        self.retired.add(name)


def refusal(verb: str, path_name: str | None, body: object, ledger: Ledger) -> str | None:
    """Why a non-dry-run mutation may not be sent in write mode, or None when it may.

    Every body the suite stores keeps the marker tag, so a source stays sweepable
    whatever the request did to it (an update without tags would reset them).
    """
    if path_name is not None and not ledger.owns(path_name):
        return f"{path_name!r} was not created by this run"
    if verb == "delete":
        return None
    if not isinstance(body, dict):
        return "its body is not a JSON object"
    name = body.get("name")
    if (verb == "create" or name is not None) and (
        not isinstance(name, str) or not name.startswith(WRITE_PREFIX)
    ):
        return f"the name it stores does not start with {WRITE_PREFIX!r}"
    tags = body.get("tags")
    must_carry_tags = verb in ("create", "update")
    if (must_carry_tags or tags is not None) and (
        not isinstance(tags, list) or WRITE_MARKER not in tags
    ):
        return f"its tags do not keep the suite's marker {WRITE_MARKER!r}"
    return None


# A project with more sources than pages x page size is not swept past this bound.
SWEEP_PAGE_SIZE = 100
SWEEP_MAX_PAGES = 50


def list_all(
    session: ContractSession, endpoints: Endpoints, headers: dict[str, str], page_size: int
) -> list[dict[str, Any]]:
    """Every stored source, page by page (bounded), in the order the pages give them."""
    sources: list[dict[str, Any]] = []
    for page in range(1, SWEEP_MAX_PAGES + 1):
        response = session.get(
            endpoints.collection_url,
            params={"limit": page_size, "page": page},
            headers=headers,
            timeout=30,
        )
        if response.status_code != 200:
            raise RuntimeError(f"listing page {page} answered {response.status_code}")
        payload = response.json()
        sources.extend(item for item in payload["data"] if isinstance(item, dict))
        if not payload["data"] or payload["pagination"].get("nextPage") is None:
            break
    return sources


def sweep_leftovers(
    session: ContractSession, endpoints: Endpoints, headers: dict[str, str], ledger: Ledger
) -> list[str]:
    """Deletes what earlier, interrupted runs left: sources with the prefix and the marker."""
    leftovers = [
        source["name"]
        for source in list_all(session, endpoints, headers, SWEEP_PAGE_SIZE)
        if carries_marker(source)
    ]
    for name in leftovers:
        ledger.adopt(name)
    delete_owned(session, endpoints, headers, ledger)
    return leftovers


def delete_owned(
    session: ContractSession, endpoints: Endpoints, headers: dict[str, str], ledger: Ledger
) -> list[str]:
    """Deletes every source the ledger holds; the names it could not delete."""
    failed = []
    names = sorted(ledger.live)
    with session.cleaning_up(len(names)):
        for name in names:
            try:
                response = session.delete(endpoints.source_url(name), headers=headers, timeout=30)
            except RuntimeError:
                # Unreachable or misbehaving target: the next run's sweep finds it.
                failed.append(name)
                continue
            if response.status_code not in (200, 404):
                failed.append(name)
    return failed
