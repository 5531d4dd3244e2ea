"""Carrying out a plan: creates and updates, then deletes, each failure kept apart."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from statsig_console._errors import StatsigApiError

from .plan import Change, Plan
from .progress import Reporter
from .remote import Remote

_PAST = {"create": "created", "update": "updated", "delete": "deleted"}


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    failed: list[tuple[Change, str]] = field(default_factory=list)
    skipped: int = 0

    def summary(self) -> str:
        text = (
            f"Apply: {self.created} created, {self.updated} updated, {self.deleted} deleted, "
            f"{self.unchanged} unchanged, {len(self.failed)} failed"
        )
        if self.skipped:
            text += f", {self.skipped} not tried (--fail-fast)"
        return text + "."


def describe(change: Change) -> str:
    if change.is_rename:
        return f"{change.target} -> {change.name}"
    return change.name


def send(remote: Remote, change: Change, *, dry_run: bool = False) -> None:
    """One change's request (a dry run when asked, which deletes do not have)."""
    if change.kind == "create":
        remote.create(change.body, dry_run=dry_run)
    elif change.kind == "update":
        remote.update(change.target, change.body, dry_run=dry_run)
    elif not dry_run:
        remote.delete(change.target)


def carry_out(remote: Remote, plan: Plan, reporter: Reporter, *, fail_fast: bool) -> Outcome:
    outcome = Outcome(unchanged=len(plan.unchanged))
    reporter.start(len(plan.changes))
    try:
        # The plan lists creates and updates first; a delete runs only after them.
        for index, change in enumerate(plan.changes):
            try:
                send(remote, change)
            except (StatsigApiError, httpx.HTTPError) as error:
                # An error of one source says nothing about the next: carry on.
                outcome.failed.append((change, str(error)))
                reporter.done("failed", f"failed to {change.kind} {describe(change)}: {error}")
                if fail_fast:
                    outcome.skipped = len(plan.changes) - index - 1
                    break
                continue
            past = _PAST[change.kind]
            setattr(outcome, past, getattr(outcome, past) + 1)
            verb = "renamed" if change.is_rename else past
            reporter.done(past, f"{verb} {describe(change)}")
    finally:
        reporter.stop()
    return outcome
