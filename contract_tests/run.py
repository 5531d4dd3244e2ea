"""State of one contract run: the target, its session, and what was sent and checked."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from schemathesis import Case

from .session import ContractSession
from .target import Target

NAME_PREFIX = "contract-test-"


def unique_name() -> str:
    """A fresh, recognisable name; the spec puts no constraint on names beyond string."""
    return f"{NAME_PREFIX}{secrets.token_hex(8)}"


@dataclass
class ContractRun:
    target: Target
    base_url: str
    session: ContractSession
    disabled_checks: dict[str, str]
    cases: int = 0
    not_sent: int = 0
    checks: Counter[str] = field(default_factory=Counter)
    check_failures: Counter[str] = field(default_factory=Counter)

    def prepare(self, case: Case[Any]) -> bool:
        """Make `case` safe and unambiguous to send; False when it must not be sent."""
        self.cases += 1
        body: Any = case.body
        if not isinstance(body, dict):
            if self.target.real:
                # Only a JSON object can carry dryRun, so nothing else goes to Statsig.
                self.not_sent += 1
                return False
            return True
        # Reassigned, not mutated: schemathesis compares the case with what it generated.
        changes: dict[str, str | bool] = {}
        if isinstance(body.get("name"), str):
            # A duplicate-name 400 must never pass for "valid data rejected".
            changes["name"] = unique_name()
        if self.target.real:
            changes["dryRun"] = True
        if changes:
            case.body = {**body, **changes}
        return True

    def record_checks(self, results: list[Any]) -> None:
        for result in results:
            self.checks[result.name] += 1
            if result.failure is not None:
                self.check_failures[result.name] += 1
