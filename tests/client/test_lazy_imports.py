"""Importing the package leaves what only a call needs (schemas, asyncio) to that call."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import httpx

from statsig_console import RetryOutcome, RetryTransport
from statsig_console._retry import OUTCOME_EXTENSION

from .conftest import CREATE

# Together they were most of `import statsig_console`: the spec's reference registry
# and jsonschema are needed at the first call, asyncio only by an async client's wait.
DEFERRED = ("jsonschema", "referencing", "asyncio")


def _loaded_by(code: str) -> dict[str, bool]:
    probe = (
        f"import sys, json; {code}; "
        f"print(json.dumps({{name: name in sys.modules for name in {DEFERRED!r}}}))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: dict[str, bool] = json.loads(completed.stdout)
    return loaded


def test_importing_the_package_loads_no_schema_library_or_asyncio() -> None:
    assert _loaded_by("import statsig_console") == dict.fromkeys(DEFERRED, False)


def test_the_spec_module_is_still_an_attribute_of_the_package() -> None:
    loaded = _loaded_by(
        "import statsig_console; "
        "assert statsig_console.spec.load().operation('createAssignmentSource').method == 'POST'"
    )

    assert loaded["referencing"]


def test_the_first_success_body_check_loads_jsonschema() -> None:
    example = json.dumps(next(iter(CREATE.success.examples.values())))
    loaded = _loaded_by(
        "from statsig_console._validation import success_body_problem; "
        f"assert success_body_problem({CREATE.operation_id!r}, json.loads({example!r})) is None"
    )

    assert loaded["jsonschema"]


def test_the_default_async_wait_waits_with_asyncio() -> None:
    answers = iter([httpx.Response(503, headers={"Retry-After": "0"}), httpx.Response(200)])
    transport = RetryTransport(async_transport=httpx.MockTransport(lambda _: next(answers)))

    async def get() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get("http://127.0.0.1:9/")

    response = asyncio.run(get())

    assert response.status_code == 200
    outcome = response.extensions[OUTCOME_EXTENSION]
    assert isinstance(outcome, RetryOutcome)
    assert outcome.attempts == 2
