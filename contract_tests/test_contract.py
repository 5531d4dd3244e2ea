"""Property-based contract test: what the spec says is what the target does.

schemathesis generates valid and invalid requests for every operation of the spec
(examples, coverage and fuzzing phases) and checks every answer against the spec.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import Case

from .run import ContractRun

schema = schemathesis.pytest.from_fixture("contract_schema")


@schema.parametrize()
def test_endpoint_honours_the_spec(case: Case[Any], contract_run: ContractRun) -> None:
    if contract_run.prepare(case):
        case.call_and_validate(session=contract_run.session)
