"""Property-based contract test: what the spec says is what the target does.

schemathesis generates valid and invalid requests from the spec (examples, coverage
and fuzzing phases) and checks every answer against the spec.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case

from .config import CONTRACT_OPERATION
from .run import ContractRun

# Only the create until the mock serves the rest of the lifecycle (see CONTRACT_OPERATION).
schema = schemathesis.pytest.from_fixture("contract_schema").include(
    operation_id=CONTRACT_OPERATION
)


@schema.parametrize()
def test_endpoint_honours_the_spec(case: Case[Any], contract_run: ContractRun) -> None:
    if contract_run.prepare(case):
        case.call_and_validate(session=contract_run.session)
