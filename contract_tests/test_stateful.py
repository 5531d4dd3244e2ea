"""The stateful phase: scenarios that walk the spec's links, checked at every step.

A scenario creates a source and follows the links of its answers (update, patch,
delete, each addressed by the name the previous answer gave), with lists in between;
the stateful checks look back along it (``use_after_free``: a deleted source still
answers; ``ensure_resource_availability``: a source just created answers 404).
It needs sources that persist, so it runs against the mock only.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
from schemathesis import Case
from schemathesis.schemas import BaseSchema

from .config import DEFAULT_STATEFUL_SCENARIOS, STATEFUL_MAX_STEPS
from .run import ContractRun
from .target import Target


def test_linked_operations_keep_the_contract(
    contract_schema: BaseSchema, contract_run: ContractRun, target: Target
) -> None:
    if target.real:
        pytest.skip("walks the links of sources that persist; nothing persists in Statsig")
    session = contract_run.session
    base = contract_schema.as_state_machine()

    class Scenario(base):  # type: ignore[valid-type, misc]
        def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
            contract_run.cases += 1
            return {"session": session}

    Scenario.run(
        settings=hypothesis.settings(
            max_examples=DEFAULT_STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_MAX_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
    )
