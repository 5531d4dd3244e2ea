"""State of one contract run: the target, its session, and what was sent and checked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from schemathesis import Case

from .session import ContractSession
from .target import Target
from .writes import Ledger

# A case may cost more than one request (checks re-send it); stop generating new ones
# while this many are still left, so the bound ends the run quietly, not in an error.
REQUESTS_KEPT_IN_RESERVE = 3


@dataclass
class ContractRun:
    target: Target
    base_url: str
    session: ContractSession
    disabled_checks: dict[str, str]
    cases: int = 0
    not_sent: int = 0
    over_bound: int = 0
    checks: Counter[str] = field(default_factory=Counter)
    check_failures: Counter[str] = field(default_factory=Counter)
    # Called every `progress_every` cases, so a long run shows it is moving.
    on_progress: Callable[[ContractRun], None] | None = None
    progress_every: int = 100
    # Write mode only: what the run created and deleted, and what it swept at start.
    ledger: Ledger | None = None
    swept: list[str] = field(default_factory=list)
    not_deleted: list[str] = field(default_factory=list)

    def prepare(self, case: Case[Any]) -> bool:
        """Make `case` safe to send; False when it must not be sent.

        Names are made unique by the session, for every request it sends.
        """
        self.cases += 1
        if self.on_progress is not None and self.cases % self.progress_every == 0:
            self.on_progress(self)
        remaining = self.session.remaining
        # In write mode, room is also kept for deleting what the run created.
        reserve = REQUESTS_KEPT_IN_RESERVE + (len(self.ledger.live) if self.ledger else 0)
        if remaining is not None and remaining <= reserve:
            self.over_bound += 1
            return False
        if not self.target.real:
            return True
        method = str(case.method).upper()
        if method == "GET":
            return True
        body: Any = case.body
        if method == "DELETE" or not isinstance(body, dict):
            # Only a JSON object can carry dryRun, so nothing else goes to Statsig.
            self.not_sent += 1
            return False
        # Reassigned, not mutated: schemathesis then revalidates the case, so a
        # negative case whose only fault was dryRun's type becomes a positive one.
        case.body = {**body, "dryRun": True}
        return True

    def progress_line(self) -> str:
        return (
            f"{self.cases} cases, {self.session.sent} requests, "
            f"{sum(self.checks.values())} checks, {sum(self.check_failures.values())} failed"
        )

    def record_checks(self, results: list[Any]) -> None:
        for result in results:
            self.checks[result.name] += 1
            if result.failure is not None:
                self.check_failures[result.name] += 1
